// What a configuration builds: the data it trains on (checked against the
// configuration) and the model, new or as its checkpoint must describe it.
import { Batches } from "../data/batches.ts";
import type { Dataset, Split } from "../data/dataset.ts";
import { type DSprites, dsprites } from "../data/dsprites.ts";
import { FactorBatches } from "../data/factor_batches.ts";
import { type FactorDataset, sampleFactors } from "../data/factor_dataset.ts";
import { createRng } from "../math/rng.ts";
import { loadIdxDirectory } from "../data/idx.ts";
import { loadEmbeddedMnist } from "../data/mnist.ts";
import { Autoencoder } from "../models/autoencoder.ts";
import type { TrainableModel } from "../models/trainable_model.ts";
import { VAE } from "../models/vae.ts";
import { iafPosterior, type Objective } from "../models/vae_options.ts";
import type { TrainConfig } from "./config.ts";
import { applies, setting } from "./settings.ts";

/** The model classes a configuration can name, by the class name model.json records. */
const MODEL_CLASSES = { VAE, Autoencoder } as const;

/** A data set whose factors are known: its factor data set, and a rendered test set. */
interface FactorSplit extends Split {
  factors: FactorDataset;
}

/** Images of a factor data set in its test split (drawn once, from a fixed seed). */
const FACTOR_TEST_IMAGES = 5_000;
/** Images of a factor data set shown as its train split (training draws afresh). */
const FACTOR_SAMPLE_IMAGES = 1_000;

/** A factor data set as a split: fixed draws for the test set and the report, labels its first factor. */
function factorSplit(factors: DSprites): FactorSplit {
  const draw = (name: string, n: number, seed: number): Dataset => {
    const rows = sampleFactors(factors, n, createRng(seed));
    return {
      name,
      images: factors.render(rows),
      labels: Uint8Array.from(rows, (r) => r[0]!),
      count: n,
      width: factors.imageSize,
      height: factors.imageSize,
    };
  };
  return {
    train: draw(`${factors.name} (a sample: training draws afresh)`, FACTOR_SAMPLE_IMAGES, 1),
    test: draw(`${factors.name} test`, FACTOR_TEST_IMAGES, 2),
    factors,
  };
}

/**
 * Loads the data set a configuration names: the embedded MNIST digits,
 * Debian's Fashion-MNIST, dSprites (`dsprites`, or `dsprites:32` for 32 × 32
 * images), or a folder of IDX files.
 */
export async function loadDataset(name: string): Promise<Split & { factors?: FactorDataset }> {
  if (name === "mnist") return loadEmbeddedMnist();
  const sprites = name.match(/^dsprites(?::(\d+))?$/);
  if (sprites) return factorSplit(dsprites({ imageSize: Number(sprites[1] ?? 64) }));
  const dir = name === "fashion-mnist" ? FASHION_MNIST : name.replace(/^idx:/, "");
  try {
    return await loadIdxDirectory(dir, name === "fashion-mnist" ? "fashion-mnist" : undefined);
  } catch (e) {
    if (name === "fashion-mnist" && e instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot load fashion-mnist: ${FASHION_MNIST} is missing; it is Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)`,
        { cause: e },
      );
    }
    throw e;
  }
}

/** Where Debian's dataset-fashion-mnist puts Fashion-MNIST. */
const FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

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
  // With a flow the KL is Monte Carlo, and the posterior as the VAE resolves it.
  const flow = c.posterior === "iaf"
    ? {
      klEstimator: "monteCarlo",
      posterior: iafPosterior(c.latentSize, { layers: c.flowLayers, hiddenSizes: c.flowHidden }),
    }
    : { klEstimator: c.klEstimator };
  return {
    class: "VAE",
    config: {
      ...common,
      ...(c.network === "conv" ? { network: "conv" } : {}),
      likelihood: c.likelihood,
      ...flow,
      objective: objectiveOf(c, batchesPerEpoch),
    },
  };
}

/** What a training loop reads of its batches. */
export type BatchSource = Pick<Batches, "perEpoch" | "batch">;

/** A configuration's data, checked against it, and the batches it trains on. */
export interface PreparedData {
  /** The test set (and, for images, the train set; for factor data, a sample of it). */
  data: Split;
  /** The batches: seeded shuffles of the train set, or fresh draws of a factor data set. */
  batches: BatchSource;
  /** Pixels per image. */
  inputSize: number;
  /** The factor data set, when the data set's factors are known. */
  factors?: FactorDataset;
}

/** Loads the data, checks that the configuration can train on it, and makes its batches. */
export async function prepareData(c: TrainConfig, binarize: boolean): Promise<PreparedData> {
  const data = await loadDataset(c.dataset);
  const what = "Cannot train";
  const side = data.test.width;
  if (c.model !== "ae" && c.network === "conv" && (data.test.height !== side || side % 16 !== 0)) {
    throw new RangeError(
      `${what} as network conv needs square images whose side is a multiple of 16: ${c.dataset}'s are ${side}×${data.test.height} (try --dataset dsprites, or --network mlp)`,
    );
  }
  const inputSize = side * data.test.height;
  if (data.factors) {
    const perEpoch = c.trainSize > 0 ? c.trainSize : (data.factors as DSprites).count;
    if (c.batchSize > perEpoch) {
      throw new RangeError(
        `${what} as batchSize must be at most the ${perEpoch} images drawn per epoch: current value is ${c.batchSize}`,
      );
    }
    const batches = new FactorBatches(data.factors, {
      imagesPerEpoch: perEpoch,
      batchSize: c.batchSize,
      seed: c.seed,
    });
    return { data, batches, inputSize, factors: data.factors };
  }
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
  const batches = new Batches(trainSet, { batchSize: c.batchSize, seed: c.seed, binarize });
  return { data, batches, inputSize };
}
