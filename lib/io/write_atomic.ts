// Filesystem helper shared by every layer that writes files (models, train,
// tasks); it imports nothing, like lib/math.

/**
 * Writes a file atomically: the data goes to a temporary name beside the
 * target, which is then renamed over it, so a reader (or a crash) never sees
 * a half-written file and an existing file is replaced only once the new one
 * is complete.
 *
 * @param path The target file.
 * @param data Text or bytes.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  if (typeof data === "string") await Deno.writeTextFile(tmp, data);
  else await Deno.writeFile(tmp, data);
  await Deno.rename(tmp, path);
}
