/**
 * elbo's models on TensorFlow.js: the autoencoder, and the VAE built from the
 * tensor distributions of `@elbo/elbo/tensor` with its β-VAE objectives; the
 * fast dense layer they use; and the data sets. The backend they run on is
 * chosen with `useBackend` from `@elbo/elbo/tensor`.
 *
 * The types `Normal`, `DiagNormal`, `Bernoulli` and `ContinuousBernoulli` named here are the
 * float32 tensor classes of `@elbo/elbo/tensor` (what the VAE's `encode` and
 * `decode` return), not the float64 classes of the same names in
 * `@elbo/elbo`.
 *
 * @example
 * ```ts
 * import { VAE } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const vae = new VAE({ inputSize: 784, latentSize: 2, hiddenSizes: [64] });
 * assert.equal(vae.latentSize, 2);
 * vae.dispose();
 * ```
 *
 * @module
 */

// layers
export { dense, denseAutodiff, type DenseGradient } from "./lib/tensor/dense.ts";
export { conv2d, conv2dTranspose, type ConvOptions } from "./lib/tensor/conv.ts";
// The distributions the VAE hands out (the whole tensor layer: @elbo/elbo/tensor).
export type { Normal } from "./lib/tensor/distributions/normal.ts";
export type { DiagNormal } from "./lib/tensor/distributions/diag_normal.ts";
export type { Bernoulli, BernoulliParams } from "./lib/tensor/distributions/bernoulli.ts";
export type { ContinuousBernoulli } from "./lib/tensor/distributions/continuous_bernoulli.ts";
export type {
  TensorDistribution,
  TensorDistributionBase,
  TensorInput,
} from "./lib/tensor/distributions/distribution.ts";

// models
export { VAE } from "./lib/models/vae.ts";
export { FlowPosterior } from "./lib/models/flow_posterior.ts";
export type {
  IafPosterior,
  Objective,
  PosteriorOptions,
  VAEConfig,
  VAEOptions,
} from "./lib/models/vae_options.ts";
export type { EvaluateOptions, Evaluation } from "./lib/models/evaluation.ts";
export type { KLEstimator } from "./lib/models/objectives.ts";
export { Autoencoder, type AutoencoderOptions } from "./lib/models/autoencoder.ts";
export type { ManifestEntry, ManifestGroup, SavedModel } from "./lib/io/checkpoint.ts";
export { TrainableModel } from "./lib/models/trainable_model.ts";
export type { ModelReport, Quantity, StepResult, Term } from "./lib/models/report.ts";
export { type BrokenTerm, CheckpointError, NonFiniteError } from "./lib/models/errors.ts";

// data
export { type Dataset, type Split, subset } from "./lib/data/dataset.ts";
export { loadEmbeddedMnist } from "./lib/data/mnist.ts";
export { type IdxFile, loadIdxDataset, loadIdxDirectory, parseIdx } from "./lib/data/idx.ts";
export { Batches, binarizeOnce } from "./lib/data/batches.ts";
export { FactorBatches } from "./lib/data/factor_batches.ts";
