import { assertEventLength, assertPositive } from "../math/_validate.ts";
import { logSumExp } from "../math/log_sum_exp.ts";
import type { Rng } from "../math/rng.ts";
import { logGamma } from "../math/special.ts";
import { batchOutput, checkRng, checkSampleN, noClosedForm } from "./_batch.ts";
import { categoricalParts } from "./_categorical_params.ts";
import { checkSimplex } from "./_simplex.ts";
import type { CategoricalParams } from "./categorical.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/**
 * The relaxed one-hot categorical, or Concrete, distribution (Maddison et
 * al. 2017), the Gumbel-softmax of Jang et al. 2017: points of the
 * probability simplex of K ≥ 2 coordinates, a one-hot categorical draw made
 * continuous at temperature λ — as λ → 0 a draw becomes the one-hot vector
 * e_c with c ~ Categorical(p).
 *
 * Mathematical details, with p = softmax(ℓ):
 *
 * ```text
 * X = softmax((log p + G)/λ),   Gₖ = −log(−log Uₖ) ~ Gumbel(0, 1),  Uₖ ~ U(0, 1)
 * log p(x) = log Γ(K) + (K − 1) log λ + Σₖ (aₖ − M) − Σₖ log xₖ,   aₖ = log pₖ − λ log xₖ,  M = log Σₖ e^{aₖ}
 * argmaxₖ Xₖ ~ Categorical(p)
 * ```
 *
 * The density is that of the first K − 1 coordinates (Lebesgue measure on
 * the simplex), as in Maddison et al. (2017), computed with its
 * log-sum-exp taken once so that no term overflows. A point must lie on the
 * simplex (entries in [0, 1] summing to 1 within 10⁻¹⁰, else a RangeError).
 * On its boundary, where z coordinates are 0, the log-density is its limit
 * as those coordinates shrink together: −∞ if Kλ > z(λ + 1), +∞ if
 * Kλ < z(λ + 1), finite where the two are equal (within a few roundings).
 * A draw's entry that underflows is kept at 2⁻¹⁰²². The mean, variance and
 * entropy have no closed form: they throw, and point to a Monte Carlo
 * estimate. Every probability must be > 0. In the tensor layer the draws
 * are reparameterized.
 *
 * @example
 * ```ts
 * import { createRng, RelaxedOneHotCategorical } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const d = new RelaxedOneHotCategorical(0.5, { probs: [0.2, 0.5, 0.3] });
 * const x = d.sample(createRng(1));
 * assert.ok(Math.abs(x.reduce((s, v) => s + v, 0) - 1) < 1e-15);
 * // K = 2, λ = 1, p = (½, ½): uniform on the segment, density 1.
 * const u = new RelaxedOneHotCategorical(1, { logits: [0, 0] });
 * assert.ok(Math.abs(u.logProb([0.3, 0.7])) < 1e-15);
 * ```
 */
export class RelaxedOneHotCategorical implements MultivariateDistribution {
  /** The temperature λ > 0. */
  readonly temperature: number;
  /** The logits, as given (from `probs`: log pₖ). */
  readonly logits: Float64Array;
  /** log pₖ, normalised. */
  readonly logProbs: Float64Array;
  /** The probabilities pₖ > 0, summing to 1. */
  readonly probs: Float64Array;
  /** The number of categories K ≥ 2, the length of a point. */
  readonly eventSize: number;
  readonly #logNormaliser: number;

  /**
   * Creates a {@linkcode RelaxedOneHotCategorical}, validating every parameter.
   *
   * @param temperature λ, a finite number > 0.
   * @param params `{ logits }` (finite) or `{ probs }` (each in (0, 1],
   *   summing to 1 within 10⁻¹⁰), with at least two categories.
   * @throws {TypeError} If `temperature` is not a number, neither or both
   *   parameters are given, they are not arrays of numbers or have fewer
   *   than two entries, or `params` has another key.
   * @throws {RangeError} If `temperature` is not finite and > 0, a logit is
   *   not finite, or a probability is 0 or outside [0, 1], or they do not
   *   sum to 1.
   */
  constructor(temperature: number, params: CategoricalParams) {
    const what = "Cannot construct RelaxedOneHotCategorical";
    assertPositive(what, "temperature", temperature);
    const parts = categoricalParts(what, params, 2, true);
    this.temperature = temperature;
    this.logits = parts.logits;
    this.logProbs = parts.logProbs;
    this.probs = parts.probs;
    this.eventSize = this.logits.length;
    this.#logNormaliser = logGamma(this.eventSize) + (this.eventSize - 1) * Math.log(temperature);
  }

