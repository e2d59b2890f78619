// A sweep's folder: its settings file (sweep.json) checked before anything in
// it is reused, opened alone (an exclusive lock) or shared by the shards of a
// cluster job (each run keeps its own lock), and found again by --resume.
import {
  checkFolder,
  folderProblem,
  markedTask,
  openFolder,
  TASK_MARKER,
} from "../kit/run_folder.ts";
import { newestRun } from "../kit/main.ts";
import { readState, writeState } from "../kit/state.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { type Preset, PRESET_NAMES, type PresetName, type Sweep } from "./_sweep.ts";
import { field } from "../kit/state.ts";
import { SWEEP_FOLDER } from "./_sweep_settings.ts";

/** A sweep folder's settings file. */
export const sweepFile = (out: string): string => `${out}/sweep.json`;

/** Reads and checks a sweep folder's settings (its marker must name the task). */
export async function readSweep(dir: string): Promise<Sweep> {
  const owner = await markedTask(dir);
  if (owner !== undefined && owner !== "disentangle") {
    throw new Error(`${dir} holds a ${owner} run, not a disentangle sweep`);
  }
  return await readState(sweepFile(dir), checkSweep);
}

/** Whether two sweeps have the same settings. */
export function sameSweep(a: Sweep, b: Sweep): boolean {
  const keys = Object.keys(a.settings).sort();
  const canon = (s: Sweep) =>
    JSON.stringify([
      s.preset,
      keys.map((k) => [k, (s.settings as unknown as Record<string, unknown>)[k]]),
    ]);
  return Object.keys(b.settings).length === keys.length && canon(a) === canon(b);
}

/** The sweep's settings in words, for a message that compares two. */
export function sweepWords(s: Sweep): string {
  const z = s.settings;
  return `--preset ${s.preset} --seeds ${z.seeds} --steps ${z.steps} --network ${z.network}`;
}

/**
 * Saves a sweep's settings in a folder several shards may share: written if
 * absent, else checked to be the same.
 *
 * @throws {Error} If the folder holds a sweep with other settings.
 */
export async function shareSweep(out: string, sweep: Sweep): Promise<void> {
  let saved: Sweep | undefined;
  try {
    await Deno.stat(sweepFile(out));
    saved = await readSweep(out);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (!saved) {
    await writeState(sweepFile(out), sweep);
    saved = await readSweep(out); // another shard may have written its own at the same moment
  }
  if (!sameSweep(saved, sweep)) {
    throw new Error(
      `${out} holds a sweep with other settings (${
        sweepWords(saved)
      }): give every shard the same settings, or another --out`,
    );
  }
}

/**
 * Opens a sweep's folder for running: alone (`shared` false: the folder's
 * lock, a new sweep's settings written, a resumed one's read) or as one of
 * several shards (no lock on the folder; the settings written by the first
 * shard and checked by the others). Returns the sweep and what releases the
 * folder.
 *
 * @throws {RunFolderError} If the folder cannot hold the sweep.
 * @throws {StateError} If a resumed sweep's settings are damaged.
 * @throws {LockHeldError} If another process runs a sweep there.
 */
export async function openSweep(
  out: string,
  asked: Sweep | undefined,
  shared: boolean,
): Promise<{ sweep: Sweep; release: () => void }> {
  const resume = asked === undefined;
  if (shared) {
    await checkFolder(out, SWEEP_FOLDER, resume || (await SWEEP_FOLDER.holdsRun(out)));
    try {
      await Deno.mkdir(`${out}/runs`, { recursive: true });
      if ((await markedTask(out)) === undefined) {
        await writeAtomic(
          `${out}/${TASK_MARKER}`,
          JSON.stringify({ task: SWEEP_FOLDER.task }) + "\n",
        );
      }
    } catch (e) {
      throw folderProblem(out, e);
    }
    const sweep = asked ?? (await readSweep(out));
    await shareSweep(out, sweep);
    return { sweep, release: () => {} };
  }
  if (resume) await checkFolder(out, SWEEP_FOLDER, true);
  const folder = await openFolder(out, SWEEP_FOLDER, resume);
  try {
    const sweep = asked ?? (await readSweep(out));
    if (!resume) await writeState(sweepFile(out), sweep);
    return { sweep, release: () => folder.lock.release() };
  } catch (e) {
    await folder.abandon();
    throw e;
  }
}

/** The newest sweep under runs/ (by its settings file), if any. */
export function newestSweep(): Promise<string | undefined> {
  return newestRun("runs", async (dir) => {
    if (!(await SWEEP_FOLDER.holdsRun(dir))) return undefined;
    if (!(await readSweep(dir).then(() => true, () => false))) return undefined;
    return (await Deno.stat(sweepFile(dir))).mtime?.getTime() ?? 0;
  });
}

/** Checks a sweep's saved settings (sweep.json), field by field. */
export function checkSweep(v: unknown): Sweep {
  const preset = field(
    v,
    "preset",
    (x): x is PresetName => PRESET_NAMES.includes(x as PresetName),
    `one of ${PRESET_NAMES.join(", ")}`,
  );
  const s = field(
    v,
    "settings",
    (x): x is Preset => x !== null && typeof x === "object",
    "an object",
  );
  const int = (k: keyof Preset, min: number) =>
    field(
      s,
      k,
      (x): x is number => Number.isSafeInteger(x) && (x as number) >= min,
      `an integer ≥ ${min}`,
    );
  int("latentSize", 1), int("batchSize", 1), int("steps", 1), int("seeds", 1), int("epochs", 1);
  if (s.steps % s.epochs !== 0) {
    throw new TypeError(`steps must be a multiple of epochs: ${s.steps} and ${s.epochs}`);
  }
  int("scorePoints", 10), int("scoreTrees", 1);
  field(
    s,
    "dataset",
    (x): x is string => typeof x === "string" && /^dsprites(:\d+)?$/.test(x),
    "dsprites or dsprites:SIDE",
  );
  field(s, "network", (x): x is string => x === "mlp" || x === "conv", "mlp or conv");
  field(
    s,
    "hiddenSizes",
    (x): x is number[] =>
      Array.isArray(x) && x.length > 0 && x.every((w) => Number.isSafeInteger(w) && w >= 1),
    "a list of widths",
  );
  field(
    s,
    "learningRate",
    (x): x is number => typeof x === "number" && Number.isFinite(x) && x > 0,
    "a number > 0",
  );
  return { preset, settings: s };
}
