import { standardize } from "../math/_stable.ts";
import { assertFinite, assertNotNaN, assertScale } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkBatchNaN, checkRng, checkSampleN } from "./_batch.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * The Laplace (double exponential) distribution with location μ and scale b.
 *
 * Mathematical details:
 *
 * ```text
 * log p(x) = −log 2b − |x − μ| / b
 * H        = 1 + log 2b
 * E[X] = μ,   Var[X] = 2 b²
 * x = μ − b log(1 − 2u)      u ∈ [0, ½)   (and μ + b log(1 − 2(u − ½)) above:
 *                                          the inverse CDF, one uniform per draw)
 * ```
 *
 * A draw is a differentiable function μ + b ε of its parameters, with ε a
 * standard Laplace draw: the sample is reparameterized.
 *
 * @example
 * ```ts
 * import { createRng, Laplace } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const l = new Laplace(1, 2);
 * assert.equal(l.logProb(3), -Math.log(4) - 1);
 * assert.equal(l.variance(), 8);
 * assert.equal(typeof l.sample(createRng(1)), "number");
 * ```
 */
export class Laplace implements UnivariateDistribution {
  /** The location μ. */
  readonly loc: number;
  /** The scale b > 0. */
  readonly scale: number;
  /** log b. */
  readonly logScale: number;
  /** Always 1. */
  readonly eventSize: number = 1;

  /**
   * Creates a {@linkcode Laplace}, validating every parameter.
   *
   * @param loc The location μ (finite).
   * @param scale The scale b (finite, ≥ 2⁻¹⁰²²).
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If `loc` is not finite, or `scale` is not finite
   *   and > 0, or is subnormal.
   */
  constructor(loc: number, scale: number) {
    assertFinite("Cannot construct Laplace", "loc", loc);
    assertScale("Cannot construct Laplace", "scale", scale);
    this.loc = loc;
    this.scale = scale;
    this.logScale = Math.log(scale);
  }

  #logProb(x: number): number {
    return -Math.LN2 - this.logScale - Math.abs(standardize(x, this.loc, this.scale));
  }

  /**
   * −log 2b − |x − μ|/b; −∞ at x = ±∞.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Laplace.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-density of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Laplace", xs, 1, out, true);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return checkBatchNaN("Laplace", xs, 1, o);
  }

  #draw(rng: Rng): number {
    const u = rng.uniform();
    // 2u and 2u − 1 are exact, and log1p(−v) is finite for v ∈ [0, 1).
    const e = u < 0.5 ? Math.log1p(-2 * u) : -Math.log1p(-(2 * u - 1));
    return this.loc + this.scale * e;
  }

  /** One draw by the inverse CDF. */
  sample(rng: Rng): number {
    checkRng("Laplace", rng);
    return this.#draw(rng);
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Laplace", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#draw(rng);
    return out;
  }

  /** μ. */
  mean(): number {
    return this.loc;
  }

  /** 2 b². */
  variance(): number {
    return 2 * this.scale * this.scale;
  }

  /** 1 + log 2b. */
  entropy(): number {
    return 1 + Math.LN2 + this.logScale;
  }
}
