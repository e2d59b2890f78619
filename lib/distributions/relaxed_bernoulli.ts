import { assertEventLength, assertPositive } from "../math/_validate.ts";
import { sigmoid, softplus } from "../math/softplus.ts";
import type { Rng } from "../math/rng.ts";
import { readOpenLogits } from "./_logits.ts";
import { batchOutput, checkRng, checkSampleN, noClosedForm } from "./_batch.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/** The least positive normal float64, 2⁻¹⁰²², and the largest float64 below 1. */
const MIN_NORMAL = 2 ** -1022, BELOW_ONE = 1 - 2 ** -53;

/** The parameters of a {@linkcode RelaxedBernoulli}: logits ℓ, or p = σ(ℓ) in (0, 1). */
export type RelaxedBernoulliParams = { logits: ArrayLike<number> } | { probs: ArrayLike<number> };

/**
 * The log-density of a relaxed Bernoulli coordinate at x ∈ [0, 1]: the
 * logistic density of t = ℓ − λ logit x times the Jacobian λ/(x(1 − x)),
 * log λ − softplus(t) − softplus(−t) − log x − log(1 − x); at x = 0 and 1
 * its limit (λ < 1: +∞, λ > 1: −∞, λ = 1: ∓ℓ); −∞ outside [0, 1].
 */
function logDensity(x: number, logit: number, lambda: number): number {
  if (!(x >= 0 && x <= 1)) return -Infinity;
  if (x === 0 || x === 1) {
    return lambda < 1 ? Infinity : lambda > 1 ? -Infinity : x === 0 ? -logit : logit;
  }
  const lx = Math.log(x), l1x = Math.log1p(-x), t = logit - lambda * (lx - l1x);
  return Math.log(lambda) - softplus(t) - softplus(-t) - lx - l1x;
}

/**
 * The relaxed Bernoulli, or binary Concrete, distribution (Maddison et al.
 * 2017; Jang et al. 2017): independent coordinates on [0, 1], each a
 * Bernoulli's draw made continuous at temperature λ — as λ → 0 a draw
 * becomes 1 with probability p and 0 otherwise.
 *
 * Mathematical details, with logits ℓ = log(p/(1 − p)):
 *
 * ```text
 * X = σ((ℓ + L)/λ),   L = log U − log(1 − U) ~ Logistic(0, 1),  U ~ U(0, 1)
 * log p(x) = Σⱼ log λ − softplus(tⱼ) − softplus(−tⱼ) − log xⱼ − log(1 − xⱼ),   tⱼ = ℓⱼ − λ logit xⱼ
 * P(Xⱼ > ½) = pⱼ
 * ```
 *
 * The density is the logistic density of t through the Jacobian of x ↦ t,
 * in softplus form: no overflow for any logit or point. At x = 0 or 1 it is
 * the limit (+∞ for λ < 1, −∞ for λ > 1, −ℓ and ℓ for λ = 1); outside [0, 1]
 * it is −∞, and a −∞ coordinate outweighs a +∞ one. The mean, variance and
 * entropy have no closed form: they throw, and point to a Monte Carlo
 * estimate. A draw is kept within [2⁻¹⁰²², 1 − 2⁻⁵³] (at a low temperature
 * it would round to 0 or 1, where the density is infinite); in the tensor
 * layer draws are reparameterized.
 *
 * @example
 * ```ts
 * import { createRng, RelaxedBernoulli } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const d = new RelaxedBernoulli(0.5, { probs: [0.3, 0.8] });
 * const x = d.sample(createRng(1));
 * assert.ok(x.every((v) => v > 0 && v < 1));
 * // λ = 1, ℓ = 0: the uniform density on [0, 1]².
 * assert.ok(Math.abs(new RelaxedBernoulli(1, { logits: [0, 0] }).logProb([0.2, 0.9])) < 1e-15);
 * ```
 */
export class RelaxedBernoulli implements MultivariateDistribution {
  /** The temperature λ > 0. */
  readonly temperature: number;
  /** ℓ = log(p/(1 − p)). */
  readonly logits: Float64Array;
  /** p = σ(ℓ), the probability that a coordinate exceeds ½. */
  readonly probs: Float64Array;
  /** The number of coordinates. */
  readonly eventSize: number;

  /**
   * Creates a {@linkcode RelaxedBernoulli}, validating every parameter.
   *
   * @param temperature λ, a finite number > 0.
   * @param params `{ logits }` (finite) or `{ probs }` (each in (0, 1)).
   * @throws {TypeError} If `temperature` is not a number, neither or both
   *   parameters are given, they are not arrays of numbers, or `params` has
   *   another key.
   * @throws {RangeError} If `temperature` is not finite and > 0, a logit is
   *   not finite or a probability is outside (0, 1).
   */
  constructor(temperature: number, params: RelaxedBernoulliParams) {
    const what = "Cannot construct RelaxedBernoulli";
    assertPositive(what, "temperature", temperature);
    this.temperature = temperature;
    ({ logits: this.logits, probs: this.probs } = readOpenLogits(what, params));
    this.eventSize = this.logits.length;
  }

  #logProbAt(x: ArrayLike<number>, off: number): number {
    let s = 0, up = false;
    for (let j = 0; j < this.eventSize; j++) {
      const lp = logDensity(x[off + j]!, this.logits[j]!, this.temperature);
      if (lp === -Infinity) return -Infinity;
      if (lp === Infinity) up = true;
      else s += lp;
    }
    return up ? Infinity : s;
  }

  /**
   * Σⱼ log p(xⱼ); −∞ if an entry of x is outside [0, 1].
   *
   * @throws {TypeError} If `x` is not an array of d numbers.
   * @throws {RangeError} If an entry of `x` is NaN.
   */
  logProb(x: ArrayLike<number>): number {
    assertEventLength("Cannot compute RelaxedBernoulli.logProb", "x", x, this.eventSize, true);
    return this.#logProbAt(x, 0);
  }

  /** log-density of every row of `xs` (d numbers each, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const d = this.eventSize, o = batchOutput("RelaxedBernoulli", xs, d, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProbAt(xs, i * d);
    return o;
  }

  #draw(rng: Rng, out: Float64Array, off: number): void {
    for (let j = 0; j < this.eventSize; j++) {
      let u = rng.uniform();
      while (u === 0) u = rng.uniform();
      const l = Math.log(u) - Math.log1p(-u);
      // Kept inside (0, 1), where the log-density is finite.
      const x = sigmoid((this.logits[j]! + l) / this.temperature);
      out[off + j] = Math.min(Math.max(x, MIN_NORMAL), BELOW_ONE);
    }
  }

  /** One draw σ((ℓ + L)/λ), L logistic. */
  sample(rng: Rng): Float64Array {
    checkRng("RelaxedBernoulli", rng);
    const out = new Float64Array(this.eventSize);
    this.#draw(rng, out, 0);
    return out;
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const d = this.eventSize;
    checkSampleN("RelaxedBernoulli", rng, n, d);
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) this.#draw(rng, out, i * d);
    return out;
  }

  /**
   * The mean, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  mean(): Float64Array {
    return noClosedForm("RelaxedBernoulli", "mean", "its mean", "sampleN");
  }

  /**
   * The variance, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  variance(): Float64Array {
    return noClosedForm("RelaxedBernoulli", "variance", "its variance", "sampleN");
  }

  /**
   * The entropy, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  entropy(): number {
    return noClosedForm("RelaxedBernoulli", "entropy", "its entropy", "sampleN");
  }
}
