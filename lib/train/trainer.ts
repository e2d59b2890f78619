import { Batches, binarizeOnce } from "../data/batches.ts";
import type { Dataset, Split } from "../data/dataset.ts";
import { loadIdxDirectory } from "../data/idx.ts";
import { loadEmbeddedMnist } from "../data/mnist.ts";
import { Autoencoder } from "../models/autoencoder.ts";
import type { StepResult } from "../models/trainable_model.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { type Evaluation, type Objective, VAE } from "../models/vae.ts";
import { useBackend } from "../tensor/backend.ts";
import { type TrainConfig, validateConfig } from "./config.ts";

/** The metrics of one epoch (one line of metrics.jsonl). */
export interface EpochMetrics {
  /** 1-based epoch. */
  epoch: number;
  /** Steps taken so far. */
  step: number;
  /** Wall-clock seconds of training so far (over resumes). */
  seconds: number;
  /** Mean training loss of the epoch (per example). */
  trainLoss: number;
  /** Mean reconstruction term of the epoch. */
  trainReconstruction: number;
  /** Mean KL of the epoch. */
  trainKl: number;
  /** β at the end of the epoch. */
  beta: number;
  /** Capacity C at the end of the epoch (capacity annealing). */
  capacity: number;
  /** Test ELBO (VAE; one draw per example) or minus the squared error (autoencoder). */
  testElbo: number;
  /** Test reconstruction term. */
  testReconstruction: number;
  /** Test KL. */
  testKl: number;
  /** Active latent units on the test set. */
  activeUnits: number;
}

/** The final evaluation (the last line of metrics.jsonl). */
export interface FinalMetrics extends Evaluation {
  /** Always "final". */
  kind: "final";
  /** Seconds spent training. */
  trainSeconds: number;
  /** Seconds spent on the final evaluation. */
  evalSeconds: number;
}

/** What a training step tells the caller (for progress bars). */
export interface Progress {
  /** 1-based epoch. */
  epoch: number;
  /** Epochs in all. */
  epochs: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** The step's numbers. */
  result: StepResult;
  /** Seconds since this process started training. */
  elapsed: number;
  /** Steps this process has taken. */
  stepsThisRun: number;
}

/** The state stored beside the model in every checkpoint. */
interface TrainerState {
  epoch: number;
  config: TrainConfig;
  metrics: EpochMetrics[];
  seconds: number;
}

/** Options of {@linkcode train}. */
export interface TrainOptions {
  /** The run folder (checkpoints, metrics.jsonl, model/). */
  out: string;
  /** Continue from the latest checkpoint in `out`. */
  resume?: boolean;
  /** Called after every step. */
  onStep?: (p: Progress) => void;
  /** Called after every epoch. */
  onEpoch?: (m: EpochMetrics) => void;
  /** Called for a line of news (resuming, evaluating). */
  log?: (line: string) => void;
}

/** What {@linkcode train} returns. */
export interface TrainResult {
  /** The trained model (the caller disposes it). */
  model: VAE | Autoencoder;
  /** The configuration. */
  config: TrainConfig;
  /** One entry per epoch. */
  metrics: EpochMetrics[];
  /** The final test evaluation. */
  final: FinalMetrics;
  /** The data (for the report's figures). */
  data: Split;
  /** The test set as the model sees it (binarised for Bernoulli). */
  testInput: Float32Array;
}

/** A checkpoint folder is missing, incomplete or corrupt. */
export class CheckpointError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong and where.
   */
  constructor(message: string) {
    super(message);
    this.name = "CheckpointError";
  }
}

/** Loads the data set a configuration names. */
export async function loadDataset(name: string): Promise<Split> {
  if (name === "mnist") return loadEmbeddedMnist();
  const dir = name === "fashion-mnist"
    ? "/usr/share/datasets/fashion-mnist"
    : name.replace(/^idx:/, "");
  return await loadIdxDirectory(dir, name === "fashion-mnist" ? "fashion-mnist" : undefined);
}

/** The seed of the fixed binarization of the test set (the same for every run). */
const TEST_BINARIZATION_SEED = 0;

