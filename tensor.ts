/**
 * elbo's tensor layer: the batched float32 twins of the core's
 * distributions and divergences on TensorFlow.js, with the same class names,
 * parameters and methods, reparameterized sampling, and a KL registry — the
 * pieces to build variational inference on tensors with autodiff.
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
export { BackendError, type BackendName, BACKENDS, useBackend } from "./lib/tensor/backend.ts";

// distributions
export {
  type TensorDistribution,
  TensorDistributionBase,
  type TensorInput,
} from "./lib/tensor/distributions/distribution.ts";
export { Normal } from "./lib/tensor/distributions/normal.ts";
export { DiagNormal } from "./lib/tensor/distributions/diag_normal.ts";
export { MultivariateNormal } from "./lib/tensor/distributions/multivariate_normal.ts";
export { Bernoulli, type BernoulliParams } from "./lib/tensor/distributions/bernoulli.ts";
export { Exponential } from "./lib/tensor/distributions/exponential.ts";
export { Mixture } from "./lib/tensor/distributions/mixture.ts";

// divergences
export {
  klDivergence,
  registeredKLPairs,
  registerKL,
} from "./lib/tensor/divergences/kl_divergence.ts";
export {
  klDiagNormal,
  klMultivariateNormal,
  klNormal,
} from "./lib/tensor/divergences/gaussian_kl.ts";
export { klBernoulli } from "./lib/tensor/divergences/bernoulli_kl.ts";
export { klExponential } from "./lib/tensor/divergences/exponential_kl.ts";
export { klMonteCarlo } from "./lib/tensor/divergences/kl_monte_carlo.ts";
export { meanAndStandardError, type TensorEstimate } from "./lib/tensor/estimate.ts";
