import { isBijector } from "../bijectors/bijector.ts";
import type { Bijector } from "../bijectors/bijector.ts";
import { Chain } from "../bijectors/chain.ts";
import { Scale } from "../bijectors/scale.ts";
import { Shift } from "../bijectors/shift.ts";
import { assertEventLength, assertNotNaN, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN, noClosedForm } from "./_batch.ts";
import type { Distribution } from "./distribution.ts";

type Point = number | Float64Array;
// The overloads of Bijector, seen as one signature.
type Map = (v: number | ArrayLike<number>) => Point;

/** Per-coordinate a x + b, for a bijector made of Shift and Scale only. */
interface Affine {
  scale(j: number): number;
  shift(j: number): number;
}

function affineOf(b: Bijector): Affine | undefined {
  const at = (a: Float64Array, j: number) => a.length === 1 ? a[0]! : a[j]!;
  if (b instanceof Shift) return { scale: () => 1, shift: (j) => at(b.shift, j) };
  if (b instanceof Scale) return { scale: (j) => at(b.scale, j), shift: () => 0 };
  if (!(b instanceof Chain)) return undefined;
  let acc: Affine = { scale: () => 1, shift: () => 0 };
  for (let i = b.bijectors.length - 1; i >= 0; i--) {
    const next = affineOf(b.bijectors[i]!);
    if (!next) return undefined;
    const prev = acc;
    acc = {
      scale: (j) => next.scale(j) * prev.scale(j),
      shift: (j) => next.scale(j) * prev.shift(j) + next.shift(j),
    };
  }
  return acc;
}

/**
 * The distribution of Y = f(X), for X from a base distribution and f a
 * {@linkcode Bijector}: by the change of variables,
 *
 * ```text
 * log p_Y(y) = log p_X(f⁻¹(y)) + log |det ∂f⁻¹(y)/∂y|
 * y = f(x),   x ~ p_X          (reparameterized whenever the base is)
 * ```
 *
 * Outside the range of f (`bijector.inRange(y)` false) the log-density is
 * −∞; where the two terms are infinite with opposite signs it is taken as
 * −∞ too. The mean, variance and entropy have closed forms when f is affine
 * (made of `Shift` and `Scale`): a·E[X] + b, a²·Var[X] and H[X] + Σ log|a|.
 * For any other f they are a TypeError that points to a Monte Carlo estimate
 * from `sampleN` (subclasses such as `LogNormal` supply closed forms).
 *
 * Points are what the bijector makes of the base's points: numbers for a
 * univariate base through an elementwise bijector, arrays otherwise.
 *
 * @example A Gamma shifted to start at 1
 * ```ts
 * import { Gamma, Shift, TransformedDistribution } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const g = new Gamma(2, 1), d = new TransformedDistribution(g, new Shift(1));
 * assert.equal(d.logProb(3), g.logProb(2));
 * assert.equal(d.logProb(0.5), -Infinity);
 * assert.equal(d.mean(), 3);
 * ```
 */
export class TransformedDistribution implements Distribution {
  /** The distribution of X. */
  readonly base: Distribution;
  /** The map f. */
  readonly bijector: Bijector;
  /** The number of coordinates of a point y. */
  readonly eventSize: number;
  readonly #affine: Affine | undefined;
  /** Whether points of one coordinate go to the bijector as numbers (else as arrays). */
  readonly #numbers: boolean;

  /**
   * Creates a {@linkcode TransformedDistribution}.
   *
   * @param base The distribution of X.
   * @param bijector The map f, which must take points of the base's size.
   * @throws {TypeError} If `base` is not a distribution, `bijector` not a
   *   bijector, or the bijector does not take points of the base's size.
   */
  constructor(base: Distribution, bijector: Bijector) {
    const what = "Cannot construct TransformedDistribution";
    const b = base as unknown as Record<string, unknown> | null;
    if (
      b === null || typeof b !== "object" || typeof b.logProbBatch !== "function" ||
      typeof b.sample !== "function" || typeof b.sampleN !== "function" ||
      typeof b.eventSize !== "number"
    ) {
      throw new TypeError(`${what} as base must be a distribution: current value is ${show(base)}`);
    }
    if (!isBijector(bijector)) {
      throw new TypeError(
        `${what} as bijector must be a bijector: current value is ${show(bijector)}`,
      );
    }
    this.base = base;
    this.bijector = bijector;
    this.eventSize = bijector.forwardEventSize(base.eventSize);
    this.#affine = affineOf(bijector);
    this.#numbers = base.eventSize === 1 && this.eventSize === 1 && takesNumbers(bijector);
  }

