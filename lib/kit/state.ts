// A task's state files (a sweep's settings, a run's results): JSON with a
// SHA-256 of their content, checked — checksum, then shape and types — before
// anything in them is reused, so a hand-edited, truncated or foreign file is
// refused by name instead of silently trusted.
import { sha256Hex } from "../io/checksum.ts";
import { writeAtomic } from "../io/write_atomic.ts";

/** A state file that cannot be used: missing, not JSON, edited, or of the wrong shape. */
export class StateError extends Error {
  /** The file. */
  readonly file: string;
  /**
   * Creates the error.
   *
   * @param file The file.
   * @param message What is wrong with it.
   */
  constructor(file: string, message: string) {
    super(`${file} ${message}`);
    this.name = "StateError";
    this.file = file;
  }
}

const encoder = new TextEncoder();

/** Writes `state` to `path` atomically, with the SHA-256 of its JSON. */
export async function writeState(path: string, state: unknown): Promise<void> {
  const json = JSON.stringify(state);
  const sha256 = await sha256Hex(encoder.encode(json));
  await writeAtomic(path, JSON.stringify({ sha256, state }, null, 1) + "\n");
}

/**
 * Reads a state file written by {@linkcode writeState}: JSON, a checksum that
 * matches, and a state that `check` accepts (it throws a message naming the
 * field that is wrong).
 *
 * @throws {StateError} Naming the file and what is wrong.
 */
export async function readState<T>(path: string, check: (state: unknown) => T): Promise<T> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new StateError(path, `cannot be read: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StateError(path, "is not JSON: it was cut short or edited");
  }
  const o = parsed as { sha256?: unknown; state?: unknown } | null;
  if (o === null || typeof o !== "object" || typeof o.sha256 !== "string" || !("state" in o)) {
    throw new StateError(path, "is not an elbo state file ({ sha256, state })");
  }
  const sha256 = await sha256Hex(encoder.encode(JSON.stringify(o.state)));
  if (sha256 !== o.sha256) {
    throw new StateError(path, "fails its checksum: it was edited or damaged");
  }
  try {
    return check(o.state);
  } catch (e) {
    throw new StateError(path, `holds a bad state: ${(e as Error).message}`);
  }
}

/** Checks a field of a state object: a helper for `check` functions. */
export function field<T>(
  o: unknown,
  key: string,
  ok: (v: unknown) => v is T,
  what: string,
): T {
  if (o === null || typeof o !== "object" || Array.isArray(o)) {
    throw new TypeError(`expected an object holding ${key}`);
  }
  const v = (o as Record<string, unknown>)[key];
  if (!ok(v)) throw new TypeError(`${key} must be ${what}: it is ${JSON.stringify(v) ?? "absent"}`);
  return v;
}
