import { LOG_2PI } from "../math/_constants.ts";
import { digammaRemainder, logGammaNear2, stirlingRemainder } from "../math/_gamma_series.ts";
import { assertNotNaN, assertScale, MIN_NORMAL } from "../math/_validate.ts";
import { logGammaUnchecked } from "../math/special.ts";
import type { Rng } from "../math/rng.ts";
import { bd0, productError, sampleLogGamma } from "./_deviance.ts";
import { batchOutput, checkBatchNaN, checkRng, checkSampleN } from "./_batch.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * The gamma distribution with shape α (`concentration`) and rate β, on x ≥ 0.
 *
 * Mathematical details, with c(α) = log Γ(α) − (α − ½) log α + α − ½ log 2π
 * (Stirling's remainder) and r(α) = log α − ψ(α):
 *
 * ```text
 * log p(x) = log β + (α − 1) log y − y − log Γ(α),   y = βx
 *          = log β + log(α/y) + α log y − y − log Γ(1 + α)                        (α < ½)
 *          = log β − log y + ½ log(α/2π) − c(α) − bd0(α, y),   bd0(k, λ) = k log(k/λ) + λ − k ≥ 0   (α ≥ 10)
 * H        = α − log β + log Γ(α) + (1 − α) ψ(α)
 *          = ½ (log 2π + log α) + c(α) + (α − 1) r(α) − log β
 * E[X] = α/β,   Var[X] = α/β²
 * ```
 *
 * The last lines are the forms computed for large α (Loader 2000): the
 * first ones subtract terms of size α log α, and lose every digit for
 * α ≳ 10¹⁰; these keep ~15 digits for any α. For tiny α the log α of
 * −log Γ(α) ≈ log α is paired with −log y. Sampling is Marsaglia & Tsang's (2000)
 * rejection method, boosted for α < 1; it is not reparameterized (use the
 * score-function estimator, or implicit gradients in the tensor layer).
 *
 * @example
 * ```ts
 * import { createRng, Gamma } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const g = new Gamma(2, 3);
 * assert.ok(Math.abs(g.logProb(1) - (2 * Math.log(3) + Math.log(1) - 3)) < 1e-15);
 * assert.equal(g.mean(), 2 / 3);
 * assert.equal(g.logProb(-1), -Infinity);
 * assert.ok(g.sample(createRng(1)) > 0);
 * ```
 */
export class Gamma implements UnivariateDistribution {
  /** The shape α > 0. */
  readonly concentration: number;
  /** The rate β > 0. */
  readonly rate: number;
  /** log β. */
  readonly logRate: number;
  /** Always 1. */
  readonly eventSize: number = 1;
  /** ½ log(α/2π) − c(α), the constant of the stable log-density (α ≥ 10). */
  readonly #constant: number;
  /** log Γ(α) for ½ ≤ α < 10, log Γ(1 + α) for α < ½. */
  readonly #logGamma: number;

  /**
   * Creates a {@linkcode Gamma}, validating every parameter.
   *
   * @param concentration The shape α (finite, ≥ 2⁻¹⁰²²).
   * @param rate The rate β (finite, ≥ 2⁻¹⁰²²).
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If an argument is not finite and > 0, or is subnormal.
   */
  constructor(concentration: number, rate: number) {
    assertScale("Cannot construct Gamma", "concentration", concentration);
    assertScale("Cannot construct Gamma", "rate", rate);
    this.concentration = concentration;
    this.rate = rate;
    this.logRate = Math.log(rate);
    this.#constant = 0.5 * (Math.log(concentration) - LOG_2PI) - stirlingRemainder(concentration);
    this.#logGamma = concentration < 0.5
      ? logGammaNear2(concentration) - Math.log1p(concentration)
      : logGammaUnchecked(concentration);
  }

  #logProb(x: number): number {
    if (x < 0 || x === Infinity) return -Infinity;
    const a = this.concentration;
    if (x === 0) return a < 1 ? Infinity : a === 1 ? this.logRate : -Infinity;
    const y = this.rate * x;
    if (y === Infinity) return -Infinity;
    const logY = y >= MIN_NORMAL ? Math.log(y) : this.logRate + Math.log(x);
    if (a >= 10) {
      const err = productError(this.rate, x, y);
      return this.logRate - logY + this.#constant - bd0(a, y, logY, err);
    }
    if (a >= 0.5) return this.logRate + (a - 1) * logY - y - this.#logGamma;
    // −log Γ(α) = log α − log Γ(1 + α): log(α/y) keeps the digits of α ≈ y.
    const r = a / y;
    const logRatio = r >= MIN_NORMAL && r < Infinity ? Math.log(r) : Math.log(a) - logY;
    return this.logRate + logRatio + a * logY - y - this.#logGamma;
  }

  /**
   * log p(x): −∞ below the support and at +∞; at x = 0 it is +∞ for α < 1,
   * log β for α = 1 and −∞ for α > 1.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Gamma.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-density of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Gamma", xs, 1, out, true);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return checkBatchNaN("Gamma", xs, 1, o);
  }

  #draw(rng: Rng): number {
    return Math.exp(sampleLogGamma(rng, this.concentration, "Gamma") - this.logRate);
  }

  /** One draw (Marsaglia–Tsang); 0 where a draw underflows (tiny α). */
  sample(rng: Rng): number {
    checkRng("Gamma", rng);
    return this.#draw(rng);
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Gamma", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#draw(rng);
    return out;
  }

  /** α/β. */
  mean(): number {
    return this.concentration / this.rate;
  }

  /** α/β². */
  variance(): number {
    return this.concentration / this.rate / this.rate;
  }

  /** ½ (log 2π + log α) + c(α) + (α − 1) r(α) − log β, without cancellation. */
  entropy(): number {
    const a = this.concentration;
    return 0.5 * (LOG_2PI + Math.log(a)) + stirlingRemainder(a) + (a - 1) * digammaRemainder(a) -
      this.logRate;
  }
}
