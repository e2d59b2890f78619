// A training run's folder, through the task kit: refuse what cannot be a run
// folder (a file, another task's run, foreign files), take its lock, read the
// checkpoint to resume from, and clear what a killed run left.
import { type FolderSpec, openFolder, RunFolderError } from "../kit/run_folder.ts";
import type { RunLock } from "../io/run_lock.ts";
import { show } from "../math/_validate.ts";
import { CHECKPOINTS, readLatestCheckpoint, type TrainerState } from "./checkpoint.ts";

export { RunFolderError };

/** What a training run writes at the top of its folder. */
export const TRAIN_FOLDER: FolderSpec = {
  task: "train",
  entries: [
    CHECKPOINTS,
    "metrics.jsonl",
    "config.json",
    "model",
    "report.md",
    "report.html",
    "loss.svg",
    "kl.svg",
    "kl-per-latent.svg",
    "scores.json",
    "reconstructions.png",
    "samples.png",
    "traversals.png",
    "latent.svg",
  ],
  subfolders: ["model", CHECKPOINTS],
  holdsRun: async (dir) => {
    try {
      await Deno.stat(`${dir}/${CHECKPOINTS}/latest`);
      return true;
    } catch {
      return false;
    }
  },
};

/** An open run folder: its lock, and the checkpoint to resume from. */
export interface OpenRun {
  /** The lock (release it when done). */
  lock: RunLock;
  /**
   * Releases the lock after a failure before anything was written: a folder
   * this call created is removed again.
   */
  abandon(): Promise<void>;
  /** The checkpoint to resume from (with `resume`). */
  checkpoint?: { dir: string; state: TrainerState };
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
 * @throws {RunFolderError} If `out` is a file, another task's, holds a run
 *   (new run) or none (resume), or holds other files.
 * @throws {LockHeldError} If another live process has the folder.
 * @throws {CheckpointError} If resuming finds no usable checkpoint.
 */
export async function openRunFolder(out: string, resume: boolean): Promise<OpenRun> {
  if (typeof out !== "string" || out === "" || out.includes("\0")) {
    throw new TypeError(`Cannot train as out must name a folder: current value is ${show(out)}`);
  }
  const folder = await openFolder(out, TRAIN_FOLDER, resume);
  try {
    let checkpoint: OpenRun["checkpoint"];
    if (resume) checkpoint = await readLatestCheckpoint(out);
    const keep = checkpoint?.dir.split("/").pop();
    try {
      for await (const e of Deno.readDir(`${out}/${CHECKPOINTS}`)) {
        if (e.name !== keep && e.isDirectory && /^epoch-\d+$/.test(e.name)) {
          // A checkpoint whose write was cut short (the pointer never reached it).
          await Deno.remove(`${out}/${CHECKPOINTS}/${e.name}`, { recursive: true });
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return { lock: folder.lock, abandon: folder.abandon, ...(checkpoint ? { checkpoint } : {}) };
  } catch (e) {
    await folder.abandon();
    throw e;
  }
}
