// The epochs of a run: steps over seeded batches, each epoch's means of the
// model's terms and its test evaluation, a checkpoint and metrics.jsonl
// after every epoch.
import type { BatchSource } from "./setup.ts";
import type { TrainableModel } from "../models/trainable_model.ts";
import type { ModelReport, StepResult } from "../models/report.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import type { TrainConfig } from "./config.ts";
import { type EpochMetrics, type TrainerState, writeCheckpoint } from "./checkpoint.ts";
import { evaluateModel } from "./setup.ts";

/**
 * An epoch as the model reports it: the epoch's means of the loss and of
 * each term of its steps (the last value of a weight such as β), the test
 * evaluation, and the model's labels for them.
 */
export interface EpochSummary {
  /** `loss` and each key of `report.terms`. */
  train: Record<string, number>;
  /** The model's test metrics (one importance sample). */
  test: Record<string, number | number[]>;
  /** What the model reports, with labels. */
  report: ModelReport;
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
  /** What the model reports, with the labels of its terms. */
  report: ModelReport;
  /** Seconds since this process started training. */
  elapsed: number;
  /** Steps this process has taken. */
  stepsThisRun: number;
}

/** metrics.jsonl: one line per epoch, then the final evaluation's if given. */
export function metricsLines(metrics: EpochMetrics[], final?: unknown): string {
  return [...metrics.map((m) => JSON.stringify(m)), ...(final ? [JSON.stringify(final)] : [])].join(
    "\n",
  ) + "\n";
}

/**
 * Runs the epochs after `start.epoch` up to `c.epochs`, writing a checkpoint
 * and metrics.jsonl after each; returns the trainer state after the last.
 */
export async function runEpochs(
  model: TrainableModel,
  start: TrainerState,
  c: TrainConfig,
  batches: BatchSource,
  testInput: Float32Array,
  out: string,
  options: {
    onStep?: (p: Progress) => void;
    onEpoch?: (m: EpochMetrics, summary: EpochSummary) => void;
  },
): Promise<TrainerState> {
  let state = start;
  const t0 = performance.now(), baseSeconds = state.seconds;
  let stepsThisRun = 0, lastTurn = t0;
  const report = model.report;
  for (let epoch = state.epoch + 1; epoch <= c.epochs; epoch++) {
    const sums: Record<string, number> = { loss: 0 };
    let last: StepResult | undefined;
    for (let b = 0; b < batches.perEpoch; b++) {
      const r = await model.trainStep(batches.batch(epoch - 1, b));
      // A step's promises settle as microtasks: without a turn of the event
      // loop now and then, SIGINT and SIGTERM would wait for the epoch's end.
      if (performance.now() - lastTurn > 50) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastTurn = performance.now();
      }
      sums.loss! += r.loss;
      for (const t of report.terms) sums[t.key] = (sums[t.key] ?? 0) + r.terms[t.key]!;
      last = r;
      stepsThisRun++;
      options.onStep?.({
        epoch,
        epochs: c.epochs,
        batch: b,
        batches: batches.perEpoch,
        result: r,
        report,
        elapsed: (performance.now() - t0) / 1000,
        stepsThisRun,
      });
    }
    // The epoch's means of the loss and the terms; of a weight (β, C), its last value.
    const train: Record<string, number> = { loss: sums.loss! / batches.perEpoch };
    for (const t of report.terms) {
      train[t.key] = t.weight ? last!.terms[t.key]! : sums[t.key]! / batches.perEpoch;
    }
    const test = await evaluateModel(model, c, testInput, 1);
    const seconds = baseSeconds + (performance.now() - t0) / 1000;
    const m = epochMetrics(report, { epoch, step: model.step, seconds }, train, test);
    const next: TrainerState = {
      epoch,
      config: c,
      metrics: [...state.metrics, m],
      seconds: m.seconds,
    };
    await writeCheckpoint(out, model, next);
    await writeAtomic(`${out}/metrics.jsonl`, metricsLines(next.metrics));
    state = next;
    options.onEpoch?.(m, { train, test, report });
  }
  return state;
}

/**
 * An epoch's line of metrics.jsonl from what the model reports. Its fields
 * are the VAE's: the train means of its `reconstruction` and `kl` terms, the
 * last `beta` and `capacity`, and the test `reconstruction`, `kl` and
 * `activeUnits`; a model without one of them (the autoencoder has no KL)
 * gives 0. `testElbo` is minus the test loss of `report.testLoss` (the
 * autoencoder's: minus its squared error).
 */
function epochMetrics(
  report: ModelReport,
  at: { epoch: number; step: number; seconds: number },
  train: Record<string, number>,
  test: Record<string, number | number[]>,
): EpochMetrics {
  const num = (
    r: Record<string, unknown>,
    key: string,
  ) => (typeof r[key] === "number" ? r[key] : 0);
  return {
    ...at,
    trainLoss: train.loss!,
    trainReconstruction: num(train, "reconstruction"),
    trainKl: num(train, "kl"),
    beta: num(train, "beta"),
    capacity: num(train, "capacity"),
    testElbo: -report.testLoss.sign * num(test, report.testLoss.key),
    testReconstruction: num(test, "reconstruction"),
    testKl: num(test, "kl"),
    activeUnits: num(test, "activeUnits"),
  };
}
