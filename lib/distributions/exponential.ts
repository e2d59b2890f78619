import { assertNotNaN, assertScale } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkBatchNaN, checkRng, checkSampleN } from "./_batch.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * The exponential distribution with rate λ, on x ≥ 0.
 *
 * Mathematical details:
 *
 * ```text
 * log p(x) = log λ − λ x        (x ≥ 0; −∞ for x < 0)
 * H        = 1 − log λ
 * x = −log(1 − u) / λ,  u ~ U[0, 1)     (inverse CDF)
 * ```
 *
 * The rate must be a positive normal float64 (≥ 2⁻¹⁰²²), so that the mean
 * 1/λ is finite.
 *
 * @example
 * ```ts
 * import { Exponential } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const e = new Exponential(2);
 * assert.equal(e.mean(), 0.5);
 * assert.equal(e.logProb(-1), -Infinity);
 * ```
 */
export class Exponential implements UnivariateDistribution {
  /** λ > 0. */
  readonly rate: number;
  /** log λ. */
  readonly logRate: number;
  /** Always 1. */
  readonly eventSize: number = 1;

  /**
   * Creates a {@linkcode Exponential}, validating every parameter.
   *
   * @param rate The rate λ (finite, ≥ 2⁻¹⁰²²).
   * @throws {TypeError} If `rate` is not a number.
   * @throws {RangeError} If `rate` is not finite and > 0, or is subnormal.
   */
  constructor(rate: number) {
    assertScale("Cannot construct Exponential", "rate", rate);
    this.rate = rate;
    this.logRate = Math.log(rate);
  }

  /**
   * log λ − λ x for x ≥ 0, −∞ below the support and at +∞.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Exponential.logProb", "x", x);
    return x < 0 ? -Infinity : this.logRate - this.rate * x;
  }

  /** log-density of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Exponential", xs, 1, out, true);
    for (let i = 0; i < o.length; i++) {
      const x = xs[i]!;
      o[i] = x < 0 ? -Infinity : this.logRate - this.rate * x;
    }
    return checkBatchNaN("Exponential", xs, 1, o);
  }

  /** One draw by the inverse CDF. */
  sample(rng: Rng): number {
    checkRng("Exponential", rng);
    return -Math.log1p(-rng.uniform()) / this.rate;
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Exponential", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = -Math.log1p(-rng.uniform()) / this.rate;
    return out;
  }

  /** 1/λ. */
  mean(): number {
    return 1 / this.rate;
  }

  /** 1/λ². */
  variance(): number {
    return (1 / this.rate) ** 2;
  }

  /** 1 − log λ. */
  entropy(): number {
    return 1 - this.logRate;
  }
}
