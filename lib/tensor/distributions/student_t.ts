import { tf } from "../_tf.ts";
import { log, log1p, log1pmx } from "../_stable.ts";
import { HALF_LOG_2PI } from "../../math/_constants.ts";
import { show } from "../../math/_validate.ts";
import { deriveSeed } from "../../math/rng.ts";
import { digammaRemainder, stirlingRemainder } from "../_gamma_series.ts";
import { detached, sampleLogGamma } from "./_families.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes, flatten } from "./_params.ts";

/**
 * A batch of Student's t distributions with `df` degrees of freedom ν,
 * location μ and scale σ: the float32 twin of the core's `StudentT`.
 *
 * Mathematical details, with z = (x − μ)/σ, a = ν/2, c Stirling's remainder
 * and r(x) = log x − ψ(x):
 *
 * ```text
 * log p(x) = C(ν) − log σ − (ν + 1)/2 · log(1 + z²/ν)
 * C(ν)     = −log B(ν/2, ½) − ½ log ν = a (log(1 + 1/(2a)) − 1/(2a)) + c(a + ½) − c(a) − ½ log 2π
 * H        = (ν + 1)/2 · [ψ((ν + 1)/2) − ψ(ν/2)] − C(ν) + log σ,
 *            ψ((ν + 1)/2) − ψ(ν/2) = log(1 + 1/ν) + r(ν/2) − r((ν + 1)/2)
 * E[X] = μ (ν > 1),   Var[X] = σ² ν/(ν − 2) (ν > 2; +∞ for 1 < ν ≤ 2)
 * x = μ + σ t,   t = ε / √(G/(ν/2)),   ε ~ N(0, 1),  G ~ Gamma(ν/2, 1)
 * ```
 *
 * The second forms are the ones computed: neither difference cancels for
 * large ν, so the density and entropy tend to the normal's. The standard
 * draw t is made on the device; the draw μ + σ t is differentiable in μ
 * and σ (`reparameterized` is true), but no pathwise gradient reaches ν:
 * fitting ν needs a score-function term, or ν held fixed. The mean and
 * variance throw for ν ≤ 1 given as numbers (they do not exist there), and
 * are NaN where a tensor ν is ≤ 1 (its values stay on the device).
 *
 * @example
 * ```ts
 * import { StudentT, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const cauchy = new StudentT(1, 0, 1);
 * assert.ok(Math.abs((await cauchy.logProb(1).data())[0]! + Math.log(2 * Math.PI)) < 1e-6);
 * assert.throws(() => cauchy.mean(), RangeError);
 * cauchy.dispose();
 * ```
 */
export class StudentT extends TensorDistributionBase {
  /** The degrees of freedom ν > 0. */
  readonly df: tf.Tensor;
  /** The location μ. */
  readonly loc: tf.Tensor;
  /** The scale σ > 0. */
  readonly scale: tf.Tensor;
  /** log σ. */
  readonly logScale: tf.Tensor;
  /** The broadcast shape of `df`, `loc` and `scale`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always true (in μ and σ; not in ν). */
  readonly reparameterized: boolean = true;
  /** The smallest ν, when ν was given as numbers. */
  readonly #dfMin: number | undefined;

