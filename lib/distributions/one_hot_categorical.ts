import { assertEventLength } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import { categoricalParts } from "./_categorical_params.ts";
import { Categorical, type CategoricalParams } from "./categorical.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/**
 * The categorical distribution with its points written one-hot: a point is
 * a vector of K coordinates, one of them 1 and the others 0 — the form a
 * network's output layer and the relaxed families take.
 *
 * Mathematical details, with logits ℓ and p = softmax(ℓ):
 *
 * ```text
 * log p(x) = Σₖ xₖ log pₖ        (x one-hot; −∞ for any other x)
 * H        = −Σₖ pₖ log pₖ
 * E[X] = p,   Var[Xₖ] = pₖ (1 − pₖ),   Cov[Xⱼ, Xₖ] = −pⱼ pₖ
 * X = e_c,   c ~ Categorical(p)
 * ```
 *
 * Parameters are read as {@linkcode Categorical}'s (`{ logits }` or
 * `{ probs }`), and its twin is {@linkcode OneHotCategorical.categorical}:
 * the KL divergence of two is that of their categoricals. A point of K
 * numbers that is not one-hot has log-mass −∞ (as in scipy's multinomial
 * with one trial). Draws are not reparameterized: use the score-function
 * estimator, or relax them (`RelaxedOneHotCategorical`).
 *
 * @example
 * ```ts
 * import { createRng, OneHotCategorical } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const c = new OneHotCategorical({ probs: [0.2, 0.5, 0.3] });
 * assert.equal(c.logProb([0, 1, 0]), Math.log(0.5));
 * assert.equal(c.logProb([0.5, 0.5, 0]), -Infinity);
 * const x = c.sample(createRng(1));
 * assert.equal(x.reduce((s, v) => s + v, 0), 1);
 * ```
 */
export class OneHotCategorical implements MultivariateDistribution {
  /** The categorical over the index of the 1. */
  readonly categorical: Categorical;
  /** The number of categories K, the length of a point. */
  readonly eventSize: number;

  /**
   * Creates a {@linkcode OneHotCategorical}, validating every parameter.
   *
   * @param params `{ logits }` (finite) or `{ probs }` (each in [0, 1],
   *   summing to 1 within 10⁻¹⁰), with at least one category.
   * @throws {TypeError} If neither or both are given, they are not
   *   non-empty arrays of numbers, or `params` has another key.
   * @throws {RangeError} If a logit is not finite, or a probability is
   *   outside [0, 1], or the probabilities do not sum to 1.
   */
  constructor(params: CategoricalParams) {
    categoricalParts("Cannot construct OneHotCategorical", params);
    this.categorical = new Categorical(params);
    this.eventSize = this.categorical.numCategories;
  }

  /** The probabilities pₖ, summing to 1. */
  get probs(): Float64Array {
    return this.categorical.probs;
  }

  /** The logits, as given (from `probs`: log pₖ). */
  get logits(): Float64Array {
    return this.categorical.logits;
  }

  #logProbAt(x: ArrayLike<number>, off: number): number {
    let hot = -1;
    for (let k = 0; k < this.eventSize; k++) {
      const v = x[off + k]!;
      if (v === 1 && hot < 0) hot = k;
      else if (v !== 0) return -Infinity;
    }
    return hot < 0 ? -Infinity : this.categorical.logProbs[hot]!;
  }

  /**
   * log pₖ at the one-hot vector eₖ; −∞ at any other vector of K numbers.
   *
   * @throws {TypeError} If `x` is not an array of K numbers.
   * @throws {RangeError} If an entry of `x` is NaN.
   */
  logProb(x: ArrayLike<number>): number {
    assertEventLength("Cannot compute OneHotCategorical.logProb", "x", x, this.eventSize, true);
    return this.#logProbAt(x, 0);
  }

  /** log-mass of every row of `xs` (K numbers each, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const k = this.eventSize, o = batchOutput("OneHotCategorical", xs, k, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProbAt(xs, i * k);
    return o;
  }

  /** One draw: e_c for a categorical draw c. */
  sample(rng: Rng): Float64Array {
    checkRng("OneHotCategorical", rng);
    const out = new Float64Array(this.eventSize);
    out[this.categorical.sample(rng)] = 1;
    return out;
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const k = this.eventSize;
    checkSampleN("OneHotCategorical", rng, n, k);
    const c = this.categorical.sampleN(rng, n), out = new Float64Array(n * k);
    c.forEach((v, i) => out[i * k + v] = 1);
    return out;
  }

  /** p. */
  mean(): Float64Array {
    return this.probs.slice();
  }

  /**
   * pₖ (1 − pₖ), with 1 − pₖ summed from the other pⱼ: near pₖ = 1 the
   * difference would keep none of its digits.
   */
  variance(): Float64Array {
    const p = this.probs, k = p.length, rest = new Float64Array(k);
    for (let i = 0, acc = 0; i < k; acc += p[i++]!) rest[i] = acc;
    for (let i = k - 1, acc = 0; i >= 0; acc += p[i--]!) rest[i] = rest[i]! + acc;
    return p.map((v, i) => v * rest[i]!);
  }

  /** The K × K covariance diag(p) − p pᵀ, flat row-major, its diagonal the variance. */
  covariance(): Float64Array {
    const p = this.probs, k = this.eventSize, v = this.variance(), out = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) out[i * k + j] = i === j ? v[i]! : -p[i]! * p[j]!;
    }
    return out;
  }

  /** −Σₖ pₖ log pₖ, the categorical's entropy. */
  entropy(): number {
    return this.categorical.entropy();
  }
}
