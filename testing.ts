/**
 * The fast-check arbitraries and laws that elbo's own test suite runs, for
 * checking a distribution, a KL divergence or a bijector of your own in one
 * call: each law runs a fast-check property over the cases of an arbitrary
 * (or over one fixed value) and throws an `AssertionError` that names the
 * law, the counterexample and the seed that replays it.
 *
 * - Arbitraries of the core's distributions with ordinary parameters:
 *   {@linkcode normal}, {@linkcode diagNormal}, {@linkcode multivariateNormal},
 *   {@linkcode scaleTril}, {@linkcode bernoulli}, {@linkcode exponential},
 *   {@linkcode gamma}, {@linkcode beta}, {@linkcode laplace},
 *   {@linkcode studentT}, {@linkcode uniform}, {@linkcode categorical},
 *   {@linkcode dirichlet}, {@linkcode poisson}, {@linkcode logNormal}.
 * - Distribution laws: {@linkcode assertDistributionLaws} (all of
 *   {@linkcode assertLogProbBatch}, {@linkcode assertSampleMoments},
 *   {@linkcode assertEntropy}, {@linkcode assertIntegratesToOne}).
 * - {@linkcode assertKLLaws}: KL ≥ 0, KL(p‖p) = 0, agreement with Monte Carlo.
 * - {@linkcode assertBijectorLaws}: round trip, log-Jacobians, pushed-forward density.
 * - {@linkcode assertTensorAgreement}: a float32 tensor distribution against
 *   its float64 twins.
 * - {@linkcode assertClose}, {@linkcode assertAllClose}, {@linkcode assertWithinSE}.
 *
 * The module loads no TensorFlow.js (the tensor law uses only the methods
 * of the tensors it is given). fast-check's global settings
 * (`fc.configureGlobal`) apply to every law.
 *
 * The distribution types named here (`Normal`, `Gamma`, `Bernoulli`, …) are
 * the float64 classes of `@elbo/elbo`, which the arbitraries build; the
 * float32 classes of the same names in `@elbo/elbo/tensor` appear only as a
 * `TensorDistribution`, the argument of {@linkcode assertTensorAgreement}.
 *
 * @example Check a distribution class of your own
 * ```ts
 * import { type Rng, type UnivariateDistribution } from "@elbo/elbo";
 * import { assertDistributionLaws } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 *
 * // The Rayleigh distribution: p(x) = (x/σ²) exp(−x²/2σ²) for x ≥ 0.
 * class Rayleigh implements UnivariateDistribution {
 *   readonly eventSize = 1;
 *   constructor(readonly scale: number) {}
 *   logProb(x: number): number {
 *     const s2 = this.scale ** 2;
 *     return x < 0 ? -Infinity : Math.log(x / s2) - (x * x) / (2 * s2);
 *   }
 *   logProbBatch(xs: ArrayLike<number>, out = new Float64Array(xs.length)): Float64Array {
 *     for (let i = 0; i < xs.length; i++) out[i] = this.logProb(xs[i]!);
 *     return out;
 *   }
 *   sample(rng: Rng): number {
 *     return this.scale * Math.sqrt(-2 * Math.log1p(-rng.uniform()));
 *   }
 *   sampleN(rng: Rng, n: number): Float64Array {
 *     return Float64Array.from({ length: n }, () => this.sample(rng));
 *   }
 *   mean(): number {
 *     return this.scale * Math.sqrt(Math.PI / 2);
 *   }
 *   variance(): number {
 *     return ((4 - Math.PI) / 2) * this.scale ** 2;
 *   }
 *   entropy(): number {
 *     return 1 + Math.log(this.scale / Math.SQRT2) + 0.5772156649015329 / 2;
 *   }
 * }
 *
 * const rayleigh = fc.double({ min: 0.1, max: 10, noNaN: true }).map((s) => new Rayleigh(s));
 * assertDistributionLaws(rayleigh, { numRuns: 10, seed: 1 });
 * ```
 *
 * @module
 */

