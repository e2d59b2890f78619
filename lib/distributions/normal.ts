import { HALF_LOG_2PI } from "../math/_constants.ts";
import { standardize } from "../math/_stable.ts";
import { assertFinite, assertNotNaN, assertScale, expScale } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkBatchNaN, checkRng, checkSampleN } from "./_batch.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * The univariate Gaussian N(loc, scale²).
 *
 * Mathematical details, with the standardised value z = (x − μ)/σ:
 *
 * ```text
 * log N(x; μ, σ) = −½ log 2π − log σ − ½ z²
 * H[N(μ, σ)]     = ½ log(2π e σ²)
 * x = μ + σ ε,  ε ~ N(0, 1)        (reparameterization, Kingma & Welling 2014)
 * ```
 *
 * The scale must be a positive normal float64 (≥ 2⁻¹⁰²² ≈ 2.2e-308): a
 * subnormal scale has no finite reciprocal, so it is refused rather than
 * left to produce NaN downstream.
 *
 * @example
 * ```ts
 * import { createRng, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const n = new Normal(0, 1);
 * assert.ok(Math.abs(n.logProb(0) + 0.5 * Math.log(2 * Math.PI)) < 1e-15);
 * assert.equal(n.reparameterize(2), 2);
 * assert.equal(typeof n.sample(createRng(1)), "number");
 * assert.throws(() => n.logProb(NaN), RangeError);
 * ```
 */
export class Normal implements UnivariateDistribution {
  /** The mean μ. */
  readonly loc: number;
  /** The standard deviation σ > 0. */
  readonly scale: number;
  /** log σ, kept for stable formulas. */
  readonly logScale: number;
  /** Always 1. */
  readonly eventSize: number = 1;

  /**
   * Creates a {@linkcode Normal}, validating every parameter.
   *
   * @param loc The mean μ (finite).
   * @param scale The standard deviation σ (finite, ≥ 2⁻¹⁰²²).
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If `loc` is not finite, or `scale` is not finite
   *   and > 0, or is subnormal.
   */
  constructor(loc: number, scale: number) {
    assertFinite("Cannot construct Normal", "loc", loc);
    assertScale("Cannot construct Normal", "scale", scale);
    this.loc = loc;
    this.scale = scale;
    this.logScale = Math.log(scale);
  }

  /**
   * Builds N(loc, exp(logScale)²), the parameterisation the estimators
   * optimise.
   *
   * @param loc The mean.
   * @param logScale log σ, in about [−708.4, 709.8] so that σ is a positive
   *   normal float64.
   * @returns The distribution.
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If an argument is not finite, or exp(logScale)
   *   under- or overflows.
   */
  static fromLogScale(loc: number, logScale: number): Normal {
    return new Normal(loc, expScale("Cannot construct Normal", "logScale", logScale));
  }

  /**
   * log N(x; μ, σ); −∞ at x = ±∞.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Normal.logProb", "x", x);
    const z = standardize(x, this.loc, this.scale);
    return -HALF_LOG_2PI - this.logScale - 0.5 * z * z;
  }

  /** log N(xᵢ; μ, σ) for every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Normal", xs, 1, out, true);
    const c = -HALF_LOG_2PI - this.logScale, mu = this.loc, s = this.scale;
    for (let i = 0; i < o.length; i++) {
      const z = standardize(xs[i]!, mu, s);
      o[i] = c - 0.5 * z * z;
    }
    return checkBatchNaN("Normal", xs, 1, o);
  }

  /**
   * ∇ₓ log N(x; μ, σ) = −(x − μ)/σ².
   *
   * @throws {RangeError} If `x` is not finite.
   */
  gradLogProb(x: number): number {
    assertFinite("Cannot compute Normal.gradLogProb", "x", x);
    return -standardize(x, this.loc, this.scale) / this.scale;
  }

  /**
   * The reparameterization map ε ↦ μ + σ ε.
   *
   * @throws {RangeError} If `epsilon` is not finite.
   */
  reparameterize(epsilon: number): number {
    assertFinite("Cannot compute Normal.reparameterize", "epsilon", epsilon);
    return this.loc + this.scale * epsilon;
  }

  /** One draw μ + σ ε. */
  sample(rng: Rng): number {
    checkRng("Normal", rng);
    return this.loc + this.scale * rng.normal();
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Normal", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.loc + this.scale * rng.normal();
    return out;
  }

  /** μ. */
  mean(): number {
    return this.loc;
  }

  /** σ². */
  variance(): number {
    return this.scale * this.scale;
  }

  /** ½ log(2π e) + log σ. */
  entropy(): number {
    return 0.5 + HALF_LOG_2PI + this.logScale;
  }
}
