// fast-check arbitraries of the one-hot and relaxed families: temperatures
// from 0.1 (nearly discrete draws) to 2, logits in [−4, 4].
import fc from "fast-check";
import { OneHotCategorical } from "../distributions/one_hot_categorical.ts";
import { RelaxedBernoulli } from "../distributions/relaxed_bernoulli.ts";
import { RelaxedOneHotCategorical } from "../distributions/relaxed_one_hot_categorical.ts";
import { between, checkSize, vectorOf } from "./_values.ts";

/**
 * One-hot categoricals over `k` categories, built from logits in [−4, 4].
 *
 * @param k The number of categories (an integer ≥ 1).
 * @returns An arbitrary of {@linkcode OneHotCategorical}s.
 * @throws {RangeError} If `k` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { oneHotCategorical } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(oneHotCategorical(3), (c) => c.eventSize === 3));
 * ```
 */
export function oneHotCategorical(k: number): fc.Arbitrary<OneHotCategorical> {
  checkSize("oneHotCategorical", "k", k);
  return vectorOf(k, -4, 4).map((logits) => new OneHotCategorical({ logits }));
}

/**
 * Relaxed one-hot categoricals over the simplex of `k` coordinates,
 * temperatures in [0.1, 2], logits in [−4, 4].
 *
 * @param k The number of coordinates (an integer ≥ 2).
 * @returns An arbitrary of {@linkcode RelaxedOneHotCategorical}s.
 * @throws {RangeError} If `k` is not an integer ≥ 2.
 *
 * @example
 * ```ts
 * import { relaxedOneHotCategorical } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(relaxedOneHotCategorical(3), (c) => c.temperature >= 0.1));
 * ```
 */
export function relaxedOneHotCategorical(k: number): fc.Arbitrary<RelaxedOneHotCategorical> {
  checkSize("relaxedOneHotCategorical", "k", k, 2);
  return fc.tuple(between(0.1, 2), vectorOf(k, -4, 4))
    .map(([t, logits]) => new RelaxedOneHotCategorical(t, { logits }));
}

/**
 * Products of `d` relaxed Bernoullis, temperatures in [0.1, 2], logits in
 * [−4, 4].
 *
 * @param d The number of coordinates (an integer ≥ 1).
 * @returns An arbitrary of {@linkcode RelaxedBernoulli}s.
 * @throws {RangeError} If `d` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { relaxedBernoulli } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(relaxedBernoulli(2), (b) => b.eventSize === 2));
 * ```
 */
export function relaxedBernoulli(d: number): fc.Arbitrary<RelaxedBernoulli> {
  checkSize("relaxedBernoulli", "d", d);
  return fc.tuple(between(0.1, 2), vectorOf(d, -4, 4))
    .map(([t, logits]) => new RelaxedBernoulli(t, { logits }));
}