function objectiveOf(c: TrainConfig, batchesPerEpoch: number): Objective {
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

function buildModel(c: TrainConfig, inputSize: number, batchesPerEpoch: number): VAE | Autoencoder {
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

const CHECKPOINTS = "checkpoints";

/** Reads the latest checkpoint of a run folder, with clear errors. */
export async function readLatestCheckpoint(
  out: string,
): Promise<{ dir: string; state: TrainerState }> {
  let name: string;
  try {
    name = (await Deno.readTextFile(`${out}/${CHECKPOINTS}/latest`)).trim();
  } catch {
    throw new CheckpointError(
      `Cannot resume: ${out}/${CHECKPOINTS}/latest is missing, so ${out} holds no completed checkpoint (a run writes one at the end of each epoch)`,
    );
  }
  if (!/^epoch-\d+$/.test(name)) {
    throw new CheckpointError(
      `Cannot resume: ${out}/${CHECKPOINTS}/latest is corrupt (it holds ${
        JSON.stringify(name.slice(0, 40))
      })`,
    );
  }
  const dir = `${out}/${CHECKPOINTS}/${name}`;
  let state: TrainerState;
  try {
    state = JSON.parse(await Deno.readTextFile(`${dir}/trainer.json`));
  } catch (e) {
    throw new CheckpointError(
      `Cannot resume: ${dir}/trainer.json is missing or corrupt (${(e as Error).message})`,
    );
  }
  if (!Number.isInteger(state?.epoch) || !state.config || !Array.isArray(state.metrics)) {
    throw new CheckpointError(`Cannot resume: ${dir}/trainer.json does not describe a checkpoint`);
  }
  return { dir, state };
}

async function writeCheckpoint(
  out: string,
  model: VAE | Autoencoder,
  state: TrainerState,
): Promise<void> {
  const name = `epoch-${String(state.epoch).padStart(4, "0")}`;
  const dir = `${out}/${CHECKPOINTS}/${name}`;
  await Deno.mkdir(dir, { recursive: true });
  await model.save(dir);
  await writeAtomic(`${dir}/trainer.json`, JSON.stringify(state));
  // The pointer moves only once the new checkpoint is complete.
  await writeAtomic(`${out}/${CHECKPOINTS}/latest`, name);
  for await (const e of Deno.readDir(`${out}/${CHECKPOINTS}`)) {
    if (e.isDirectory && e.name !== name) {
      await Deno.remove(`${out}/${CHECKPOINTS}/${e.name}`, { recursive: true });
    }
  }
}

function metricsLines(metrics: EpochMetrics[], final?: FinalMetrics): string {
  return [...metrics.map((m) => JSON.stringify(m)), ...(final ? [JSON.stringify(final)] : [])].join(
    "\n",
  ) + "\n";
}

/**
 * Trains a model as `deno task train` does: loads the data, builds the model,
 * runs the epochs with seeded batches, writes a checkpoint (model, Adam state
 * and trainer state) at the end of every epoch and rewrites metrics.jsonl,
 * then evaluates on the test set and saves the model to `out/model`.
 *
 * Every write is atomic (a temporary name, then a rename), and the
 * `checkpoints/latest` pointer moves only after a checkpoint is complete, so
 * a run killed at any moment can `resume` from its last complete epoch —
 * and, because every batch and every step's noise is a function of the seed
 * and the position, reaches the same numbers as an uninterrupted run.
 *
 * @param config The run's configuration (ignored on resume, except `epochs` and `backend`).
 * @param options The run folder, resume, and progress callbacks.
 * @returns The model, the metrics and the final evaluation.
 * @throws {CheckpointError} If resuming finds no usable checkpoint.
 */
export async function train(config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => {});
  const out = options.out;
  let state: TrainerState;
  let resumeDir: string | undefined;
  if (options.resume) {
    const latest = await readLatestCheckpoint(out);
    resumeDir = latest.dir;
    state = latest.state;
    state.config = {
      ...state.config,
      epochs: Math.max(config.epochs, state.epoch),
      backend: config.backend,
    };
    log(`Resuming ${out} from the end of epoch ${state.epoch} (${latest.dir})`);
  } else {
    state = { epoch: 0, config: validateConfig({ ...config }), metrics: [], seconds: 0 };
  }
  const c = validateConfig(state.config);
  await Deno.mkdir(out, { recursive: true });
  await useBackend(c.backend);
  const data = await loadDataset(c.dataset);
  const trainSet: Dataset = c.trainSize > 0 && c.trainSize < data.train.count
    ? {
      ...data.train,
      count: c.trainSize,
      images: data.train.images.subarray(0, c.trainSize * data.train.width * data.train.height),
      labels: data.train.labels.subarray(0, c.trainSize),
    }
    : data.train;
  const inputSize = trainSet.width * trainSet.height;
  const bernoulli = c.model !== "ae" && c.likelihood === "bernoulli";
  const batches = new Batches(trainSet, {
    batchSize: c.batchSize,
    seed: c.seed,
    binarize: bernoulli,
  });
  const testInput = bernoulli ? binarizeOnce(data.test, TEST_BINARIZATION_SEED) : data.test.images;
  let model: VAE | Autoencoder;
  if (resumeDir) {
    model = c.model === "ae" ? await Autoencoder.load(resumeDir) : await VAE.load(resumeDir);
  } else {
    model = buildModel(c, inputSize, batches.perEpoch);
  }
  const t0 = performance.now(), baseSeconds = state.seconds;
  let stepsThisRun = 0;
  for (let epoch = state.epoch + 1; epoch <= c.epochs; epoch++) {
    let loss = 0, rec = 0, kl = 0, last: StepResult | undefined;
    for (let b = 0; b < batches.perEpoch; b++) {
      const r = await model.trainStep(batches.batch(epoch - 1, b));
      loss += r.loss;
      rec += r.reconstruction;
      kl += r.kl;
      last = r;
      stepsThisRun++;
      options.onStep?.({
        epoch,
        epochs: c.epochs,
        batch: b,
        batches: batches.perEpoch,
        result: r,
        elapsed: (performance.now() - t0) / 1000,
        stepsThisRun,
      });
    }
    const ev = await evaluateModel(model, testInput, 1);
    const n = batches.perEpoch;
    const beta = model instanceof VAE ? model.beta : 0;
    const m: EpochMetrics = {
      epoch,
      step: model.step,
      seconds: baseSeconds + (performance.now() - t0) / 1000,
      trainLoss: loss / n,
      trainReconstruction: rec / n,
      trainKl: kl / n,
      beta: last?.beta ?? beta,
      capacity: last?.capacity ?? 0,
      testElbo: ev.elbo,
      testReconstruction: ev.reconstruction,
      testKl: ev.kl,
      activeUnits: ev.activeUnits,
    };
    const next: TrainerState = {
      epoch,
      config: c,
      metrics: [...state.metrics, m],
      seconds: m.seconds,
    };
    await writeCheckpoint(out, model, next);
    await writeAtomic(`${out}/metrics.jsonl`, metricsLines(next.metrics));
    state = next;
    options.onEpoch?.(m);
  }
  log(
    `Evaluating on ${data.test.count} test images with ${
      c.model === "ae" ? "the squared error" : `k = ${c.evalSamples} importance samples`
    }…`,
  );
  const e0 = performance.now();
  const ev = await evaluateModel(model, testInput, c.evalSamples);
  const final: FinalMetrics = {
    kind: "final",
    ...ev,
    trainSeconds: state.seconds,
    evalSeconds: (performance.now() - e0) / 1000,
  };
  await writeAtomic(`${out}/metrics.jsonl`, metricsLines(state.metrics, final));
  const tmp = `${out}/model.tmp-${Deno.pid}`;
  await model.save(tmp);
  await Deno.remove(`${out}/model`, { recursive: true }).catch(() => {});
  await Deno.rename(tmp, `${out}/model`);
  await writeAtomic(`${out}/config.json`, JSON.stringify(c, null, 2));
  return { model, config: c, metrics: state.metrics, final, data, testInput };
}
