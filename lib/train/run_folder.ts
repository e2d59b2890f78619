// Opening a run folder: refuse what cannot be a run folder, take its lock,
// read the checkpoint to resume from, and clear what a killed run left.
import { CheckpointError } from "../models/errors.ts";
import { acquireLock, type RunLock } from "../io/run_lock.ts";
import { isTemporaryName, removeTemporaries } from "../io/write_atomic.ts";
import { show } from "../math/_validate.ts";
import { CHECKPOINTS, readLatestCheckpoint, type TrainerState } from "./checkpoint.ts";

/** A run folder cannot be used: it is a file, holds another run, or holds other things. */
export class RunFolderError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong and what to do.
   */
  constructor(message: string) {
    super(message);
    this.name = "RunFolderError";
  }
}

/** The lock file of a run folder. */
export const LOCK_FILE = "run.lock";

/** What a run writes at the top of its folder. */
const RUN_ENTRIES = new Set([
  CHECKPOINTS,
  LOCK_FILE,
  "metrics.jsonl",
  "config.json",
  "model",
  "report.md",
  "report.html",
  "loss.svg",
  "kl.svg",
  "reconstructions.png",
  "samples.png",
  "traversals.png",
  "latent.svg",
]);

/** An open run folder: its lock, and the checkpoint to resume from. */
export interface OpenRun {
  /** The lock (release it when done). */
  lock: RunLock;
  /**
   * Releases the lock after a failure before anything was written: a folder
   * this call created is removed again if it is still empty.
   */
  abandon(): Promise<void>;
  /** The checkpoint to resume from (with `resume`). */
  checkpoint?: { dir: string; state: TrainerState };
}

async function statOrUndefined(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Checks, without writing anything, that a new run may use a folder: it is
 * missing, or a folder that is empty or holds only what an unfinished new run
 * leaves (no checkpoint).
 *
 * @param out The run folder.
 * @throws {TypeError} If `out` is not a non-empty path.
 * @throws {RunFolderError} If `out` is a file, already holds a run, or holds other files.
 */
export async function checkNewRunFolder(out: string): Promise<void> {
  checkPath(out);
  const info = await statOrUndefined(out);
  if (!info) return;
  if (!info.isDirectory) {
    throw new RunFolderError(`${out} is a file, not a folder: choose another --out`);
  }
  if (await statOrUndefined(`${out}/${CHECKPOINTS}/latest`)) {
    throw new RunFolderError(
      `${out} already holds a run: pass --resume to continue it, or another --out`,
    );
  }
  for await (const e of Deno.readDir(out)) {
    if (!RUN_ENTRIES.has(e.name) && !isTemporaryName(e.name)) {
      throw new RunFolderError(
        `${out} is not empty and holds no run (it holds ${
          JSON.stringify(e.name)
        }): choose an empty or new folder for --out`,
      );
    }
  }
}

function checkPath(out: unknown): asserts out is string {
  if (typeof out !== "string" || out === "" || out.includes("\0")) {
    throw new TypeError(`Cannot train as out must name a folder: current value is ${show(out)}`);
  }
}

/**
 * Opens a run folder for writing. A new run needs a folder that is missing,
 * empty, or holds only what an unfinished new run leaves; a resumed run
 * needs a valid latest checkpoint. With the lock held, the temporary files
 * of killed writes and the incomplete checkpoints after the latest are
 * removed.
 *
 * @param out The run folder.
 * @param resume Whether the run continues from its latest checkpoint.
 * @returns The lock and the checkpoint.
 * @throws {TypeError} If `out` is not a non-empty path.
 * @throws {RunFolderError} If `out` is a file, already holds a run (new run), or holds other files.
 * @throws {LockHeldError} If another live process has the folder.
 * @throws {CheckpointError} If resuming finds no usable checkpoint.
 */
export async function openRunFolder(out: string, resume: boolean): Promise<OpenRun> {
  checkPath(out);
  const info = await statOrUndefined(out);
  if (info && !info.isDirectory) {
    throw new RunFolderError(`${out} is a file, not a folder: choose another --out`);
  }
  if (!info && resume) {
    throw new CheckpointError(`Cannot resume: ${out} does not exist`, { file: out });
  }
  await Deno.mkdir(out, { recursive: true });
  let lock: RunLock;
  try {
    lock = await acquireLock(`${out}/${LOCK_FILE}`);
  } catch (e) {
    if (!info) await Deno.remove(out).catch(() => {});
    throw e;
  }
  const abandon = async () => {
    lock.release();
    if (!info) await Deno.remove(out).catch(() => {}); // only if still empty
  };
  try {
    let checkpoint: OpenRun["checkpoint"];
    if (resume) checkpoint = await readLatestCheckpoint(out);
    else await checkNewRunFolder(out);
    await removeTemporaries(out);
    await removeTemporaries(`${out}/model`);
    await removeTemporaries(`${out}/${CHECKPOINTS}`);
    const keep = checkpoint?.dir.split("/").pop();
    try {
      for await (const e of Deno.readDir(`${out}/${CHECKPOINTS}`)) {
        if (e.name === keep) await removeTemporaries(`${out}/${CHECKPOINTS}/${e.name}`);
        else if (e.isDirectory && /^epoch-\d+$/.test(e.name)) {
          // A checkpoint whose write was cut short (the pointer never reached it).
          await Deno.remove(`${out}/${CHECKPOINTS}/${e.name}`, { recursive: true });
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return { lock, abandon, ...(checkpoint ? { checkpoint } : {}) };
  } catch (e) {
    await abandon();
    throw e;
  }
}
