import { assertNotNaN } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import { categoricalParts } from "./_categorical_params.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/** Parameters of {@linkcode Categorical}: one logit, or one probability, per category. */
export type CategoricalParams = { logits: ArrayLike<number> } | { probs: ArrayLike<number> };

/**
 * The categorical distribution over {0, 1, …, K − 1}.
 *
 * Mathematical details, with logits ℓ:
 *
 * ```text
 * log p(k) = ℓₖ − log Σⱼ exp ℓⱼ       (−∞ for k outside {0, …, K − 1})
 * H        = −Σₖ pₖ log pₖ
 * E[X] = Σₖ k pₖ,   Var[X] = Σₖ pₖ (k − E[X])²
 * X = min{k : Fₖ > u},   Fₖ = Σⱼ≤ₖ pⱼ,  u ~ U[0, 1)      (inverse CDF)
 * ```
 *
 * Built from `probs`, the probabilities must lie in [0, 1] and sum to 1
 * within 10⁻¹⁰; they are divided by their sum, and kept as given for the KL
 * divergence. A category of probability 0 is never drawn. Points are
 * numbers; one that is not an integer in {0, …, K − 1} has log-mass −∞ (as
 * in scipy). Draws are not reparameterized (use the score-function
 * estimator).
 *
 * @example
 * ```ts
 * import { Categorical, createRng } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const c = new Categorical({ probs: [0.2, 0.5, 0.3] });
 * assert.equal(c.logProb(1), Math.log(0.5));
 * assert.equal(c.logProb(3), -Infinity);
 * assert.ok(Math.abs(c.mean() - 1.1) < 1e-15);
 * assert.ok([0, 1, 2].includes(c.sample(createRng(1))));
 * ```
 */
export class Categorical implements UnivariateDistribution {
  /** The logits, as given (from `probs`: log pₖ). */
  readonly logits: Float64Array;
  /** The probabilities pₖ, summing to 1. */
  readonly probs: Float64Array;
  /** log pₖ, normalised. */
  readonly logProbs: Float64Array;
  /** The number of categories K. */
  readonly numCategories: number;
  /** Whether the parameters were given as probabilities (else as logits). */
  readonly fromProbs: boolean;
  /** Always 1: a point is one category index. */
  readonly eventSize: number = 1;
  readonly #cdf: Float64Array;

  /**
   * Creates a {@linkcode Categorical}, validating every parameter.
   *
   * @param params `{ logits }` (finite) or `{ probs }` (each in [0, 1],
   *   summing to 1 within 10⁻¹⁰), with at least one category.
   * @throws {TypeError} If neither or both are given, they are not
   *   non-empty arrays of numbers, or `params` has another key.
   * @throws {RangeError} If a logit is not finite, or a probability is
   *   outside [0, 1], or the probabilities do not sum to 1.
   */
  constructor(params: CategoricalParams) {
    const parts = categoricalParts("Cannot construct Categorical", params);
    this.logits = parts.logits;
    this.logProbs = parts.logProbs;
    this.probs = parts.probs;
    this.fromProbs = parts.fromProbs;
    this.numCategories = this.logits.length;
    this.#cdf = new Float64Array(this.numCategories);
    let acc = 0;
    this.probs.forEach((p, k) => this.#cdf[k] = acc += p);
  }

  #logProb(k: number): number {
    return Number.isInteger(k) && k >= 0 && k < this.numCategories ? this.logProbs[k]! : -Infinity;
  }

  /**
   * log pₓ; −∞ for an x that is not an integer in {0, …, K − 1}.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Categorical.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-mass of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Categorical", xs, 1, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return o;
  }

  #draw(rng: Rng): number {
    const cdf = this.#cdf, t = rng.uniform() * cdf[cdf.length - 1]!;
    let lo = 0, hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** One draw by the inverse CDF (binary search). */
  sample(rng: Rng): number {
    checkRng("Categorical", rng);
    return this.#draw(rng);
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Categorical", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#draw(rng);
    return out;
  }

  /** Σₖ k pₖ. */
  mean(): number {
    let m = 0;
    this.probs.forEach((p, k) => m += k * p);
    return m;
  }

  /** Σₖ pₖ (k − mean)², with no cancellation. */
  variance(): number {
    const m = this.mean();
    let v = 0;
    this.probs.forEach((p, k) => v += p * (k - m) * (k - m));
    return v;
  }

  /** −Σₖ pₖ log pₖ (terms with pₖ = 0 are 0). */
  entropy(): number {
    let h = 0;
    this.probs.forEach((p, k) => {
      if (p > 0) h -= p * this.logProbs[k]!;
    });
    return h;
  }
}