export {
  assertAllClose,
  assertClose,
  assertFloat32Close,
  assertWithinSE,
  FLOAT32,
  FLOAT32_ROUNDING,
  FLOAT32_TINY,
  type Float32CloseOptions,
  float32Sensitivity,
  float32Tolerance,
  type SensitivityOptions,
  type Tolerance,
} from "./lib/testing/tolerance.ts";
export type { LawOptions } from "./lib/testing/law_options.ts";
export {
  bernoulli,
  diagNormal,
  exponential,
  multivariateNormal,
  normal,
  scaleTril,
} from "./lib/testing/arbitraries.ts";
export {
  beta,
  categorical,
  continuousBernoulli,
  dirichlet,
  gamma,
  laplace,
  logNormal,
  poisson,
  studentT,
  uniform,
} from "./lib/testing/family_arbitraries.ts";
export {
  oneHotCategorical,
  relaxedBernoulli,
  relaxedOneHotCategorical,
} from "./lib/testing/relaxed_arbitraries.ts";
export {
  assertDistributionLaws,
  assertEntropy,
  assertLogProbBatch,
  assertSampleMoments,
  type DistributionLawsOptions,
  type EntropyOptions,
  type LogProbBatchOptions,
  type SampleMomentsOptions,
} from "./lib/testing/distribution_laws.ts";
export {
  assertIntegratesToOne,
  type Density,
  type IntegrateOptions,
} from "./lib/testing/integrates_to_one.ts";
export { assertKLLaws, type KLLawsOptions } from "./lib/testing/kl_laws.ts";
export { assertBijectorLaws, type BijectorLawsOptions } from "./lib/testing/bijector_laws.ts";
export {
  assertTensorBijectorLaws,
  type TensorBijectorLawsOptions,
} from "./lib/testing/tensor_bijector_laws.ts";
export { assertTensorAgreement } from "./lib/testing/tensor_agreement.ts";

// The types the laws and arbitraries name, from the core and the tensor layer.
export type {
  Distribution,
  MultivariateDistribution,
  UnivariateDistribution,
} from "./lib/distributions/distribution.ts";
export type { TransformedDistribution } from "./lib/distributions/transformed.ts";
export type { Bijector } from "./lib/bijectors/bijector.ts";
export type { Rng } from "./lib/math/rng.ts";
export type { TensorDistribution, TensorInput } from "./lib/tensor/distributions/distribution.ts";
export type { TensorBijector } from "./lib/tensor/bijectors/bijector.ts";
export type { Normal } from "./lib/distributions/normal.ts";
export type { DiagNormal } from "./lib/distributions/diag_normal.ts";
export type { MultivariateNormal } from "./lib/distributions/multivariate_normal.ts";
export type { Bernoulli } from "./lib/distributions/bernoulli.ts";
export type { ContinuousBernoulli } from "./lib/distributions/continuous_bernoulli.ts";
export type { OneHotCategorical } from "./lib/distributions/one_hot_categorical.ts";
export type { RelaxedBernoulli } from "./lib/distributions/relaxed_bernoulli.ts";
export type { RelaxedOneHotCategorical } from "./lib/distributions/relaxed_one_hot_categorical.ts";
export type { Exponential } from "./lib/distributions/exponential.ts";
export type { Gamma } from "./lib/distributions/gamma.ts";
export type { Beta } from "./lib/distributions/beta.ts";
export type { Laplace } from "./lib/distributions/laplace.ts";
export type { StudentT } from "./lib/distributions/student_t.ts";
export type { Uniform } from "./lib/distributions/uniform.ts";
export type { Categorical } from "./lib/distributions/categorical.ts";
export type { Dirichlet } from "./lib/distributions/dirichlet.ts";
export type { Poisson } from "./lib/distributions/poisson.ts";
export type { LogNormal } from "./lib/distributions/log_normal.ts";
