import { binarizeOnce } from "../data/batches.ts";
import type { FactorDataset } from "../data/factor_dataset.ts";
import type { Split } from "../data/dataset.ts";
import type { TrainableModel } from "../models/trainable_model.ts";
import { startBackend } from "./backend_start.ts";
import { CheckpointError } from "../models/errors.ts";
import { checkSetting, RESUMABLE, type TrainConfig, validateConfig } from "./config.ts";
import {
  checkModelMatches,
  checkpointName,
  type EpochMetrics,
  readLatestCheckpoint,
  type TrainerState,
} from "./checkpoint.ts";
import { type EpochSummary, type Progress, runEpochs } from "./epochs.ts";
import { outOption } from "./args.ts";
import { applies, setting } from "./settings.ts";
import { type OpenRun, openRunFolder } from "./run_folder.ts";
import {
  buildModel,
  evaluateModel,
  expectedModel,
  loadDataset,
  loadModel,
  prepareData,
} from "./setup.ts";
import { finish } from "./finish.ts";

export {
  CheckpointError,
  type EpochMetrics,
  type EpochSummary,
  evaluateModel,
  loadDataset,
  type Progress,
  readLatestCheckpoint,
};

/**
 * The final evaluation (the last line of metrics.jsonl): the model's own
 * metrics by key (the VAE's `elbo`, `logLikelihood`, `klPerDimension`, …,
 * the autoencoder's `reconstruction`; see `model.report.metrics`), and the
 * timings.
 */
export interface FinalMetrics {
  /** Always "final". */
  kind: "final";
  /** Seconds spent training. */
  trainSeconds: number;
  /** Seconds spent on the final evaluation. */
  evalSeconds: number;
  /** The model's metrics. */
  [metric: string]: number | number[] | string;
}

/** What {@linkcode TrainOptions.onProgress} is told. */
export type TrainEvent =
  | ({ kind: "step" } & Progress)
  | { kind: "epoch"; metrics: EpochMetrics; summary: EpochSummary }
  | { kind: "log"; line: string };

/** Options of {@linkcode train}. */
export interface TrainOptions {
  /** The run folder (checkpoints, metrics.jsonl, model/). */
  out: string;
  /** Continue from the latest checkpoint in `out`. */
  resume?: boolean;
  /**
   * Called as training goes: after every step (`kind: "step"`, with the
   * step's loss and terms and the position in the run), after every epoch
   * (`kind: "epoch"`, with its line of metrics.jsonl and the model's view of
   * it), and for a line of news (`kind: "log"`: resuming, evaluating).
   */
  onProgress?: (event: TrainEvent) => void;
  /**
   * Called with the result once the model is saved, while the run folder is
   * still locked (the task writes its report here).
   */
  onFinish?: (result: TrainResult) => Promise<unknown> | unknown;
}

/** What {@linkcode train} returns. */
export interface TrainResult {
  /** The trained model (the caller disposes it). */
  model: TrainableModel;
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

/** The seed of the fixed binarization of the test set (the same for every run). */
const TEST_BINARIZATION_SEED = 0;

/**
 * Training finished and its last epoch is checkpointed, but what follows —
 * the final evaluation, saving the model, or the caller's `onFinish` (the
 * report) — failed. Nothing is lost: resuming the run goes straight to the
 * final evaluation.
 */
export class UnfinishedRunError extends Error {
  /** The checkpoint that holds the trained model. */
  readonly checkpoint: string;

