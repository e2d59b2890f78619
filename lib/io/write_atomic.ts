// Filesystem helpers shared by every layer that writes files (models, train,
// tasks); they import nothing, like lib/math.

/** The name `writeAtomic` gives a file while it is being written. */
export function temporaryName(path: string, pid: number = Deno.pid): string {
  return `${path}.tmp-${pid}`;
}

/** Whether a file or folder name is a temporary one of {@linkcode temporaryName}. */
export function isTemporaryName(name: string): boolean {
  return /\.tmp-\d+$/.test(name);
}

/**
 * Writes a file atomically: the data goes to a temporary name beside the
 * target, which is then renamed over it, so a reader (or a crash) never sees
 * a half-written file and an existing file is replaced only once the new one
 * is complete. If the write fails (a full disk), the temporary file is
 * removed and the target is left as it was.
 *
 * @param path The target file.
 * @param data Text or bytes.
 * @throws {Error} The filesystem's error if the file cannot be written.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryName(path);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}

/**
 * Removes the temporary files and folders ({@linkcode isTemporaryName}) that a
 * killed writer left in a folder. Call it only while no other process writes
 * there (with the folder's lock held).
 *
 * @param dir The folder (a missing folder is fine).
 * @returns The names removed.
 */
export async function removeTemporaries(dir: string): Promise<string[]> {
  const removed: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (isTemporaryName(e.name)) {
        await Deno.remove(`${dir}/${e.name}`, { recursive: true });
        removed.push(e.name);
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return removed;
}
