/**
 * elbo's tensor layer: the batched float32 twins of the core's
 * distributions and divergences on TensorFlow.js, with the same class names,
 * parameters and methods, reparameterized sampling, and a KL registry — the
 * pieces to build variational inference on tensors with autodiff.
 *
 * The names shared with `@elbo/elbo` (`Normal`, `Gamma`, `Exp`,
 * `klDivergence`, `klMonteCarlo`, `meanAndStandardError`, `elbo`,
 * `importanceWeightedBound`, …) are different classes and functions here:
 * they take and return tfjs tensors, not numbers, and a tensor `Normal` is
 * not an instance of the core's `Normal` (each layer's KL registry holds its
 * own classes). Import each layer under its own name where a module uses both
 * (`import * as T from "@elbo/elbo/tensor"`).
 *
 * @example A reparameterized Monte Carlo gradient
 * ```ts
 * import { klDivergence, Normal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const prior = new Normal(0, 1);
 * // d/dμ KL(N(μ, 1) ‖ N(0, 1)) = μ
 * const grad = tf.grad((mu: tf.Tensor) => klDivergence(new Normal(mu, 1), prior).sum());
 * const g = grad(tf.scalar(1.5));
 * assert.ok(Math.abs((await g.data())[0]! - 1.5) < 1e-6);
 * ```
 *
 * @module
 */

// backends
export { BackendError } from "./lib/tensor/backend_error.ts";
export { type BlasStatus, blasStatus } from "./lib/tensor/blas.ts";
export {
  type BackendName,
  type BackendOptions,
  BACKENDS,
  MAX_WASM_THREADS,
  useBackend,
  type WasmThreads,
  wasmThreads,
} from "./lib/tensor/backend.ts";

// distributions
export {
  type ParamRule,
  type TensorDistribution,
  TensorDistributionBase,
  type TensorInput,
} from "./lib/tensor/distributions/distribution.ts";
export { Normal } from "./lib/tensor/distributions/normal.ts";
export { DiagNormal } from "./lib/tensor/distributions/diag_normal.ts";
export { MultivariateNormal } from "./lib/tensor/distributions/multivariate_normal.ts";
export { Bernoulli, type BernoulliParams } from "./lib/tensor/distributions/bernoulli.ts";
export {
  ContinuousBernoulli,
  type ContinuousBernoulliParams,
} from "./lib/tensor/distributions/continuous_bernoulli.ts";
export { Exponential } from "./lib/tensor/distributions/exponential.ts";
export { Mixture } from "./lib/tensor/distributions/mixture.ts";
export { Gamma } from "./lib/tensor/distributions/gamma.ts";
export { Beta } from "./lib/tensor/distributions/beta.ts";
export { LogNormal } from "./lib/tensor/distributions/log_normal.ts";
export { Laplace } from "./lib/tensor/distributions/laplace.ts";
export { StudentT } from "./lib/tensor/distributions/student_t.ts";
export { Uniform } from "./lib/tensor/distributions/uniform.ts";
export { Categorical, type CategoricalParams } from "./lib/tensor/distributions/categorical.ts";
export { OneHotCategorical } from "./lib/tensor/distributions/one_hot_categorical.ts";
export { RelaxedOneHotCategorical } from "./lib/tensor/distributions/relaxed_one_hot_categorical.ts";
export {
  RelaxedBernoulli,
  type RelaxedBernoulliParams,
} from "./lib/tensor/distributions/relaxed_bernoulli.ts";
export { Dirichlet } from "./lib/tensor/distributions/dirichlet.ts";
export { Poisson } from "./lib/tensor/distributions/poisson.ts";
export { TransformedDistribution } from "./lib/tensor/distributions/transformed.ts";

