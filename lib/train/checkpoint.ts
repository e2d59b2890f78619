// A run's checkpoints: checkpoints/epoch-NNNN/ (the model, Adam's state and
// trainer.json) and the checkpoints/latest pointer. Everything read back is
// checked before any of it is used.
import { CheckpointError } from "../models/errors.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { completeSaved } from "../kit/settings.ts";
import { type TrainConfig, validateConfig } from "./config.ts";
import { TRAIN_TASK } from "./settings.ts";

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

const METRIC_FIELDS: readonly (keyof EpochMetrics)[] = [
  "epoch",
  "step",
  "seconds",
  "trainLoss",
  "trainReconstruction",
  "trainKl",
  "beta",
  "capacity",
  "testElbo",
  "testReconstruction",
  "testKl",
  "activeUnits",
];

/** The state stored beside the model in every checkpoint (trainer.json). */
export interface TrainerState {
  /** The epochs completed. */
  epoch: number;
  /** The run's configuration. */
  config: TrainConfig;
  /** One entry per completed epoch. */
  metrics: EpochMetrics[];
  /** Seconds of training so far. */
  seconds: number;
}

/** The checkpoints folder of a run. */
export const CHECKPOINTS = "checkpoints";

/** The folder name of the checkpoint of an epoch. */
export function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, "0")}`;
}

/**
 * The name `checkpoints/latest` points to, or undefined when the run has no
 * completed checkpoint (or the pointer is unreadable).
 */
export async function latestCheckpointName(out: string): Promise<string | undefined> {
  try {
    const name = (await Deno.readTextFile(`${out}/${CHECKPOINTS}/latest`)).trim();
    return /^epoch-\d+$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a parsed trainer.json: the configuration by the rules of a new run
 * (a field an earlier version did not write has the value its runs had: the
 * setting's `absentMeans`), the epoch within it, one finite metrics entry per
 * epoch.
 */
function checkState(state: unknown, file: string): TrainerState {
  const bad = (what: string, cause?: unknown): never => {
    throw new CheckpointError(`Cannot resume: ${file} ${what}`, { file, cause });
  };
  if (state === null || typeof state !== "object" || Array.isArray(state)) {
    return bad("does not describe a checkpoint (it is not an object)");
  }
  const s = state as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!["epoch", "config", "metrics", "seconds"].includes(key)) {
      bad(`does not describe a checkpoint (unknown field ${JSON.stringify(key)})`);
    }
  }
  s.config = completeSaved(TRAIN_TASK, s.config);
  try {
    validateConfig(s.config as TrainConfig);
  } catch (e) {
    bad(`holds an invalid configuration: ${(e as Error).message}`, e);
  }
  const config = s.config as TrainConfig;
  if (!Number.isInteger(s.epoch) || (s.epoch as number) < 1) {
    bad(`does not describe a checkpoint (epoch is ${JSON.stringify(s.epoch)})`);
  }
  const epoch = s.epoch as number;
  if (epoch > config.epochs) {
    bad(`says epoch ${epoch} is done, beyond the run's ${config.epochs} epochs`);
  }
  if (typeof s.seconds !== "number" || !Number.isFinite(s.seconds) || s.seconds < 0) {
    bad(`does not describe a checkpoint (seconds is ${JSON.stringify(s.seconds)})`);
  }
  if (!Array.isArray(s.metrics) || s.metrics.length !== epoch) {
    bad(`should hold the metrics of ${epoch} epochs: metrics is not an array of ${epoch}`);
  }
  (s.metrics as unknown[]).forEach((m, i) => {
    const r = m as Record<string, unknown>;
    if (r === null || typeof r !== "object") bad(`metrics[${i}] is not an object`);
    for (const f of METRIC_FIELDS) {
      if (typeof r[f] !== "number" || !Number.isFinite(r[f])) {
        bad(`metrics[${i}].${f} is not a finite number: ${JSON.stringify(r[f])}`);
      }
    }
    if (r.epoch !== i + 1) bad(`metrics[${i}].epoch is ${r.epoch}, not ${i + 1}`);
  });
  return s as unknown as TrainerState;
}

/**
 * Reads and checks the latest checkpoint of a run folder.
 *
 * @param out The run folder.
 * @returns The checkpoint's folder and its trainer state.
 * @throws {CheckpointError} If there is none, or its pointer or trainer.json
 *   is missing, corrupt or inconsistent; the message names the file.
 */
