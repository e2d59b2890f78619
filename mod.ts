/**
 * elbo — variational inference for Deno: float64 distributions and
 * divergences, ELBO estimators, and VAEs on TensorFlow.js.
 *
 * This entry is the float64 core, on `number` and `Float64Array`; it loads no
 * TensorFlow.js. `@elbo/elbo/tensor` exports batched float32 twins under the
 * same names (`Normal`, `Gamma`, `Exp`, `klDivergence`, `klMonteCarlo`,
 * `elbo`, `importanceWeightedBound`, …): those are different classes and
 * functions, on tensors. Import each layer under its own name where a module
 * uses both (`import * as T from "@elbo/elbo/tensor"`).
 *
 * @example A KL divergence in closed form and by Monte Carlo
 * ```ts
 * import { createRng, klDivergence, klMonteCarlo, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = new Normal(0, 1), q = new Normal(1, 2);
 * const exact = klDivergence(p, q);
 * const mc = klMonteCarlo(p, q, { samples: 10000, rng: createRng(1) });
 * assert.ok(Math.abs(mc.value - exact) < 4 * mc.standardError);
 * ```
 *
 * @module
 */

// math: random numbers, stable log-space functions, special functions, linear algebra
export { createRng, type Rng } from "./lib/math/rng.ts";
export { logAddExp, logSumExp } from "./lib/math/log_sum_exp.ts";
export { logSigmoid, sigmoid, softplus } from "./lib/math/softplus.ts";
export { digamma, log1mexp, logBeta, logGamma } from "./lib/math/special.ts";
export { cholesky, logDetFromCholesky, type MatrixLike } from "./lib/math/cholesky.ts";
export {
  solveLowerTriangular,
  solveUpperTriangularTransposed,
} from "./lib/math/triangular_solve.ts";
export { type Estimate, meanAndStandardError } from "./lib/math/mean_and_standard_error.ts";

// distributions
export type {
  Distribution,
  MultivariateDistribution,
  UnivariateDistribution,
} from "./lib/distributions/distribution.ts";
export { Normal } from "./lib/distributions/normal.ts";
export { DiagNormal } from "./lib/distributions/diag_normal.ts";
export { MultivariateNormal } from "./lib/distributions/multivariate_normal.ts";
export { Bernoulli, type BernoulliParams } from "./lib/distributions/bernoulli.ts";
export {
  ContinuousBernoulli,
  type ContinuousBernoulliParams,
} from "./lib/distributions/continuous_bernoulli.ts";
export { Exponential } from "./lib/distributions/exponential.ts";
export { Mixture } from "./lib/distributions/mixture.ts";
export { Gamma } from "./lib/distributions/gamma.ts";
export { Beta } from "./lib/distributions/beta.ts";
export { LogNormal } from "./lib/distributions/log_normal.ts";
export { Laplace } from "./lib/distributions/laplace.ts";
export { StudentT } from "./lib/distributions/student_t.ts";
export { Uniform } from "./lib/distributions/uniform.ts";
export { Categorical, type CategoricalParams } from "./lib/distributions/categorical.ts";
export { OneHotCategorical } from "./lib/distributions/one_hot_categorical.ts";
export { RelaxedOneHotCategorical } from "./lib/distributions/relaxed_one_hot_categorical.ts";
export {
  RelaxedBernoulli,
  type RelaxedBernoulliParams,
} from "./lib/distributions/relaxed_bernoulli.ts";
export { Dirichlet } from "./lib/distributions/dirichlet.ts";
export { Poisson } from "./lib/distributions/poisson.ts";
export { TransformedDistribution } from "./lib/distributions/transformed.ts";

// bijectors
export type { Bijector } from "./lib/bijectors/bijector.ts";
export { ElementwiseBijector } from "./lib/bijectors/elementwise.ts";
export { Exp } from "./lib/bijectors/exp.ts";
export { Softplus } from "./lib/bijectors/softplus.ts";
export { Sigmoid } from "./lib/bijectors/sigmoid.ts";
export { Shift } from "./lib/bijectors/shift.ts";
export { Scale } from "./lib/bijectors/scale.ts";
export { Chain } from "./lib/bijectors/chain.ts";
export { FillScaleTriL, type FillScaleTriLOptions } from "./lib/bijectors/fill_scale_tril.ts";
export { SoftmaxCentered } from "./lib/bijectors/softmax_centered.ts";

// divergences: the KL registry, its closed forms, and Monte Carlo estimates
export { klDivergence, registeredKLPairs } from "./lib/divergences/kl_divergence.ts";
export { registerKL } from "./lib/divergences/register_kl.ts";
export {
  klDiagNormal,
  klMultivariateNormal,
  klNormal,
  klStandardNormal,
} from "./lib/divergences/gaussian_kl.ts";
export { klBernoulli } from "./lib/divergences/bernoulli_kl.ts";
export { klContinuousBernoulli } from "./lib/divergences/continuous_bernoulli_kl.ts";
export { klExponential } from "./lib/divergences/exponential_kl.ts";
export { klExponentialGamma, klGamma } from "./lib/divergences/gamma_kl.ts";
export { klBeta } from "./lib/divergences/beta_kl.ts";
export { klLogNormal } from "./lib/divergences/log_normal_kl.ts";
export { klLaplace } from "./lib/divergences/laplace_kl.ts";
export { klUniform } from "./lib/divergences/uniform_kl.ts";
export { klCategorical } from "./lib/divergences/categorical_kl.ts";
export { klDirichlet } from "./lib/divergences/dirichlet_kl.ts";
export { klPoisson } from "./lib/divergences/poisson_kl.ts";
export { klMonteCarlo, type MonteCarloOptions } from "./lib/divergences/kl_monte_carlo.ts";
export { jensenShannon } from "./lib/divergences/jensen_shannon.ts";

// estimators: bounds, their gradients, and fitting q
export { elbo, type ElboMethod, type ElboOptions } from "./lib/estimators/elbo.ts";
export {
  estimateLogEvidence,
  importanceWeightedBound,
  type ImportanceWeightedOptions,
} from "./lib/estimators/importance_weighted_bound.ts";
export {
  elboGradient,
  type ElboGradientEstimator,
  type ElboGradientOptions,
  type ElboGradientResult,
  importanceWeightedGradient,
  type IwGradientEstimator,
} from "./lib/estimators/elbo_gradient.ts";
export { type FitOptions, fitVariational } from "./lib/estimators/fit_variational.ts";
export {
  fitGaussian,
  type FitGaussianOptions,
  type FitGaussianResult,
} from "./lib/estimators/fit_gaussian.ts";

// targets (example models, with exact answers where they exist) and optimisation
export type { GaussianFamily, LatentModel } from "./lib/targets/latent_model.ts";
export {
  type LinearGaussianModel,
  linearGaussianModel,
  type LinearGaussianOptions,
} from "./lib/targets/linear_gaussian_model.ts";
export {
  type ExponentialGaussianModel,
  exponentialGaussianModel,
} from "./lib/targets/exponential_gaussian_model.ts";
export {
  logisticRegressionData,
  type LogisticRegressionModel,
  logisticRegressionModel,
  type LogisticRegressionOptions,
} from "./lib/targets/logistic_regression_model.ts";
export { Adam, type AdamOptions } from "./lib/optim/adam.ts";
