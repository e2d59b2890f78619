import { Exp } from "../bijectors/exp.ts";
import { HALF_LOG_2PI } from "../math/_constants.ts";
import { standardize } from "../math/_stable.ts";
import { assertFinite, assertNotNaN, assertScale } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import { Normal } from "./normal.ts";
import { TransformedDistribution } from "./transformed.ts";

/**
 * The log-normal distribution: Y = exp(X) for X ~ N(μ, σ²), built as
 * `TransformedDistribution(Normal(loc, scale), Exp)` with the closed forms
 * the generic class lacks.
 *
 * Mathematical details, with z = (log y − μ)/σ:
 *
 * ```text
 * log p(y) = −log y − ½ log 2π − log σ − ½ z²        (y > 0; −∞ for y ≤ 0)
 * H        = μ + ½ + ½ log 2π + log σ
 * E[Y] = exp(μ + σ²/2),   Var[Y] = (exp(σ²) − 1) exp(2μ + σ²)
 * y = exp(μ + σ ε),   ε ~ N(0, 1)      (reparameterized)
 * ```
 *
 * The variance is formed in log space, log(exp(σ²) − 1) + 2μ + σ², so that
 * a tiny σ with a huge μ gives a number, not 0 · ∞.
 *
 * @example
 * ```ts
 * import { createRng, LogNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const d = new LogNormal(0, 1);
 * assert.ok(Math.abs(d.logProb(1) + 0.5 * Math.log(2 * Math.PI)) < 1e-15);
 * assert.equal(d.logProb(0), -Infinity);
 * assert.ok(Math.abs(d.mean() - Math.exp(0.5)) < 1e-15);
 * assert.ok(d.sample(createRng(1)) > 0);
 * ```
 */
export class LogNormal extends TransformedDistribution {
  /** μ, the mean of log Y. */
  readonly loc: number;
  /** σ, the standard deviation of log Y. */
  readonly scale: number;
  /** log σ. */
  readonly logScale: number;

  /**
   * Creates a {@linkcode LogNormal}, validating every parameter.
   *
   * @param loc μ (finite).
   * @param scale σ (finite, ≥ 2⁻¹⁰²²).
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If `loc` is not finite, or `scale` is not finite
   *   and > 0, or is subnormal.
   */
  constructor(loc: number, scale: number) {
    assertFinite("Cannot construct LogNormal", "loc", loc);
    assertScale("Cannot construct LogNormal", "scale", scale);
    super(new Normal(loc, scale), new Exp());
    this.loc = loc;
    this.scale = scale;
    this.logScale = Math.log(scale);
  }

  #logProb(y: number): number {
    if (!(y > 0 && y < Infinity)) return -Infinity;
    const l = Math.log(y), z = standardize(l, this.loc, this.scale);
    return -l - HALF_LOG_2PI - this.logScale - 0.5 * z * z;
  }

  /**
   * log p(x); −∞ for x ≤ 0 and at +∞.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  override logProb(x: number): number {
    assertNotNaN("Cannot compute LogNormal.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-density of every entry of `xs` (numbers, none NaN). */
  override logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("LogNormal", xs, 1, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return o;
  }

  /** One draw exp(μ + σ ε). */
  override sample(rng: Rng): number {
    checkRng("LogNormal", rng);
    return Math.exp(this.loc + this.scale * rng.normal());
  }

  /** `n` independent draws. */
  override sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("LogNormal", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.exp(this.loc + this.scale * rng.normal());
    return out;
  }

  /** exp(μ + σ²/2). */
  override mean(): number {
    return Math.exp(this.loc + 0.5 * this.scale * this.scale);
  }

  /** (exp(σ²) − 1) exp(2μ + σ²), from its logarithm. */
  override variance(): number {
    const s = this.scale, s2 = s * s, halfS2 = (0.5 * s) * s;
    // ½ log(exp(σ²) − 1): log σ + ¼ σ² for tiny σ, ½ σ² for large σ
    const halfLog = s2 < 1e-8
      ? this.logScale + 0.25 * s2
      : s2 > 700
      ? halfS2
      : 0.5 * Math.log(Math.expm1(s2));
    // exp(2 × half-exponent): every half is finite, so ∞ − ∞ cannot occur
    const e = Math.exp(halfLog + this.loc + halfS2);
    return e * e;
  }

  /** μ + ½ + ½ log 2π + log σ. */
  override entropy(): number {
    return this.loc + 0.5 + HALF_LOG_2PI + this.logScale;
  }
}