  #logProbAt(x: ArrayLike<number>, off: number): number {
    const k = this.eventSize, lam = this.temperature, lp = this.logProbs;
    let zeros = 0;
    for (let i = 0; i < k; i++) if (x[off + i] === 0) zeros++;
    const a: number[] = [];
    let s = this.#logNormaliser;
    if (zeros === 0) {
      for (let i = 0; i < k; i++) {
        const lx = Math.log(x[off + i]!);
        a.push(lp[i]! - lam * lx);
        s -= lx;
      }
      const m = logSumExp(a);
      for (const v of a) s += v - m;
      return s;
    }
    // On a face: the limit as its zero coordinates shrink together, at rate
    // (Kλ − z(λ + 1)) log ε.
    // Within a few roundings of 0 (λ = 1/6 for K = 7, say), the finite limit.
    const c = k * lam - zeros * (lam + 1), slack = 8 * 2 ** -53 * (k * lam + zeros * (lam + 1));
    if (c > slack) return -Infinity;
    if (c < -slack) return Infinity;
    for (let i = 0; i < k; i++) {
      const v = x[off + i]!;
      if (v === 0) a.push(lp[i]!);
      s += v === 0 ? lp[i]! : lp[i]! - (lam + 1) * Math.log(v);
    }
    return s - k * logSumExp(a);
  }

  /**
   * log p(x) at a point x of the simplex.
   *
   * @throws {TypeError} If `x` is not an array of K numbers.
   * @throws {RangeError} If an entry is not finite, or x is not on the
   *   simplex (entries in [0, 1], summing to 1 within 10⁻¹⁰).
   */
  logProb(x: ArrayLike<number>): number {
    const what = "Cannot compute RelaxedOneHotCategorical.logProb";
    assertEventLength(what, "x", x, this.eventSize);
    checkSimplex(what, "x", x, 0, this.eventSize);
    return this.#logProbAt(x, 0);
  }

  /** log-density of every row of `xs` (each a point of the simplex). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const k = this.eventSize, o = batchOutput("RelaxedOneHotCategorical", xs, k, out);
    const what = "Cannot compute RelaxedOneHotCategorical.logProbBatch";
    for (let i = 0; i < o.length; i++) {
      checkSimplex(what, "xs", xs, i * k, k);
      o[i] = this.#logProbAt(xs, i * k);
    }
    return o;
  }

  #draw(rng: Rng, out: Float64Array, off: number): void {
    const k = this.eventSize, y = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let u = rng.uniform();
      while (u === 0) u = rng.uniform();
      y[i] = (this.logProbs[i]! - Math.log(-Math.log(u))) / this.temperature;
    }
    const m = logSumExp(y);
    // An entry that underflows is kept at 2⁻¹⁰²², where the log-density is finite.
    for (let i = 0; i < k; i++) out[off + i] = Math.max(Math.exp(y[i]! - m), 2 ** -1022);
  }

  /** One draw softmax((log p + G)/λ), normalised in log space. */
  sample(rng: Rng): Float64Array {
    checkRng("RelaxedOneHotCategorical", rng);
    const out = new Float64Array(this.eventSize);
    this.#draw(rng, out, 0);
    return out;
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const k = this.eventSize;
    checkSampleN("RelaxedOneHotCategorical", rng, n, k);
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) this.#draw(rng, out, i * k);
    return out;
  }

  /**
   * The mean, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  mean(): Float64Array {
    return noClosedForm("RelaxedOneHotCategorical", "mean", "its mean", "sampleN");
  }

  /**
   * The variance, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  variance(): Float64Array {
    return noClosedForm("RelaxedOneHotCategorical", "variance", "its variance", "sampleN");
  }

  /**
   * The entropy, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  entropy(): number {
    return noClosedForm("RelaxedOneHotCategorical", "entropy", "its entropy", "sampleN");
  }
}
