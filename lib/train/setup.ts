// What a configuration builds: the data it trains on (checked against the
// configuration) and the model, new or as its checkpoint must describe it.
import type { Dataset, Split } from "../data/dataset.ts";
import { loadIdxDirectory } from "../data/idx.ts";
import { loadEmbeddedMnist } from "../data/mnist.ts";
import { Autoencoder } from "../models/autoencoder.ts";
import { type Evaluation, type Objective, VAE } from "../models/vae.ts";
import type { TrainConfig } from "./config.ts";

/** Loads the data set a configuration names. */
export async function loadDataset(name: string): Promise<Split> {
  if (name === "mnist") return loadEmbeddedMnist();
  const dir = name === "fashion-mnist"
    ? "/usr/share/datasets/fashion-mnist"
    : name.replace(/^idx:/, "");
  return await loadIdxDirectory(dir, name === "fashion-mnist" ? "fashion-mnist" : undefined);
}

/** The objective a configuration trains with. */
export function objectiveOf(c: TrainConfig, batchesPerEpoch: number): Objective {
  if (c.model === "beta-vae") {
    if (c.capacity) {
      return {
        kind: "capacity",
        gamma: c.capacity.gamma,
        maxCapacity: c.capacity.max,
        annealSteps: c.capacity.epochs * batchesPerEpoch,
      };
    }
    if (c.klBudget !== undefined) {
      return {
        kind: "constrained",
        budget: c.klBudget,
        dualStepSize: c.dualStepSize,
        initialBeta: 1,
      };
    }
    return { kind: "beta", beta: c.beta };
  }
  return c.importanceSamples > 1 ? { kind: "iwae", k: c.importanceSamples } : { kind: "elbo" };
}

/** A new model for a configuration. */
export function buildModel(
  c: TrainConfig,
  inputSize: number,
  batchesPerEpoch: number,
): VAE | Autoencoder {
  if (c.model === "ae") {
    return new Autoencoder({
      inputSize,
      hiddenSizes: c.hiddenSizes,
      latentSize: c.latentSize,
      learningRate: c.learningRate,
      seed: c.seed,
    });
  }
  return new VAE({
    inputSize,
    hiddenSizes: c.hiddenSizes,
    latentSize: c.latentSize,
    likelihood: c.likelihood,
    klEstimator: c.klEstimator,
    objective: objectiveOf(c, batchesPerEpoch),
    learningRate: c.learningRate,
    seed: c.seed,
  });
}

/** Evaluates on the test set: the VAE's ELBO terms, or the autoencoder's error. */
export async function evaluateModel(
  model: VAE | Autoencoder,
  x: Float32Array,
  k: number,
): Promise<Evaluation> {
  if (model instanceof VAE) return await model.evaluate(x, { importanceSamples: k });
  const { reconstruction, examples } = await model.evaluate(x);
  return {
    elbo: -reconstruction,
    logLikelihood: -reconstruction,
    reconstruction,
    kl: 0,
    klPerDimension: [],
    activeUnits: 0,
    importanceSamples: 0,
    examples,
  };
}

/** The class and model options a configuration implies (what model.json must hold). */
export function expectedModel(
  c: TrainConfig,
  inputSize: number,
  batchesPerEpoch: number,
): { class: string; config: Record<string, unknown> } {
  const common = {
    inputSize,
    hiddenSizes: c.hiddenSizes,
    latentSize: c.latentSize,
    learningRate: c.learningRate,
    seed: c.seed,
  };
  if (c.model === "ae") return { class: "Autoencoder", config: common };
  return {
    class: "VAE",
    config: {
      ...common,
      likelihood: c.likelihood,
      klEstimator: c.klEstimator,
      objective: objectiveOf(c, batchesPerEpoch),
    },
  };
}

/** Loads the data and checks that the configuration can train on it. */
export async function prepareData(c: TrainConfig): Promise<{ data: Split; trainSet: Dataset }> {
  const data = await loadDataset(c.dataset);
  const what = "Cannot train";
  if (c.trainSize > data.train.count) {
    throw new RangeError(
      `${what} as trainSize must be at most the ${data.train.count} training images of ${c.dataset} (or 0 for all): current value is ${c.trainSize}`,
    );
  }
  const trainSet: Dataset = c.trainSize > 0 && c.trainSize < data.train.count
    ? {
      ...data.train,
      count: c.trainSize,
      images: data.train.images.subarray(0, c.trainSize * data.train.width * data.train.height),
      labels: data.train.labels.subarray(0, c.trainSize),
    }
    : data.train;
  if (c.batchSize > trainSet.count) {
    throw new RangeError(
      `${what} as batchSize must be at most the ${trainSet.count} training images in use: current value is ${c.batchSize}`,
    );
  }
  return { data, trainSet };
}
