import { HALF_LOG_2PI } from "../math/_constants.ts";
import { standardize } from "../math/_stable.ts";
import {
  assertArrayLike,
  assertCount,
  assertEventLength,
  expScale,
  toFiniteVector,
  toPositiveVector,
} from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkBatchNaN, checkRng, checkSampleN, outVector } from "./_batch.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/**
 * A Gaussian with independent coordinates, N(μ, diag σ²) — the variational
 * family of the VAE (Kingma & Welling 2014).
 *
 * Mathematical details, with zⱼ = (xⱼ − μⱼ)/σⱼ:
 *
 * ```text
 * log p(x) = Σⱼ (−½ log 2π − log σⱼ − ½ zⱼ²)
 * H        = (d/2)(1 + log 2π) + Σⱼ log σⱼ
 * x = μ + σ ⊙ ε,  ε ~ N(0, I)
 * ```
 *
 * @example
 * ```ts
 * import { DiagNormal, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const q = new DiagNormal([0, 1], [1, 2]);
 * const expected = new Normal(0, 1).logProb(0.5) + new Normal(1, 2).logProb(-1);
 * assert.ok(Math.abs(q.logProb([0.5, -1]) - expected) < 1e-14);
 * ```
 */
export class DiagNormal implements MultivariateDistribution {
  /** The mean μ. */
  readonly loc: Float64Array;
  /** The per-coordinate standard deviations σ. */
  readonly scale: Float64Array;
  /** log σ. */
  readonly logScale: Float64Array;
  /** d, the number of coordinates. */
  readonly eventSize: number;
  #logNorm: number;

  /**
   * Creates a {@linkcode DiagNormal}, validating every parameter.
   *
   * @param loc The mean μ (finite values).
   * @param scale The standard deviations σ (finite, ≥ 2⁻¹⁰²², not
   *   subnormal), same length as `loc`.
   * @throws {TypeError} If the lengths differ or an argument is not an array
   *   of numbers.
   * @throws {RangeError} If a value is not finite, or a scale is not > 0 or
   *   is subnormal.
   */
  constructor(loc: ArrayLike<number>, scale: ArrayLike<number>) {
    const what = "Cannot construct DiagNormal";
    this.loc = toFiniteVector(what, "loc", loc);
    this.scale = toPositiveVector(what, "scale", scale, this.loc.length, "loc");
    this.eventSize = this.loc.length;
    this.logScale = this.scale.map(Math.log);
    let s = 0;
    for (const l of this.logScale) s += l;
    this.#logNorm = -this.eventSize * HALF_LOG_2PI - s;
  }

  /**
   * Builds N(loc, diag exp(logScale)²).
   *
   * @param loc The mean.
   * @param logScale log σ per coordinate, each in about [−708.4, 709.8].
   * @returns The distribution.
   * @throws {TypeError} If the lengths differ or an argument is not an array.
   * @throws {RangeError} If a value is not finite or exp under/overflows.
   */
  static fromLogScale(loc: ArrayLike<number>, logScale: ArrayLike<number>): DiagNormal {
    const what = "Cannot construct DiagNormal";
    const n = assertArrayLike(what, "loc", loc).length;
    const ls = toFiniteVector(what, "logScale", logScale, n, "loc");
    return new DiagNormal(loc, ls.map((v, j) => expScale(what, `logScale[${j}]`, v)));
  }

  /**
   * Σⱼ log N(xⱼ; μⱼ, σⱼ); −∞ where a coordinate is ±∞.
   *
   * @throws {TypeError} If `x` is not an array of d numbers.
   * @throws {RangeError} If an entry of `x` is NaN.
   */
  logProb(x: ArrayLike<number>): number {
    assertEventLength("Cannot compute DiagNormal.logProb", "x", x, this.eventSize, true);
    return this.#logProbAt(x, 0);
  }

