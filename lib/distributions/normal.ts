import { HALF_LOG_2PI } from "../math/_constants.ts";
import { assertFinite, assertPositive } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkCount } from "./_batch.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * The univariate Gaussian N(loc, scale²).
 *
 * Mathematical details (MATH.md §1, seeds 000–002), with the standardised
 * value z = (x − μ)/σ:
 *
 * ```text
 * log N(x; μ, σ) = −½ log 2π − log σ − ½ z²
 * H[N(μ, σ)]     = ½ log(2π e σ²)
 * x = μ + σ ε,  ε ~ N(0, 1)        (reparameterization, seed 001)
 * ```
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
   * @param scale The standard deviation σ (finite, > 0).
   * @throws {RangeError} If `loc` is not finite or `scale` is not finite and > 0.
   */
  constructor(loc: number, scale: number) {
    assertFinite("Cannot construct Normal", "loc", loc);
    assertPositive("Cannot construct Normal", "scale", scale);
    this.loc = loc;
    this.scale = scale;
    this.logScale = Math.log(scale);
  }

  /**
   * Builds N(loc, exp(logScale)²), the parameterisation the estimators
   * optimise.
   *
   * @param loc The mean.
   * @param logScale log σ (finite).
   * @returns The distribution.
   * @throws {RangeError} If an argument is not finite, or exp(logScale)
   *   under- or overflows.
   */
  static fromLogScale(loc: number, logScale: number): Normal {
    assertFinite("Cannot construct Normal", "logScale", logScale);
    return new Normal(loc, Math.exp(logScale));
  }

  /** log N(x; μ, σ). */
  logProb(x: number): number {
    const z = (x - this.loc) / this.scale;
    return -HALF_LOG_2PI - this.logScale - 0.5 * z * z;
  }

  /** log N(xᵢ; μ, σ) for every entry of `xs`. */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Normal", xs, 1, out);
    const c = -HALF_LOG_2PI - this.logScale, mu = this.loc, inv = 1 / this.scale;
    for (let i = 0; i < o.length; i++) {
      const z = (xs[i]! - mu) * inv;
      o[i] = c - 0.5 * z * z;
    }
    return o;
  }

  /** ∇ₓ log N(x; μ, σ) = −(x − μ)/σ². */
  gradLogProb(x: number): number {
    return -(x - this.loc) / (this.scale * this.scale);
  }

  /** The reparameterization map ε ↦ μ + σ ε. */
  reparameterize(epsilon: number): number {
    return this.loc + this.scale * epsilon;
  }

  /** One draw μ + σ ε. */
  sample(rng: Rng): number {
    return this.loc + this.scale * rng.normal();
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkCount("Normal", n);
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
