import { HALF_LOG_2PI } from "../math/_constants.ts";
import { assertEventLength, toFiniteVector, toPositiveVector } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkCount } from "./_batch.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/**
 * A Gaussian with independent coordinates, N(μ, diag σ²) — the variational
 * family of the VAE (MATH.md §1, seed 002).
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
  #invScale: Float64Array;

  /**
   * Creates a {@linkcode DiagNormal}, validating every parameter.
   *
   * @param loc The mean μ (finite values).
   * @param scale The standard deviations σ (finite, > 0), same length as `loc`.
   * @throws {TypeError} If the lengths differ or an argument is not an array.
   * @throws {RangeError} If a value is not finite, or a scale is not > 0.
   */
  constructor(loc: ArrayLike<number>, scale: ArrayLike<number>) {
    this.loc = toFiniteVector("Cannot construct DiagNormal", "loc", loc);
    this.scale = toPositiveVector("Cannot construct DiagNormal", "scale", scale, this.loc.length);
    this.eventSize = this.loc.length;
    this.logScale = this.scale.map(Math.log);
    this.#invScale = this.scale.map((s) => 1 / s);
    let s = 0;
    for (const l of this.logScale) s += l;
    this.#logNorm = -this.eventSize * HALF_LOG_2PI - s;
  }

  /**
   * Builds N(loc, diag exp(logScale)²).
   *
   * @param loc The mean.
   * @param logScale log σ per coordinate.
   * @returns The distribution.
   * @throws {RangeError} If a value is not finite or exp under/overflows.
   */
  static fromLogScale(loc: ArrayLike<number>, logScale: ArrayLike<number>): DiagNormal {
    const ls = toFiniteVector("Cannot construct DiagNormal", "logScale", logScale, loc.length);
    return new DiagNormal(loc, ls.map(Math.exp));
  }

  /** Σⱼ log N(xⱼ; μⱼ, σⱼ). */
  logProb(x: ArrayLike<number>): number {
    assertEventLength("DiagNormal.logProb", "x", x, this.eventSize);
    let q = 0;
    for (let j = 0; j < this.eventSize; j++) {
      const z = (x[j]! - this.loc[j]!) / this.scale[j]!;
      q += z * z;
    }
    return this.#logNorm - 0.5 * q;
  }

  /** log-density of every row of `xs`, with no per-point allocation. */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const d = this.eventSize;
    const o = batchOutput("DiagNormal", xs, d, out);
    const mu = this.loc, inv = this.#invScale, c = this.#logNorm;
    for (let i = 0, off = 0; i < o.length; i++, off += d) {
      let q = 0;
      for (let j = 0; j < d; j++) {
        const z = (xs[off + j]! - mu[j]!) * inv[j]!;
        q += z * z;
      }
      o[i] = c - 0.5 * q;
    }
    return o;
  }

  /**
   * ∇ₓ log p(x) = −(x − μ)/σ², the score in x.
   *
   * @param x A point of length d.
   * @param out Where to write (a new array by default).
   * @returns The gradient.
   */
  gradLogProb(
    x: ArrayLike<number>,
    out: Float64Array = new Float64Array(this.eventSize),
  ): Float64Array {
    assertEventLength("DiagNormal.gradLogProb", "x", x, this.eventSize);
    for (let j = 0; j < this.eventSize; j++) {
      out[j] = -(x[j]! - this.loc[j]!) * this.#invScale[j]! ** 2;
    }
    return out;
  }

  /**
   * The reparameterization map ε ↦ μ + σ ⊙ ε.
   *
   * @param epsilon Standard-normal noise of length d.
   * @param out Where to write (a new array by default).
   * @returns μ + σ ⊙ ε.
   */
  reparameterize(
    epsilon: ArrayLike<number>,
    out: Float64Array = new Float64Array(this.eventSize),
  ): Float64Array {
    assertEventLength("DiagNormal.reparameterize", "epsilon", epsilon, this.eventSize);
    for (let j = 0; j < this.eventSize; j++) out[j] = this.loc[j]! + this.scale[j]! * epsilon[j]!;
    return out;
  }

  /** One draw μ + σ ⊙ ε. */
  sample(rng: Rng): Float64Array {
    const out = new Float64Array(this.eventSize);
    for (let j = 0; j < this.eventSize; j++) out[j] = this.loc[j]! + this.scale[j]! * rng.normal();
    return out;
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkCount("DiagNormal", n);
    const d = this.eventSize;
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
    const out = new Float64Array(d * d);
    for (let j = 0; j < d; j++) out[j * d + j] = this.scale[j]! ** 2;
    return out;
  }

  /** (d/2)(1 + log 2π) + Σ log σⱼ. */
  entropy(): number {
    return 0.5 * this.eventSize - this.#logNorm;
  }
}
