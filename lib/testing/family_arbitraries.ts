// fast-check arbitraries of the core's other families, with ordinary
// parameters: bounded densities (shapes ≥ 1), finite fourth moments and light
// enough tails that the laws of this module hold at their default settings.
import fc from "fast-check";
import { Beta } from "../distributions/beta.ts";
import { Categorical } from "../distributions/categorical.ts";
import { ContinuousBernoulli } from "../distributions/continuous_bernoulli.ts";
import { Dirichlet } from "../distributions/dirichlet.ts";
import { Gamma } from "../distributions/gamma.ts";
import { Laplace } from "../distributions/laplace.ts";
import { LogNormal } from "../distributions/log_normal.ts";
import { Poisson } from "../distributions/poisson.ts";
import { StudentT } from "../distributions/student_t.ts";
import { Uniform } from "../distributions/uniform.ts";
import { between, checkSize, vectorOf } from "./_values.ts";

/**
 * Gammas with concentration α ∈ [1, 20] and rate β ∈ [0.1, 10] (α ≥ 1
 * keeps the density bounded at 0).
 *
 * @returns An arbitrary of {@linkcode Gamma}s.
 *
 * @example
 * ```ts
 * import { gamma } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(gamma(), (g) => g.concentration >= 1));
 * ```
 */
export function gamma(): fc.Arbitrary<Gamma> {
  return fc.tuple(between(1, 20), between(0.1, 10)).map(([a, b]) => new Gamma(a, b));
}

/**
 * Betas with both shapes α, β ∈ [1, 10].
 *
 * @returns An arbitrary of {@linkcode Beta}s.
 *
 * @example
 * ```ts
 * import { beta } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(beta(), (b) => b.mean() > 0 && b.mean() < 1));
 * ```
 */
export function beta(): fc.Arbitrary<Beta> {
  return fc.tuple(between(1, 10), between(1, 10)).map(([a, b]) => new Beta(a, b));
}

/**
 * Laplaces with location μ ∈ [−5, 5] and scale b ∈ [0.2, 4].
 *
 * @returns An arbitrary of {@linkcode Laplace}s.
 *
 * @example
 * ```ts
 * import { laplace } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(laplace(), (d) => d.scale >= 0.2));
 * ```
 */
export function laplace(): fc.Arbitrary<Laplace> {
  return fc.tuple(between(-5, 5), between(0.2, 4)).map(([m, b]) => new Laplace(m, b));
}

/**
 * Student t's with ν ∈ [5, 30] degrees of freedom (finite fourth moment, so
 * sample variances have a standard error), location in [−5, 5] and scale in
 * [0.2, 4].
 *
 * @returns An arbitrary of {@linkcode StudentT}s.
 *
 * @example
 * ```ts
 * import { studentT } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(studentT(), (t) => Number.isFinite(t.variance())));
 * ```
 */
export function studentT(): fc.Arbitrary<StudentT> {
  return fc.tuple(between(5, 30), between(-5, 5), between(0.2, 4))
    .map(([df, m, s]) => new StudentT(df, m, s));
}

/**
 * Uniforms on [low, low + w] with low ∈ [−5, 5] and width w ∈ [0.1, 10].
 *
 * @returns An arbitrary of {@linkcode Uniform}s.
 *
 * @example
 * ```ts
 * import { uniform } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(uniform(), (u) => u.high > u.low));
 * ```
 */
export function uniform(): fc.Arbitrary<Uniform> {
  return fc.tuple(between(-5, 5), between(0.1, 10)).map(([lo, w]) => new Uniform(lo, lo + w));
}

/**
 * Categoricals over `k` categories, built from logits in [−4, 4].
 *
 * @param k The number of categories (an integer ≥ 1).
 * @returns An arbitrary of {@linkcode Categorical}s.
 * @throws {RangeError} If `k` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { categorical } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(categorical(3), (c) => c.numCategories === 3));
 * ```
 */
export function categorical(k: number): fc.Arbitrary<Categorical> {
  checkSize("categorical", "k", k);
  return vectorOf(k, -4, 4).map((logits) => new Categorical({ logits }));
}

/**
 * Dirichlets over the simplex of `k` coordinates, concentrations in [0.5, 10].
 *
 * @param k The number of coordinates (an integer ≥ 2).
 * @returns An arbitrary of {@linkcode Dirichlet}s.
 * @throws {RangeError} If `k` is not an integer ≥ 2.
 *
 * @example
 * ```ts
 * import { dirichlet } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(dirichlet(3), (d) => d.eventSize === 3));
 * ```
 */
export function dirichlet(k: number): fc.Arbitrary<Dirichlet> {
  checkSize("dirichlet", "k", k, 2);
  return vectorOf(k, 0.5, 10).map((a) => new Dirichlet(a));
}

/**
 * Poissons with rate λ ∈ [0.1, 50].
 *
 * @returns An arbitrary of {@linkcode Poisson}s.
 *
 * @example
 * ```ts
 * import { poisson } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(poisson(), (p) => p.rate <= 50));
 * ```
 */
export function poisson(): fc.Arbitrary<Poisson> {
  return between(0.1, 50).map((r) => new Poisson(r));
}

/**
 * Log-normals exp(N(μ, σ²)) with μ ∈ [−2, 2] and σ ∈ [0.1, 0.5] (a larger σ
 * gives tails so heavy that sample variances barely settle).
 *
 * @returns An arbitrary of {@linkcode LogNormal}s.
 *
 * @example
 * ```ts
 * import { logNormal } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(logNormal(), (d) => d.mean() > 0));
 * ```
 */
export function logNormal(): fc.Arbitrary<LogNormal> {
  return fc.tuple(between(-2, 2), between(0.1, 0.5)).map(([m, s]) => new LogNormal(m, s));
}

/**
 * Products of `d` continuous Bernoullis, built from logits in [−8, 8]; one
 * in five has a coordinate within 10⁻⁶ of η = 0 (λ = ½), where the
 * normalizing constant's textbook form divides 0 by 0.
 *
 * @param d The number of coordinates (an integer ≥ 1).
 * @returns An arbitrary of {@linkcode ContinuousBernoulli}s.
 * @throws {RangeError} If `d` is not an integer ≥ 1.
 *
 * @example
 * ```ts
 * import { continuousBernoulli } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * fc.assert(fc.property(continuousBernoulli(3), (b) => b.mean().every((m) => m > 0 && m < 1)));
 * ```
 */
export function continuousBernoulli(d: number): fc.Arbitrary<ContinuousBernoulli> {
  checkSize("continuousBernoulli", "d", d);
  return fc.tuple(vectorOf(d, -8, 8), fc.integer({ min: 0, max: 4 }), between(-1e-6, 1e-6))
    .map(([logits, k, tiny]) => {
      const l = Array.from(logits);
      if (k === 0) l[0] = tiny;
      return new ContinuousBernoulli({ logits: l });
    });
}