  /**
   * Creates a batch of Student's t distributions.
   *
   * @param df ν: a tensor, a number or an array (finite, > 0).
   * @param loc μ: a tensor, a number or an array (finite).
   * @param scale σ: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or `df` or `scale` is
   *   not > 0.
   */
  constructor(df: TensorInput, loc: TensorInput, scale: TensorInput) {
    super();
    try {
      const what = "Cannot construct StudentT";
      this.df = this.param(what, "df", df, "positive");
      this.#dfMin = df instanceof tf.Tensor
        ? undefined
        : (flatten(what, "df", df).values as number[])
          .reduce((a, b) => Math.min(a, b), Infinity);
      this.loc = this.param(what, "loc", loc);
      const p = this.scaleParams(what, scale);
      this.scale = p.scale;
      this.logScale = p.logScale;
      this.batchShape = broadcastShapes(
        what,
        "df, loc and scale",
        broadcastShapes(what, "df and loc", this.df.shape, this.loc.shape),
        this.scale.shape,
      );
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** C(ν) − log σ − (ν + 1)/2 · log(1 + z²/ν), shape `broadcast(x.shape, batchShape)`. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const nu = this.df;
      const z = tf.div(tf.sub(this.point("StudentT", x), this.loc), this.scale);
      const a = tf.div(tf.abs(z), tf.sqrt(nu));
      // log(1 + a²), with a² formed only where it cannot overflow.
      const small = tf.minimum(a, 1e15), large = tf.maximum(a, 1e15);
      const l = tf.where(
        tf.greaterEqual(a, 1e15),
        tf.mul(2, log(large)),
        log1p(tf.square(small)),
      );
      return tf.sub(
        tf.sub(studentConstant(nu), this.logScale),
        tf.mul(tf.mul(0.5, tf.add(nu, 1)), l),
      );
    });
  }

  /** The differential entropy, with no cancellation for large ν, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const nu = this.df, half = tf.mul(0.5, nu);
      const psiDiff = tf.sub(
        tf.add(log1p(tf.reciprocal(nu)), digammaRemainder(half)),
        digammaRemainder(tf.add(half, 0.5)),
      );
      const h = tf.add(
        tf.sub(tf.mul(tf.mul(0.5, tf.add(nu, 1)), psiDiff), studentConstant(nu)),
        this.logScale,
      );
      return tf.broadcastTo(h, this.batchShape);
    });
  }

  /**
   * Throws a RangeError if some ν ≤ 1, where a moment does not exist, for
   * ν given as numbers; for a tensor ν the moment is NaN there.
   */
  #checkMoment(name: string): void {
    if (this.#dfMin !== undefined && !(this.#dfMin > 1)) {
      throw new RangeError(
        `Cannot compute StudentT.${name} as df must be > 1 for the ${name} to exist: current value is ${
          show(this.#dfMin)
        }`,
      );
    }
  }

  /** `value` where ν > 1, NaN where the moment does not exist (ν ≤ 1). */
  #whereExists(value: tf.Tensor): tf.Tensor {
    return tf.where(
      tf.greaterEqual(1, this.df),
      tf.fill(this.batchShape, NaN),
      tf.broadcastTo(value, this.batchShape),
    );
  }

  /**
   * μ, shape `batchShape`, for ν > 1.
   *
   * @returns The mean (NaN where a tensor ν is ≤ 1).
   * @throws {RangeError} If some ν given as numbers is ≤ 1, where the mean
   *   does not exist.
   */
  mean(): tf.Tensor {
    this.#checkMoment("mean");
    return tf.tidy(() => this.#whereExists(this.loc));
  }

  /**
   * σ² ν/(ν − 2) for ν > 2, +∞ for 1 < ν ≤ 2, shape `batchShape`.
   *
   * @returns The variance (NaN where a tensor ν is ≤ 1).
   * @throws {RangeError} If some ν given as numbers is ≤ 1, where the
   *   variance does not exist.
   */
  variance(): tf.Tensor {
    this.#checkMoment("variance");
    return tf.tidy(() => {
      const nu = this.df;
      const v = tf.mul(tf.square(this.scale), tf.div(nu, tf.sub(tf.maximum(nu, 2), 2)));
      const inf = tf.fill(this.batchShape, Infinity);
      return this.#whereExists(
        tf.where(tf.greaterEqual(2, nu), inf, tf.broadcastTo(v, this.batchShape)),
      );
    });
  }

  /**
   * `n` draws μ + σ t, `[n, ...batchShape]`, differentiable in μ and σ;
   * the standard draws t = ε / √(G/(ν/2)) are made on the device and carry
   * no gradient to ν.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("StudentT", n, seed);
    const shape = [n, ...this.batchShape];
    return tf.tidy(() => {
      const t = detached([this.df], (nu) =>
        tf.tidy(() => {
          const half = tf.mul(0.5, nu!);
          const logChi = tf.sub(sampleLogGamma(half, shape, deriveSeed(seed, 1)), log(half));
          const eps = tf.randomNormal(shape, 0, 1, "float32", deriveSeed(seed, 2));
          const z = tf.mul(eps, tf.exp(tf.mul(-0.5, logChi)));
          // 0 · ∞ only if ε is exactly 0 while the Gamma draw underflows (tiny ν)
          return tf.where(tf.isNaN(z), tf.zerosLike(z), z);
        }));
      return tf.add(this.loc, tf.mul(this.scale, t));
    });
  }
}

/**
 * C(ν) = −log B(ν/2, ½) − ½ log ν = a log1pmx(1/(2a)) + c(a + ½) − c(a) − ½ log 2π
 * with a = ν/2: tends to −½ log 2π with its digits as ν grows.
 */
function studentConstant(nu: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.mul(0.5, nu);
    return tf.sub(
      tf.add(
        tf.mul(a, log1pmx(tf.reciprocal(nu))),
        tf.sub(stirlingRemainder(tf.add(a, 0.5)), stirlingRemainder(a)),
      ),
      HALF_LOG_2PI,
    );
  });
}
