// What a configuration builds: the data it trains on (checked against the
// configuration) and the model, new or as its checkpoint must describe it.
import type { Dataset, Split } from "../data/dataset.ts";
import { loadIdxDirectory } from "../data/idx.ts";
import { loadEmbeddedMnist } from "../data/mnist.ts";
import { Autoencoder } from "../models/autoencoder.ts";
import type { TrainableModel } from "../models/trainable_model.ts";
import { type Objective, VAE } from "../models/vae.ts";
import type { TrainConfig } from "./config.ts";
import { applies, setting } from "./settings.ts";

/** The model classes a configuration can name, by the class name model.json records. */
const MODEL_CLASSES = { VAE, Autoencoder } as const;

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
): TrainableModel {
  const { class: name, config } = expectedModel(c, inputSize, batchesPerEpoch);
  return new MODEL_CLASSES[name](config as never);
}

/** The model of a configuration, loaded from a checkpoint folder. */
export async function loadModel(c: TrainConfig, dir: string): Promise<TrainableModel> {
  return await MODEL_CLASSES[expectedModel(c, 1, 1).class].load(dir);
}

/**
 * Evaluates on the test set, with k importance samples where the
 * configuration's `evalSamples` applies (the VAEs): the model's own metrics,
 * by key (see its `report.metrics`).
 */
export async function evaluateModel(
  model: TrainableModel,
  c: TrainConfig,
  x: Float32Array,
  k: number,
): Promise<Record<string, number | number[]>> {
  return await model.evaluate(
    x,
    applies(setting("evalSamples"), c) ? { importanceSamples: k } : undefined,
  );
}

/** The class and model options a configuration implies (what model.json must hold). */
export function expectedModel(
  c: TrainConfig,
  inputSize: number,
  batchesPerEpoch: number,
): { class: keyof typeof MODEL_CLASSES; config: Record<string, unknown> } {
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