  /**
   * Creates the error.
   *
   * @param checkpoint The checkpoint folder.
   * @param out The run folder.
   * @param cause The failure.
   */
  constructor(checkpoint: string, out: string, cause: unknown) {
    super(
      `${
        cause instanceof Error ? cause.message : String(cause)
      } — training is complete and saved in ${checkpoint}; resume the run (deno task train --resume ${
        outOption(out)
      }, optionally with another --eval-samples or --backend) to evaluate it and write the report`,
      { cause },
    );
    this.name = "UnfinishedRunError";
    this.checkpoint = checkpoint;
  }
}

/**
 * Trains a model as `deno task train` does: loads the data, builds the model,
 * runs the epochs with seeded batches, writes a checkpoint (model, Adam state
 * and trainer state) at the end of every epoch and rewrites metrics.jsonl,
 * then evaluates on the test set and saves the model to `out/model`.
 *
 * Everything that can be checked is checked before the first step: the
 * configuration, the data (train and test images of one size, enough images
 * for a batch), the memory a step needs, and on resume the checkpoint
 * (trainer.json against its model.json). The run folder is locked
 * (`out/run.lock`) while the run writes to it, and what a killed run left
 * there is cleared.
 *
 * Every write is atomic (a temporary name, then a rename), and the
 * `checkpoints/latest` pointer moves only after a checkpoint is complete, so
 * a run killed at any moment can `resume` from its last complete epoch —
 * and, because every batch and every step's noise is a function of the seed
 * and the position, reaches the same numbers as an uninterrupted run. A run
 * whose epochs are all done resumes straight to the final evaluation.
 *
 * @param config The run's configuration; on resume only the settings whose
 *   `onResume` allows a change (`epochs`, at least the epochs done,
 *   `backend`, `threads`, `evalSamples`) are read from it, the rest comes
 *   from the checkpoint.
 * @param options The run folder, resume, and progress callbacks.
 * @returns The model, the metrics and the final evaluation.
 * @throws {TypeError | RangeError} If a setting or `options.out` is invalid or cannot work with the data.
 * @throws {RunFolderError} If `out` is a file, holds another run (a new run) or other files.
 * @throws {LockHeldError} If another process is using `out`.
 * @throws {CheckpointError} If resuming finds no usable checkpoint.
 * @throws {NonFiniteError} If a step meets a non-finite value (the last checkpoint is intact).
 * @throws {UnfinishedRunError} If the final evaluation, the save or `onFinish` fails.
 *
 * @example A tiny run, then a resume that only evaluates again
 * ```ts
 * import { DEFAULT_CONFIG, train } from "@elbo/elbo/train";
 * import assert from "node:assert/strict";
 *
 * const out = await Deno.makeTempDir();
 * const config = {
 *   ...DEFAULT_CONFIG,
 *   backend: "cpu" as const,
 *   hiddenSizes: [8],
 *   latentSize: 2,
 *   trainSize: 100,
 *   batchSize: 50,
 *   epochs: 1,
 *   evalSamples: 2,
 * };
 * const first = await train(config, { out: `${out}/run` });
 * first.model.dispose();
 * const again = await train({ ...config, evalSamples: 3 }, { out: `${out}/run`, resume: true });
 * assert.equal(again.model.step, 2);
 * assert.equal(again.final.importanceSamples, 3);
 * again.model.dispose();
 * await Deno.remove(out, { recursive: true });
 * ```
 */
export async function train(config: TrainConfig, options: TrainOptions): Promise<TrainResult> {
  const emit = options?.onProgress ?? (() => {});
  const log = (line: string) => emit({ kind: "log", line });
  const out = options?.out, resume = options?.resume === true;
  if (resume) {
    for (const k of RESUMABLE) checkSetting(k, config?.[k]);
  } else validateConfig(config);
  let run: OpenRun | undefined, model: TrainableModel | undefined;
  let state: TrainerState, c: TrainConfig, data: Split, testInput: Float32Array;
  let factors: FactorDataset | undefined;
  try {
    run = await openRunFolder(out, resume);
    if (run.checkpoint) {
      state = run.checkpoint!.state;
      if (config.epochs < state.epoch) {
        throw new RangeError(
          `Cannot resume ${out} as epochs must be at least the ${state.epoch} epochs it has trained: current value is ${config.epochs}`,
        );
      }
      // The settings whose onResume allows it come from the caller; the rest
      // from the checkpoint.
      const changes = Object.fromEntries(RESUMABLE.map((k) => [k, config[k]]));
      state.config = { ...state.config, ...changes };
      log(`Resuming ${out} from the end of epoch ${state.epoch} (${run.checkpoint!.dir})`);
    } else {
      state = { epoch: 0, config: structuredClone(config), metrics: [], seconds: 0 };
    }
    c = validateConfig(state.config);
    await startBackend(c);
    const bernoulli = applies(setting("likelihood"), c) && c.likelihood === "bernoulli";
    const prepared = await prepareData(c, bernoulli);
    const { batches, inputSize } = prepared;
    data = prepared.data;
    factors = prepared.factors;
    testInput = bernoulli ? binarizeOnce(data.test, TEST_BINARIZATION_SEED) : data.test.images;
    const dir = run?.checkpoint?.dir;
    if (dir) {
      await checkModelMatches(dir, {
        ...expectedModel(c, inputSize, batches.perEpoch),
        step: state.epoch * batches.perEpoch,
      });
      model = await loadModel(c, dir);
    } else {
      model = buildModel(c, inputSize, batches.perEpoch);
    }
    try {
      model.assertStepFits(c.batchSize);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      const k = applies(setting("importanceSamples"), c) && c.importanceSamples > 1
        ? ` and importanceSamples ${c.importanceSamples}`
        : "";
      throw new RangeError(`Cannot train with batchSize ${c.batchSize}${k}: ${e.message}`, {
        cause: e,
      });
    }
    state = await runEpochs(model, state, c, batches, testInput, out, {
      onStep: (p) => emit({ kind: "step", ...p }),
      onEpoch: (metrics, summary) => emit({ kind: "epoch", metrics, summary }),
    });
  } catch (e) {
    model?.dispose();
    await run?.abandon();
    throw e;
  }
  try {
    const result = await finish(model, state, c, { data, testInput, factors }, out, log);
    await options?.onFinish?.(result);
    return result;
  } catch (e) {
    model.dispose();
    throw new UnfinishedRunError(`${out}/checkpoints/${checkpointName(state.epoch)}`, out, e);
  } finally {
    run.lock.release();
  }
}
