import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import { show } from "../../math/_validate.ts";
import { noClosedForm } from "../../distributions/_batch.ts";
import {
  forwardAndLogDet,
  inverseAndLogDet,
  isTensorBijector,
  sumEventAxes,
  type TensorBijector,
} from "../bijectors/bijector.ts";
import { assertNotDisposed } from "../_validate.ts";
import { Chain } from "../bijectors/chain.ts";
import { Scale } from "../bijectors/scale.ts";
import { Shift } from "../bijectors/shift.ts";
import {
  type TensorDistribution,
  TensorDistributionBase,
  type TensorInput,
} from "./distribution.ts";

/** y = a x + b, each part absent when it is 1 or 0 (tensors made inside a tidy). */
interface Affine {
  a?: tf.Tensor;
  b?: tf.Tensor;
}

/** Whether a bijector is made of Shift and Scale only. */
function isAffine(f: TensorBijector): boolean {
  if (f instanceof Shift || f instanceof Scale) return true;
  return f instanceof Chain && f.bijectors.every(isAffine);
}

/** a and b of an affine bijector, composed innermost first (call inside a tidy). */
function affineOf(f: TensorBijector): Affine {
  if (f instanceof Shift) return { b: f.shift };
  if (f instanceof Scale) return { a: f.scale };
  let acc: Affine = {};
  const bs = (f as Chain).bijectors;
  for (let i = bs.length - 1; i >= 0; i--) {
    const next = affineOf(bs[i]!);
    // next ∘ acc: a' = aₙ a,  b' = aₙ b + bₙ
    const a = next.a && acc.a ? tf.mul(next.a, acc.a) : next.a ?? acc.a;
    const scaled = acc.b && next.a ? tf.mul(next.a, acc.b) : acc.b;
    const b = scaled && next.b ? tf.add(scaled, next.b) : scaled ?? next.b;
    acc = { a, b };
  }
  return acc;
}

/** f's event shape for the base's, or a TypeError naming the bijector. */
function eventOf(what: string, f: TensorBijector, baseEvent: number[]): number[] {
  try {
    return f.forwardEventShape(baseEvent.slice());
  } catch (e) {
    throw new TypeError(
      `${what} as bijector ${f.name} does not take the base's event shape [${baseEvent}]: ${
        (e as Error)?.message
      }`,
    );
  }
}

/** The shapes of the parameters of Shift and Scale members (none for other bijectors). */
function parameterShapes(f: TensorBijector): Array<[string, number[]]> {
  if (f instanceof Shift) return [["Shift's shift", f.shift.shape]];
  if (f instanceof Scale) return [["Scale's scale", f.scale.shape]];
  return f instanceof Chain ? f.bijectors.flatMap(parameterShapes) : [];
}

/**
 * The distribution of Y = f(X), for X from a base tensor distribution and f
 * a {@linkcode TensorBijector}: the tensor twin of the core's
 * `TransformedDistribution`. By the change of variables,
 *
 * ```text
 * log p_Y(y) = log p_X(f⁻¹(y)) + log |det ∂f⁻¹(y)/∂y|
 * y = f(x),   x ~ p_X          (reparameterized whenever the base is)
 * ```
 *
 * The batch shape is the base's; the event shape is what f makes of the
 * base's (`bijector.forwardEventShape`), and the log-Jacobian is summed over
 * the base's event axes. Outside the range of f the log-density is −∞ (a NaN
 * in y stays NaN). The mean, variance and entropy have closed forms when f
 * is affine (made of `Shift` and `Scale`): a·E[X] + b, a²·Var[X] and
 * H[X] + Σ log|a|; for any other f they are a TypeError that points to a
 * Monte Carlo estimate from `sample` (subclasses such as `LogNormal` supply
 * closed forms).
 *
 * The base and the bijector stay the caller's: `dispose()` frees neither.
 *
 * @example A positive latent: a Normal through Softplus
 * ```ts
 * import { Normal, Softplus, TransformedDistribution, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const base = new Normal(0, 1), f = new Softplus();
 * const d = new TransformedDistribution(base, f);
 * const draws = d.sample(100, 7);
 * assert.ok((await tf.min(draws).data())[0]! > 0);
 * const lp = d.logProb(tf.tensor1d([Math.LN2, -1])); // x = 0 at y = log 2: log φ(0) + log 2
 * const [inside, outside] = await lp.data();
 * assert.ok(Math.abs(inside! - (-0.5 * Math.log(2 * Math.PI) + Math.LN2)) < 1e-5);
 * assert.equal(outside, -Infinity);
 * tf.dispose([draws, lp]);
 * base.dispose();
 * ```
 */