  #logProbAt(xs: ArrayLike<number>, off: number): number {
    let q = 0;
    for (let j = 0; j < this.eventSize; j++) {
      const z = standardize(xs[off + j]!, this.loc[j]!, this.scale[j]!);
      q += z * z;
    }
    return this.#logNorm - 0.5 * q;
  }

  /** log-density of every row of `xs`, with no per-point allocation. */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const d = this.eventSize;
    const o = batchOutput("DiagNormal", xs, d, out, true);
    if (xs instanceof Float64Array) {
      // One loop that only ever sees a Float64Array: V8 keeps it monomorphic.
      squaredDistances(xs, this.loc, this.scale, o);
      for (let i = 0; i < o.length; i++) {
        const q = o[i]!;
        // An overflowed x − μ (q = ∞) is redone with the careful form; NaN stays NaN.
        o[i] = q < Infinity ? this.#logNorm - 0.5 * q : this.#logProbAt(xs, i * d);
      }
    } else {
      for (let i = 0; i < o.length; i++) o[i] = this.#logProbAt(xs, i * d);
    }
    return checkBatchNaN("DiagNormal", xs, d, o);
  }

  /**
   * ∇ₓ log p(x) = −(x − μ)/σ², the score in x.
   *
   * @param x A point of length d (finite).
   * @param out Where to write (a Float64Array of length d; a new one by default).
   * @returns The gradient.
   * @throws {TypeError} If `x` or `out` has the wrong type or length.
   * @throws {RangeError} If an entry of `x` is not finite.
   */
  gradLogProb(x: ArrayLike<number>, out?: Float64Array): Float64Array {
    const what = "Cannot compute DiagNormal.gradLogProb";
    assertEventLength(what, "x", x, this.eventSize);
    const o = outVector(what, out, this.eventSize);
    for (let j = 0; j < this.eventSize; j++) {
      o[j] = -standardize(x[j]!, this.loc[j]!, this.scale[j]!) / this.scale[j]!;
    }
    return o;
  }

  /**
   * The reparameterization map ε ↦ μ + σ ⊙ ε.
   *
   * @param epsilon Standard-normal noise of length d (finite).
   * @param out Where to write (a Float64Array of length d; a new one by default).
   * @returns μ + σ ⊙ ε.
   * @throws {TypeError} If `epsilon` or `out` has the wrong type or length.
   * @throws {RangeError} If an entry of `epsilon` is not finite.
   */
  reparameterize(epsilon: ArrayLike<number>, out?: Float64Array): Float64Array {
    const what = "Cannot compute DiagNormal.reparameterize";
    assertEventLength(what, "epsilon", epsilon, this.eventSize);
    const o = outVector(what, out, this.eventSize);
    for (let j = 0; j < this.eventSize; j++) o[j] = this.loc[j]! + this.scale[j]! * epsilon[j]!;
    return o;
  }

  /** One draw μ + σ ⊙ ε. */
  sample(rng: Rng): Float64Array {
    checkRng("DiagNormal", rng);
    const out = new Float64Array(this.eventSize);
    for (let j = 0; j < this.eventSize; j++) out[j] = this.loc[j]! + this.scale[j]! * rng.normal();
    return out;
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const d = this.eventSize;
    checkSampleN("DiagNormal", rng, n, d);
    const out = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) {
      const j = i % d;
      out[i] = this.loc[j]! + this.scale[j]! * rng.normal();
    }
    return out;
  }

  /** μ. */
  mean(): Float64Array {
    return this.loc.slice();
  }

  /** σ² per coordinate. */
  variance(): Float64Array {
    return this.scale.map((s) => s * s);
  }

  /** diag(σ²), flat row-major. */
  covariance(): Float64Array {
    const d = this.eventSize;
    assertCount("Cannot compute DiagNormal.covariance", "eventSize", d, 1, d);
    const out = new Float64Array(d * d);
    for (let j = 0; j < d; j++) out[j * d + j] = this.scale[j]! ** 2;
    return out;
  }

  /** (d/2)(1 + log 2π) + Σ log σⱼ. */
  entropy(): number {
    return 0.5 * this.eventSize - this.#logNorm;
  }
}

/** q_i = Σⱼ ((x_ij − μⱼ)/σⱼ)² for each row i of a flat batch (∞ where a difference overflows). */
function squaredDistances(
  xs: Float64Array,
  loc: Float64Array,
  scale: Float64Array,
  out: Float64Array,
): void {
  const d = loc.length;
  for (let i = 0, k = 0; i < out.length; i++) {
    let q = 0;
    for (let j = 0; j < d; j++, k++) {
      const z = (xs[k]! - loc[j]!) / scale[j]!;
      q += z * z;
    }
    out[i] = q;
  }
}
