// fast-check arbitraries of the core's Gaussian, Bernoulli and exponential
// distributions with ordinary parameters: well inside the range where every
// law of this module holds to its default tolerance. Extremes (scales of
// 1e-300, logits of 1e4) deserve tests of their own.
import fc from "fast-check";
import { Bernoulli } from "../distributions/bernoulli.ts";
import { DiagNormal } from "../distributions/diag_normal.ts";
import { Exponential } from "../distributions/exponential.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { Normal } from "../distributions/normal.ts";
import { between, checkSize, vectorOf } from "./_values.ts";

const loc = () => between(-5, 5);
const scale = () => between(0.2, 4);

/**
 * Normals N(μ, σ²) with μ ∈ [−5, 5] and σ ∈ [0.2, 4].
 *
 * @returns An arbitrary of {@linkcode Normal}s.
 *
 * @example
 * ```ts
 * import { normal } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 * import assert from "node:assert/strict";
 *
 * fc.assert(fc.property(normal(), (n) => n.scale >= 0.2 && n.scale <= 4));
 * assert.equal(fc.sample(normal(), 3).length, 3);
 * ```
 */
export function normal(): fc.Arbitrary<Normal> {
  return fc.tuple(loc(), scale()).map(([m, s]) => new Normal(m, s));
}

/**
 * Diagonal Gaussians of `d` coordinates, each with μᵢ ∈ [−5, 5] and σᵢ ∈ [0.2, 4].
 *
 * @param d The number of coordinates (an integer ≥ 1).
 * @returns An arbitrary of {@linkcode DiagNormal}s.
 * @throws {RangeError} If `d` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { diagNormal } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(diagNormal(3), (q) => q.eventSize === 3));
 * ```
 */
export function diagNormal(d: number): fc.Arbitrary<DiagNormal> {
  checkSize("diagNormal", "d", d);
  return fc.tuple(vectorOf(d, -5, 5), vectorOf(d, 0.2, 4)).map(([m, s]) => new DiagNormal(m, s));
}

/**
 * Lower-triangular `d` × `d` factors, flat row-major, with diagonal in
 * [0.3, 2] and entries below it in [−1, 1]: Cholesky factors of well
 * conditioned covariances.
 *
 * ```text
 * Lᵢᵢ ∈ [0.3, 2],  Lᵢⱼ ∈ [−1, 1] (j < i),  Lᵢⱼ = 0 (j > i)
 * ```
 *
 * @param d The size (an integer ≥ 1).
 * @returns An arbitrary of `Float64Array`s of length d².
 * @throws {RangeError} If `d` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { scaleTril } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(scaleTril(2), (L) => L[1] === 0 && L[0]! >= 0.3));
 * ```
 */
export function scaleTril(d: number): fc.Arbitrary<Float64Array> {
  checkSize("scaleTril", "d", d);
  return fc.tuple(vectorOf(d * d, -1, 1), vectorOf(d, 0.3, 2)).map(([off, diag]) => {
    const L = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) L[i * d + j] = off[i * d + j]!;
      L[i * d + i] = diag[i]!;
    }
    return L;
  });
}

/**
 * Full-covariance Gaussians of `d` coordinates: μᵢ ∈ [−5, 5] and a factor
 * from {@linkcode scaleTril}.
 *
 * @param d The number of coordinates (an integer ≥ 1).
 * @returns An arbitrary of {@linkcode MultivariateNormal}s.
 * @throws {RangeError} If `d` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { multivariateNormal } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(multivariateNormal(2), (p) => p.eventSize === 2));
 * ```
 */
export function multivariateNormal(d: number): fc.Arbitrary<MultivariateNormal> {
  checkSize("multivariateNormal", "d", d);
  return fc.tuple(vectorOf(d, -5, 5), scaleTril(d)).map(([m, L]) => new MultivariateNormal(m, L));
}

/**
 * Products of `d` Bernoullis, built from logits in [−6, 6] (probabilities
 * in about [0.0025, 0.9975]).
 *
 * @param d The number of coordinates (an integer ≥ 1).
 * @returns An arbitrary of {@linkcode Bernoulli}s.
 * @throws {RangeError} If `d` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { bernoulli } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(bernoulli(4), (b) => b.eventSize === 4));
 * ```
 */
export function bernoulli(d: number): fc.Arbitrary<Bernoulli> {
  checkSize("bernoulli", "d", d);
  return vectorOf(d, -6, 6).map((logits) => new Bernoulli({ logits }));
}

/**
 * Exponentials with rate λ ∈ [0.1, 10].
 *
 * @returns An arbitrary of {@linkcode Exponential}s.
 *
 * @example
 * ```ts
 * import { exponential } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(exponential(), (e) => e.mean() <= 10));
 * ```
 */
export function exponential(): fc.Arbitrary<Exponential> {
  return between(0.1, 10).map((r) => new Exponential(r));
}