export class TransformedDistribution<B extends TensorDistribution = TensorDistribution>
  extends TensorDistributionBase {
  /** The distribution of X. */
  readonly base: B;
  /** The map f. */
  readonly bijector: TensorBijector;
  /** The base's batch shape. */
  readonly batchShape: number[];
  /** The event shape of f(x): `bijector.forwardEventShape(base.eventShape)`. */
  readonly eventShape: number[];
  /** Whether the base is reparameterized. */
  readonly reparameterized: boolean;
  readonly #affine: boolean;

  /**
   * Creates a {@linkcode TransformedDistribution}.
   *
   * @param base The distribution of X (a tensor distribution).
   * @param bijector The map f: a tensor bijector whose `minEventRank` is at
   *   most the rank of the base's event, and which takes points of its
   *   shape. Shift and Scale parameters must broadcast to the base's
   *   `[...batchShape, ...eventShape]` without enlarging it.
   * @throws {TypeError} If `base` is not a tensor distribution, `bijector`
   *   not a tensor bijector, either was disposed, or they do not fit together.
   */
  constructor(base: B, bijector: TensorBijector) {
    super();
    try {
      const what = "Cannot construct TransformedDistribution";
      const r = base as unknown as Record<string, unknown> | null;
      if (
        r === null || typeof r !== "object" ||
        !["logProb", "sample", "entropy", "mean", "variance"].every((m) =>
          typeof r[m] === "function"
        ) ||
        !Array.isArray(r.batchShape) || !Array.isArray(r.eventShape)
      ) {
        throw new TypeError(
          `${what} as base must be a tensor distribution: current value is ${show(base)}`,
        );
      }
      if (!isTensorBijector(bijector)) {
        throw new TypeError(
          `${what} as bijector must be a tensor bijector: current value is ${show(bijector)}`,
        );
      }
      assertNotDisposed(what, "base", base);
      assertNotDisposed(what, "bijector", bijector);
      const rank = base.eventShape.length;
      if (rank < bijector.minEventRank) {
        throw new TypeError(
          `${what} as ${bijector.name} acts on points of rank ≥ ${bijector.minEventRank} but the base's event shape is [${base.eventShape}] (rank ${rank}): use a base with a vector event, such as a DiagNormal`,
        );
      }
      this.base = base;
      this.bijector = bijector;
      this.batchShape = base.batchShape.slice();
      this.eventShape = eventOf(what, bijector, base.eventShape);
      this.reparameterized = base.reparameterized;
      this.#affine = isAffine(bijector);
      const full = [...this.batchShape, ...base.eventShape];
      for (const [name, shape] of parameterShapes(bijector)) {
        let out: number[] | undefined;
        try {
          out = tf.backend_util.assertAndGetBroadcastShape(full, shape);
        } catch { /* reported below */ }
        if (!out || out.join() !== full.join()) {
          throw new TypeError(
            `${what} as ${name} has shape [${shape}], which must broadcast to the base's [...batchShape, ...eventShape] = [${full}] without enlarging it`,
          );
        }
      }
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /**
   * log p_X(f⁻¹(y)) + log |det ∂f⁻¹/∂y| at y = x (points of Y); −∞ outside
   * the range of f.
   *
   * @param x Points whose trailing dimensions are `eventShape` and whose
   *   leading ones broadcast with `batchShape`.
   * @returns The log-density, one per point and batch member.
   * @throws {TypeError} If `x` does not have that shape.
   */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const y = this.point("TransformedDistribution", x);
      const e = this.base.eventShape.length;
      const back = inverseAndLogDet(this.bijector, y, e);
      const lp = tf.add(this.base.logProb(back.x), back.logDet);
      // NaN from a y outside the range (or ∞ − ∞ at its edge) is −∞; a NaN in y stays NaN.
      // (greaterEqual: the one comparison tfjs differentiates through, for a y that
      // depends on variables, such as a draw of the distribution itself.)
      const nanInY = sumEventAxes(tf.cast(tf.isNaN(y), "float32"), this.eventShape.length);
      const missing = tf.where(
        tf.greaterEqual(tf.broadcastTo(nanInY, lp.shape), 0.5),
        tf.fill(lp.shape, NaN),
        tf.fill(lp.shape, -Infinity),
      );
      return tf.where(tf.isNaN(lp), missing, lp);
    });
  }

  /**
   * `n` draws f(x), `[n, ...batchShape, ...eventShape]`, differentiable in
   * the parameters when the base is reparameterized.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of the base's draws (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("TransformedDistribution", n, seed);
    return tf.tidy(() => this.bijector.forward(this.base.sample(n, seed)));
  }

  /**
   * `n` draws and the log-density at each, in one pass along the bijector:
   * log p_Y(f(x)) = log p_X(x) − log |det ∂f/∂x| at the base's draws x, with
   * no inverse to compute (a flow's inverse can take one pass per coordinate).
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of the base's draws (a safe integer).
   * @returns The draws, as `sample(n, seed)` gives them, and their log-densities.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sampleAndLogProb(n: number, seed: number): { sample: tf.Tensor; logProb: tf.Tensor } {
    this.checkSample("TransformedDistribution", n, seed);
    return tf.tidy(() => {
      const x = this.base.sample(n, seed);
      const r = forwardAndLogDet(this.bijector, x, this.base.eventShape.length);
      return { sample: r.y, logProb: tf.sub(this.base.logProb(x), r.logDet) };
    });
  }

  #noClosedForm(what: string): never {
    const base = this.base.constructor?.name ?? "the base";
    noClosedForm(
      "TransformedDistribution",
      what,
      `${this.bijector.name} of ${base}`,
      "sample(n, seed)",
    );
  }

  /** [...batchShape, ...eventShape]. */
  #full(): number[] {
    return [...this.batchShape, ...this.eventShape];
  }

  /**
   * a·E[X] + b for an affine f, shape `[...batchShape, ...eventShape]`.
   *
   * @returns The mean.
   * @throws {TypeError} For any other f: use a Monte Carlo estimate.
   */
  mean(): tf.Tensor {
    if (!this.#affine) this.#noClosedForm("mean");
    return tf.tidy(() => {
      const { a, b } = affineOf(this.bijector);
      let m = this.base.mean();
      if (a) m = tf.mul(a, m);
      if (b) m = tf.add(m, b);
      return tf.broadcastTo(m, this.#full());
    });
  }

  /**
   * a²·Var[X] for an affine f, shape `[...batchShape, ...eventShape]`.
   *
   * @returns The variance.
   * @throws {TypeError} For any other f: use a Monte Carlo estimate.
   */
  variance(): tf.Tensor {
    if (!this.#affine) this.#noClosedForm("variance");
    return tf.tidy(() => {
      const { a } = affineOf(this.bijector);
      const v = this.base.variance();
      return tf.broadcastTo(a ? tf.mul(tf.square(a), v) : v, this.#full());
    });
  }

  /**
   * H[X] + Σ log |a| over the event for an affine f, shape `batchShape`.
   *
   * @returns The entropy.
   * @throws {TypeError} For any other f: use a Monte Carlo estimate.
   */
  entropy(): tf.Tensor {
    if (!this.#affine) this.#noClosedForm("entropy");
    return tf.tidy(() => {
      const { a } = affineOf(this.bijector);
      const h = tf.broadcastTo(this.base.entropy(), this.batchShape);
      if (!a) return h;
      const logA = tf.broadcastTo(log(tf.abs(a)), this.#full());
      return tf.add(h, sumEventAxes(logA, this.eventShape.length));
    });
  }
}