// bijectors
export { isTensorBijector, type TensorBijector } from "./lib/tensor/bijectors/bijector.ts";
export { ElementwiseBijector } from "./lib/tensor/bijectors/elementwise.ts";
export { Exp } from "./lib/tensor/bijectors/exp.ts";
export { Softplus } from "./lib/tensor/bijectors/softplus.ts";
export { Sigmoid } from "./lib/tensor/bijectors/sigmoid.ts";
export { Shift } from "./lib/tensor/bijectors/shift.ts";
export { Scale } from "./lib/tensor/bijectors/scale.ts";
export { Chain } from "./lib/tensor/bijectors/chain.ts";
export {
  FillScaleTriL,
  type FillScaleTriLOptions,
} from "./lib/tensor/bijectors/fill_scale_tril.ts";
export { SoftmaxCentered } from "./lib/tensor/bijectors/softmax_centered.ts";
export { Invert } from "./lib/tensor/bijectors/invert.ts";
export { Permute } from "./lib/tensor/bijectors/permute.ts";

// normalizing flows: trainable bijectors
export {
  MaskedAutoregressiveFlow,
  type MaskedAutoregressiveFlowOptions,
} from "./lib/tensor/flows/masked_autoregressive.ts";
export { RealNVP, type RealNVPOptions } from "./lib/tensor/flows/real_nvp.ts";
export { VectorFlow } from "./lib/tensor/flows/vector_flow.ts";

// divergences: the KL registry, its closed forms, and Monte Carlo estimates
export { klDivergence, registeredKLPairs } from "./lib/tensor/divergences/kl_divergence.ts";
export { registerKL } from "./lib/tensor/divergences/register_kl.ts";
export {
  klDiagNormal,
  klMultivariateNormal,
  klNormal,
} from "./lib/tensor/divergences/gaussian_kl.ts";
export { klBernoulli } from "./lib/tensor/divergences/bernoulli_kl.ts";
export { klContinuousBernoulli } from "./lib/tensor/divergences/continuous_bernoulli_kl.ts";
export { klExponential } from "./lib/tensor/divergences/exponential_kl.ts";
export { klExponentialGamma, klGamma } from "./lib/tensor/divergences/gamma_kl.ts";
export { klBeta } from "./lib/tensor/divergences/beta_kl.ts";
export { klLogNormal } from "./lib/tensor/divergences/log_normal_kl.ts";
export { klLaplace } from "./lib/tensor/divergences/laplace_kl.ts";
export { klUniform } from "./lib/tensor/divergences/uniform_kl.ts";
export { klCategorical } from "./lib/tensor/divergences/categorical_kl.ts";
export { klDirichlet } from "./lib/tensor/divergences/dirichlet_kl.ts";
export { klPoisson } from "./lib/tensor/divergences/poisson_kl.ts";
export { klMonteCarlo } from "./lib/tensor/divergences/kl_monte_carlo.ts";
export { meanAndStandardError, type TensorEstimate } from "./lib/tensor/estimate.ts";
export type { Estimate } from "./lib/math/mean_and_standard_error.ts";

// black-box variational inference: surrogates, bounds, and fitting them
export { type BrokenTerm, NonFiniteError } from "./lib/tensor/non_finite_error.ts";
export type { TargetLogProb } from "./lib/tensor/inference/target_log_prob.ts";
export {
  stopGradient,
  type SurrogateBuilder,
  TrainableSurrogate,
} from "./lib/tensor/inference/surrogate.ts";
export {
  fullRankSurrogate,
  meanFieldSurrogate,
  type SurrogateOptions,
} from "./lib/tensor/inference/surrogates.ts";
export {
  flowSurrogate,
  type FlowSurrogateOptions,
  SURROGATE_FLOWS,
} from "./lib/tensor/inference/flow_surrogate.ts";
export {
  elbo,
  type ElboOptions,
  importanceWeightedBound,
  type ImportanceWeightedBoundOptions,
  renyiBound,
  type RenyiBoundOptions,
} from "./lib/tensor/inference/bounds.ts";
export {
  type FitStep,
  type FitSurrogateOptions,
  fitSurrogatePosterior,
  type FitSurrogateResult,
  SURROGATE_ESTIMATORS,
  type SurrogateEstimator,
} from "./lib/tensor/inference/fit.ts";