export async function readLatestCheckpoint(
  out: string,
): Promise<{ dir: string; state: TrainerState }> {
  const pointer = `${out}/${CHECKPOINTS}/latest`;
  let name: string;
  try {
    name = (await Deno.readTextFile(pointer)).trim();
  } catch (e) {
    throw new CheckpointError(
      `Cannot resume: ${pointer} is missing, so ${out} holds no completed checkpoint (a run writes one at the end of each epoch)`,
      { file: pointer, cause: e },
    );
  }
  if (!/^epoch-\d+$/.test(name)) {
    throw new CheckpointError(
      `Cannot resume: ${pointer} is corrupt (it holds ${JSON.stringify(name.slice(0, 40))})`,
      { file: pointer },
    );
  }
  const dir = `${out}/${CHECKPOINTS}/${name}`, file = `${dir}/trainer.json`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    throw new CheckpointError(
      `Cannot resume: ${file} is missing or corrupt (${(e as Error).message})`,
      { file, cause: e },
    );
  }
  const state = checkState(parsed, file);
  if (name !== checkpointName(state.epoch)) {
    throw new CheckpointError(
      `Cannot resume: ${file} says epoch ${state.epoch} but lies in ${name}`,
      { file },
    );
  }
  return { dir, state };
}

/** JSON with sorted keys, so that two objects compare by content. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${
      Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")
    }}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

/**
 * Checks that a checkpoint's model.json describes the model its trainer.json
 * configures: the class, every setting the configuration fixes, and the
 * number of steps its epochs took.
 *
 * @param dir The checkpoint folder.
 * @param expected The class, the model options the configuration implies, and the step.
 * @throws {CheckpointError} Naming both files and the first difference.
 */
export async function checkModelMatches(
  dir: string,
  expected: { class: string; config: Record<string, unknown>; step: number },
): Promise<void> {
  const file = `${dir}/model.json`, trainer = `${dir}/trainer.json`;
  let saved: {
    modelTopology?: { class?: unknown; config?: Record<string, unknown> };
    trainingState?: { step?: unknown };
  };
  try {
    saved = JSON.parse(await Deno.readTextFile(file));
  } catch (e) {
    throw new CheckpointError(
      `Cannot resume: ${file} is missing or corrupt (${(e as Error).message})`,
      { file, cause: e },
    );
  }
  const mismatch = (what: string, inTrainer: unknown, inModel: unknown): never => {
    throw new CheckpointError(
      `Cannot resume: ${trainer} does not match ${file}: ${what} is ${
        JSON.stringify(inTrainer)
      } in trainer.json but ${JSON.stringify(inModel)} in model.json`,
      { file: trainer },
    );
  };
  const topology = saved?.modelTopology;
  if (topology?.class !== expected.class) mismatch("the model", expected.class, topology?.class);
  for (const [key, value] of Object.entries(expected.config)) {
    const got = topology?.config?.[key];
    if (canonical(got) !== canonical(value)) mismatch(key, value, got);
  }
  // A run with the defaults expects no posterior or network key (models saved before either
  // existed have none): a saved flow, or conv networks, are a mismatch too.
  const savedConfig = topology?.config ?? {};
  for (const [key, plain] of [["posterior", "diagonal"], ["network", "mlp"]] as const) {
    const got = savedConfig[key];
    if (
      expected.class === "VAE" && !(key in expected.config) && got !== undefined && got !== plain
    ) {
      mismatch(key, plain, got);
    }
  }
  const step = saved?.trainingState?.step;
  if (step !== expected.step) mismatch("the step count", expected.step, step);
}

/**
 * Writes the checkpoint of `state.epoch`: the model (with Adam's state), then
 * trainer.json, then moves `checkpoints/latest` to it, then removes older
 * checkpoints. Each file is written atomically and the pointer moves last, so
 * a kill at any moment leaves the previous checkpoint usable.
 *
 * @param out The run folder.
 * @param model The model (anything with `save(dir)`).
 * @param state The trainer state after the epoch.
 */
export async function writeCheckpoint(
  out: string,
  model: { save(dir: string): Promise<unknown> },
  state: TrainerState,
): Promise<void> {
  const name = checkpointName(state.epoch);
  const dir = `${out}/${CHECKPOINTS}/${name}`;
  await Deno.mkdir(dir, { recursive: true });
  await model.save(dir);
  await writeAtomic(`${dir}/trainer.json`, JSON.stringify(state));
  await writeAtomic(`${out}/${CHECKPOINTS}/latest`, name);
  for await (const e of Deno.readDir(`${out}/${CHECKPOINTS}`)) {
    if (e.isDirectory && e.name !== name) {
      await Deno.remove(`${out}/${CHECKPOINTS}/${e.name}`, { recursive: true });
    }
  }
}
