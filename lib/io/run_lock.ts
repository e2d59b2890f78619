// A lock file that keeps two processes from writing one folder at once.
// Like write_atomic.ts, it imports nothing of ours.

/** Another live process holds the lock. */
export class LockHeldError extends Error {
  /** The lock file. */
  readonly path: string;
  /** The holder's process id, when the lock file names one. */
  readonly pid: number | undefined;

  /**
   * Creates the error.
   *
   * @param path The lock file.
   * @param pid The holder's process id, if known.
   */
  constructor(path: string, pid: number | undefined) {
    super(
      `another process${
        pid === undefined ? "" : ` (pid ${pid})`
      } is using this folder: ${path} is its lock; wait for it to finish, or stop it`,
    );
    this.name = "LockHeldError";
    this.path = path;
    this.pid = pid;
  }
}

/** A held lock. */
export interface RunLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file and lets go of it (idempotent). */
  release(): void;
}

const held = new Map<string, Deno.FsFile>();

function drop(path: string, file: Deno.FsFile): void {
  held.delete(path);
  if (held.size === 0) listen(false);
  try {
    Deno.removeSync(path);
  } catch { /* gone already, or Windows, where an open file stays */ }
  try {
    file.unlockSync();
    file.close();
  } catch { /* closed already */ }
  try {
    Deno.removeSync(path);
  } catch { /* as above */ }
}

const onUnload = () => {
  for (const [path, file] of [...held]) drop(path, file);
};
const onSigint = () => Deno.exit(130);
const onSigterm = () => Deno.exit(143);

function listen(on: boolean): void {
  if (on) addEventListener("unload", onUnload);
  else removeEventListener("unload", onUnload);
  for (const [signal, handler] of [["SIGINT", onSigint], ["SIGTERM", onSigterm]] as const) {
    try {
      if (on) Deno.addSignalListener(signal, handler);
      else Deno.removeSignalListener(signal, handler);
    } catch { /* a signal this system does not have */ }
  }
}

async function holderPid(path: string): Promise<number | undefined> {
  try {
    const pid = JSON.parse(await Deno.readTextFile(path))?.pid;
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock file `path`. The file holds this process's id and is kept
 * open with an exclusive advisory lock (`flock`), which the operating system
 * drops when the process ends in any way, SIGKILL and power loss included: a
 * lock file whose process is gone is therefore free, and the next run takes
 * it over; a live holder is refused with its pid. While held, the file is
 * removed when the process exits — normally, through `Deno.exit`, or on
 * SIGINT / SIGTERM (the process then exits with 130 / 143) — and by
 * `release()`.
 *
 * @param path The lock file.
 * @returns The lock.
 * @throws {LockHeldError} If a live process holds it.
 * @throws {Error} The filesystem's error if the file cannot be created.
 */
export async function acquireLock(path: string): Promise<RunLock> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const file = await Deno.open(path, { read: true, write: true, create: true });
    let locked = false;
    try {
      locked = await file.tryLock(true);
      // The holder may have removed the file between our open and our lock:
      // then we locked a file that is no longer at `path`, so try again.
      if (locked && (await file.stat()).ino !== (await Deno.stat(path)).ino) {
        throw new Deno.errors.NotFound("replaced");
      }
    } catch (e) {
      file.close();
      if (e instanceof Deno.errors.NotFound) continue;
      throw e;
    }
    if (!locked) {
      file.close();
      throw new LockHeldError(path, await holderPid(path));
    }
    await file.truncate(0);
    await file.write(new TextEncoder().encode(JSON.stringify({ pid: Deno.pid }) + "\n"));
    if (held.size === 0) listen(true);
    held.set(path, file);
    return {
      path,
      release() {
        if (held.get(path) === file) drop(path, file);
      },
    };
  }
  throw new LockHeldError(path, await holderPid(path));
}
