/**
 * elbo's TensorFlow.js layer: the batched float32 twin of the core, the
 * autoencoder, the VAE and its β-VAE objectives, the data sets, and training.
 *
 * @example
 * ```ts
 * import { useBackend, VAE } from "@elbo/elbo/models";
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

// tensor
export { BackendError, type BackendName, BACKENDS, useBackend } from "./lib/tensor/backend.ts";
export { dense, denseAutodiff } from "./lib/tensor/dense.ts";
export {
  bernoulliLogProb,
  diagGaussianLogProb,
  gaussianLogLikelihood,
  klDiagGaussians,
  klStandardNormal as klStandardNormalTensor,
  klStandardNormalPerDim,
  logMeanExp,
  reparameterize,
} from "./lib/tensor/distributions.ts";

// models
export {
  type Evaluation,
  type Objective,
  VAE,
  type VAEConfig,
  type VAEOptions,
} from "./lib/models/vae.ts";
export { Autoencoder, type AutoencoderOptions } from "./lib/models/autoencoder.ts";
export type { ManifestGroup } from "./lib/models/_checkpoint.ts";
export {
  type SavedModel,
  type StepResult,
  type Terms,
  TrainableModel,
} from "./lib/models/trainable_model.ts";
export type { DenseGradient } from "./lib/models/_mlp.ts";
export { type BrokenTerm, CheckpointError, NonFiniteError } from "./lib/models/errors.ts";

// data
export { type Dataset, type Split, subset } from "./lib/data/dataset.ts";
export { loadEmbeddedMnist } from "./lib/data/mnist.ts";
export { type IdxFile, loadIdxDataset, loadIdxDirectory, parseIdx } from "./lib/data/idx.ts";
export { Batches, binarizeOnce } from "./lib/data/batches.ts";