  #point(what: string, name: string, y: unknown): number | ArrayLike<number> {
    if (typeof y === "number" && this.eventSize === 1) {
      assertNotNaN(what, name, y);
      return this.#numbers ? y : [y];
    }
    assertEventLength(what, name, y, this.eventSize, true);
    return y;
  }

  #logProb(y: number | ArrayLike<number>): number {
    const f = this.bijector;
    if (!f.inRange(y)) return -Infinity;
    const x = (f.inverse as Map)(y);
    const lx = this.base.logProbBatch(typeof x === "number" ? [x] : x)[0]!;
    const ldj = f.inverseLogDetJacobian(y);
    const lp = lx + ldj;
    return lp === lp ? lp : -Infinity;
  }

  /**
   * log p_X(f⁻¹(x)) + log |det ∂f⁻¹/∂y| at y = x (a point of Y); −∞ outside
   * the range of f.
   *
   * @throws {TypeError} If `x` is not a point of `eventSize` coordinates.
   * @throws {RangeError} If an entry of `x` is NaN.
   */
  logProb(x: number | ArrayLike<number>): number {
    return this.#logProb(this.#point("Cannot compute TransformedDistribution.logProb", "x", x));
  }

  /** log-density of every row of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const k = this.eventSize;
    const o = batchOutput("TransformedDistribution", xs, k, out);
    for (let i = 0; i < o.length; i++) {
      o[i] = this.#logProb(Array.prototype.slice.call(xs, i * k, (i + 1) * k));
    }
    return o;
  }

  /** f(x) for one draw x of the base. */
  sample(rng: Rng): number | Float64Array {
    checkRng("TransformedDistribution", rng);
    const x = this.base.sample(rng);
    return (this.bijector.forward as Map)(typeof x === "number" && !this.#numbers ? [x] : x);
  }

  /** `n` draws f(xᵢ), one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const k = this.eventSize, m = this.base.eventSize;
    checkSampleN("TransformedDistribution", rng, n, Math.max(k, m));
    const xs = this.base.sampleN(rng, n), out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      const y = (this.bijector.forward as Map)(xs.subarray(i * m, (i + 1) * m));
      if (typeof y === "number") out[i] = y;
      else out.set(y, i * k);
    }
    return out;
  }

  #noClosedForm(what: string): never {
    const base = this.base.constructor?.name ?? "the base";
    noClosedForm("TransformedDistribution", what, `${this.bijector.name} of ${base}`, "sampleN");
  }

  /**
   * a·E[X] + b for an affine f.
   *
   * @throws {TypeError} For any other f: use a Monte Carlo estimate.
   */
  mean(): number | Float64Array {
    const a = this.#affine;
    if (!a) this.#noClosedForm("mean");
    const m = this.base.mean();
    return typeof m === "number"
      ? a.scale(0) * m + a.shift(0)
      : m.map((v, j) => a.scale(j) * v + a.shift(j));
  }

  /**
   * a²·Var[X] for an affine f.
   *
   * @throws {TypeError} For any other f: use a Monte Carlo estimate.
   */
  variance(): number | Float64Array {
    const a = this.#affine;
    if (!a) this.#noClosedForm("variance");
    const v = this.base.variance();
    return typeof v === "number" ? a.scale(0) ** 2 * v : v.map((x, j) => a.scale(j) ** 2 * x);
  }

  /**
   * H[X] + Σⱼ log |aⱼ| for an affine f.
   *
   * @throws {TypeError} For any other f: use a Monte Carlo estimate.
   */
  entropy(): number {
    const a = this.#affine;
    if (!a) this.#noClosedForm("entropy");
    let h = this.base.entropy();
    for (let j = 0; j < this.eventSize; j++) h += Math.log(Math.abs(a.scale(j)));
    return h;
  }
}

/** Whether a bijector maps a number to a number (an elementwise one does). */
function takesNumbers(b: Bijector): boolean {
  try {
    return typeof (b.forward as Map)(0) === "number";
  } catch {
    return false;
  }
}
