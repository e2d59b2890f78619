// A task's run folder: refuse what cannot be one (a file, a path through a
// file, a folder another task or a person filled), take its lock, clear what
// a killed write left (`*.tmp-PID`), and mark it as the task's own.
import { acquireLock, type RunLock } from "../io/run_lock.ts";
import { isTemporaryName, removeTemporaries, writeAtomic } from "../io/write_atomic.ts";

/** A run folder cannot be used: it is a file, holds another task's run, or holds other things. */
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

/** The file that says which task a folder belongs to. */
export const TASK_MARKER = "elbo-task.json";
/** The lock file of a run folder. */
export const LOCK_FILE = "run.lock";

/** What a task keeps in its run folders. */
export interface FolderSpec {
  /** The task's name (`train`), written to the marker. */
  readonly task: string;
  /** The names a run of the task writes at the top of its folder (besides the marker and lock). */
  readonly entries: readonly string[];
  /** Sub-folders whose temporary files a killed run may have left. */
  readonly subfolders?: readonly string[];
  /**
   * Whether the folder holds a run that can be continued (a checkpoint, a
   * sweep's settings): a new run refuses such a folder, `--resume` needs one.
   */
  holdsRun(dir: string): Promise<boolean>;
}

/** An open run folder. */
export interface OpenFolder {
  /** The lock (release it when done). */
  readonly lock: RunLock;
  /** Whether this call created the folder. */
  readonly created: boolean;
  /** Releases the lock after a failure; a folder this call created is removed if nothing but its marker was written. */
  abandon(): Promise<void>;
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
 * `--out`, checked to name a folder, and what is there now (undefined:
 * nothing).
 *
 * @throws {RunFolderError} If it names no folder, or it cannot be looked at.
 */
async function statOut(out: string): Promise<Deno.FileInfo | undefined> {
  if (typeof out !== "string" || out === "" || out.includes("\0")) {
    throw new RunFolderError(`--out must name a folder: got ${JSON.stringify(out)}`);
  }
  try {
    return await statOrUndefined(out);
  } catch (e) {
    throw folderProblem(out, e);
  }
}

/** What a failed file-system call on `out` means for a user, in one sentence. */
export function folderProblem(out: string, e: unknown): RunFolderError {
  const where = JSON.stringify(out);
  if (e instanceof Deno.errors.NotADirectory) {
    return new RunFolderError(`cannot use ${where}: a part of its path is a file, not a folder`);
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return new RunFolderError(`cannot write in ${where}: permission denied; choose another --out`);
  }
  if (e instanceof Deno.errors.AlreadyExists) {
    return new RunFolderError(`cannot use ${where}: it exists and is not a folder`);
  }
  if (e instanceof Deno.errors.NotFound) {
    return new RunFolderError(`cannot use ${where}: it does not exist`);
  }
  return new RunFolderError(`cannot use ${where}: ${(e as Error)?.message ?? String(e)}`);
}

/** The task a folder's marker names, or undefined (no marker, or an unreadable one). */
export async function markedTask(dir: string): Promise<string | undefined> {
  try {
    const task = JSON.parse(await Deno.readTextFile(`${dir}/${TASK_MARKER}`))?.task;
    return typeof task === "string" ? task : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks, without writing anything, that a folder can take a run of the
 * task: missing, or a folder that belongs to no other task and holds nothing
 * but what the task writes (and, for a new run, no run yet; for `--resume`,
 * one).
 *
 * @throws {RunFolderError} Naming what is wrong and what to do.
 */
export async function checkFolder(out: string, spec: FolderSpec, resume: boolean): Promise<void> {
  const info = await statOut(out);
  if (!info) {
    if (resume) {
      throw new RunFolderError(`--resume found no ${spec.task} run: ${out} does not exist`);
    }
    return;
  }
  if (!info.isDirectory) {
    throw new RunFolderError(`${out} is a file, not a folder: choose another --out`);
  }
  const owner = await markedTask(out);
  if (owner !== undefined && owner !== spec.task) {
    throw new RunFolderError(
      `${out} holds a ${owner} run, not a ${spec.task} run: choose another --out`,
    );
  }
  const known = new Set([...spec.entries, TASK_MARKER, LOCK_FILE]);
  try {
    for await (const e of Deno.readDir(out)) {
      if (!known.has(e.name) && !isTemporaryName(e.name)) {
        throw new RunFolderError(
          `${out} holds ${
            JSON.stringify(e.name)
          }, which no ${spec.task} run writes: choose an empty or new folder for --out`,
        );
      }
    }
  } catch (e) {
    if (e instanceof RunFolderError) throw e;
    throw folderProblem(out, e);
  }
  const holds = await spec.holdsRun(out);
  if (resume && !holds) {
    throw new RunFolderError(`--resume found no ${spec.task} run to continue in ${out}`);
  }
  if (!resume && holds) {
    throw new RunFolderError(
      `${out} already holds a ${spec.task} run: pass --resume to continue it, or another --out`,
    );
  }
}

/**
 * Opens a run folder for a task: checks it (see {@linkcode checkFolder}),
 * creates it, takes its lock, marks it as the task's, and removes the
 * temporary files of killed writes in it and its sub-folders.
 *
 * @param out The folder.
 * @param spec The task's folder.
 * @param resume Whether a run there is continued.
 * @throws {RunFolderError} If the folder cannot be used.
 * @throws {LockHeldError} If another live process has the folder.
 */
export async function openFolder(
  out: string,
  spec: FolderSpec,
  resume: boolean,
): Promise<OpenFolder> {
  // Before anything is written: what can be told without the lock.
  const info = await statOut(out);
  if (info && !info.isDirectory) {
    throw new RunFolderError(`${out} is a file, not a folder: choose another --out`);
  }
  if (!info && resume) {
    throw new RunFolderError(`--resume found no ${spec.task} run: ${out} does not exist`);
  }
  const existed = info !== undefined;
  try {
    await Deno.mkdir(out, { recursive: true });
  } catch (e) {
    throw folderProblem(out, e);
  }
  let lock: RunLock;
  try {
    lock = await acquireLock(`${out}/${LOCK_FILE}`);
  } catch (e) {
    if (!existed) await Deno.remove(out).catch(() => {});
    if (e instanceof Deno.errors.PermissionDenied) throw folderProblem(out, e);
    throw e;
  }
  const abandon = async () => {
    lock.release();
    if (existed) return;
    // A folder this call made goes again, if nothing but its marker was written.
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(out)) names.push(e.name);
    } catch {
      return; // gone already
    }
    if (names.every((n) => n === TASK_MARKER)) {
      await Deno.remove(`${out}/${TASK_MARKER}`).catch(() => {});
      await Deno.remove(out).catch(() => {});
    }
  };
  try {
    // Checked again with the lock held: another process may have started a run.
    await checkFolder(out, spec, resume);
    for (const sub of ["", ...(spec.subfolders ?? [])]) {
      await removeTemporaries(sub ? `${out}/${sub}` : out).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
    }
    if ((await markedTask(out)) === undefined) {
      await writeAtomic(`${out}/${TASK_MARKER}`, JSON.stringify({ task: spec.task }) + "\n");
    }
    return { lock, created: !existed, abandon };
  } catch (e) {
    await abandon();
    throw e instanceof RunFolderError ? e : folderProblem(out, e);
  }
}
