// Checksums of files written by elbo (model weights, optimiser state), so that
// a file damaged on disk or replaced by another run's is caught on load
// instead of being trained on. Like the rest of lib/io it imports nothing.

/**
 * The SHA-256 digest of some bytes, as 64 lowercase hex digits (the form
 * `sha256sum` prints, so a file can be checked by hand).
 *
 * @param data The bytes.
 * @returns The hex digest.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./checksum.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   await sha256Hex(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Hex(data: Uint8Array | ArrayBuffer): Promise<string> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
