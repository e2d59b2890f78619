import { assertNotNaN, assertScale, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import { concentrationEntropy, logDensity, type Normaliser, normaliser } from "./_concentration.ts";
import { sampleLogGamma } from "./_deviance.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * The beta distribution on [0, 1] with shapes α (`alpha`) and β (`beta`).
 *
 * Mathematical details, with s = α + β, h(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π − ½ log x
 * and r(x) = log x − ψ(x):
 *
 * ```text
 * log p(x) = (α − 1) log x + (β − 1) log(1 − x) − log B(α, β)
 *          = −bd0(α, s x) − bd0(β, s (1 − x)) − log x − log(1 − x) − h(α) − h(β) + h(s) − ½ log 2π
 * H        = log B(α, β) − (α − 1) ψ(α) − (β − 1) ψ(β) + (s − 2) ψ(s)
 * E[X] = α/s,   Var[X] = α β / (s² (s + 1))
 * X = G₁ / (G₁ + G₂),   G₁ ~ Gamma(α, 1), G₂ ~ Gamma(β, 1)
 * ```
 *
 * with bd0(k, λ) = k log(k/λ) + λ − k ≥ 0 (Loader 2000): the second line is
 * the form computed once α or β reaches 10, where the first subtracts terms
 * of size α log α; the entropy is computed from Stirling's remainders in the
 * same way, so both keep ~15 digits for shapes up to 10¹⁵⁰ and more. The
 * shapes must be positive normal float64s with a finite sum. Sampling draws
 * the Gammas in log space, so tiny shapes give draws at 0 or 1, never NaN;
 * it is not reparameterized (use the score-function estimator, or implicit
 * gradients in the tensor layer).
 *
 * @example
 * ```ts
 * import { Beta, createRng } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new Beta(2, 3);
 * assert.ok(Math.abs(b.logProb(0.4) - Math.log(12 * 0.4 * 0.6 * 0.6)) < 1e-14);
 * assert.equal(b.mean(), 0.4);
 * const x = b.sample(createRng(1));
 * assert.ok(x > 0 && x < 1);
 * ```
 */
export class Beta implements UnivariateDistribution {
  /** The first shape α > 0. */
  readonly alpha: number;
  /** The second shape β > 0. */
  readonly beta: number;
  /** Always 1. */
  readonly eventSize: number = 1;
  readonly #n: Normaliser;
  readonly #params: Float64Array;

  /**
   * Creates a {@linkcode Beta}, validating every parameter.
   *
   * @param alpha The shape α (finite, ≥ 2⁻¹⁰²²).
   * @param beta The shape β (finite, ≥ 2⁻¹⁰²²), with α + β finite.
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If an argument is not finite and > 0, is
   *   subnormal, or α + β overflows.
   */
  constructor(alpha: number, beta: number) {
    const what = "Cannot construct Beta";
    assertScale(what, "alpha", alpha);
    assertScale(what, "beta", beta);
    if (alpha + beta === Infinity) {
      throw new RangeError(
        `${what} as alpha + beta must be finite: current values are ${show(alpha)} and ${
          show(beta)
        }`,
      );
    }
    this.alpha = alpha;
    this.beta = beta;
    this.#params = Float64Array.of(alpha, beta);
    this.#n = normaliser(this.#params);
  }

  #logProb(x: number): number {
    if (!(x >= 0 && x <= 1)) return -Infinity;
    const a = this.alpha, b = this.beta;
    if (x === 0 || x === 1) {
      const [edge, other] = x === 0 ? [a, b] : [b, a];
      // At x = 0 with α = 1: −log B(1, β) = log β.
      if (edge === 1) return Math.log(other);
      return edge < 1 ? Infinity : -Infinity;
    }
    const c = 1 - x, cErr = (1 - c) - x; // 1 − x = c + cErr exactly
    return logDensity(this.#params, this.#n, [x, c], [0, cErr], [Math.log(x), Math.log1p(-x)], 0);
  }

  /**
   * log p(x): −∞ outside [0, 1]; at 0 (or 1) it is +∞ when α < 1 (β < 1),
   * −∞ when α > 1 (β > 1), and log β (log α) when α = 1 (β = 1).
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Beta.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-density of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Beta", xs, 1, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return o;
  }

  #draw(rng: Rng): number {
    const g1 = sampleLogGamma(rng, this.alpha, "Beta");
    const g2 = sampleLogGamma(rng, this.beta, "Beta");
    return 1 / (1 + Math.exp(g2 - g1));
  }

  /** One draw G₁/(G₁ + G₂), formed as σ(log G₁ − log G₂). */
  sample(rng: Rng): number {
    checkRng("Beta", rng);
    return this.#draw(rng);
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Beta", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#draw(rng);
    return out;
  }

  /** α/(α + β). */
  mean(): number {
    return this.alpha / this.#n.sum;
  }

  /** (α/s)(β/s)/(s + 1). */
  variance(): number {
    const s = this.#n.sum;
    return (this.alpha / s) * (this.beta / s) / (s + 1);
  }

  /** The differential entropy, from Stirling's remainders (no cancellation). */
  entropy(): number {
    return concentrationEntropy(this.#params, this.#n.sum);
  }
}
