// The checks behind reading a checkpoint: bounded reads, manifests that name
// only files inside the model's folder and exactly the model's weights,
// byte lengths, checksums and finite values. Each failure is a
// CheckpointError naming the file and what is wrong.
import { show } from "../math/_validate.ts";
import { sha256Hex } from "./checksum.ts";
import { CheckpointError } from "./checkpoint_error.ts";
import { fileName } from "./file_url.ts";
import type { SavedModel, WeightSpec } from "./checkpoint.ts";

/** The longest model.json read (a real one is a few kilobytes). */
export const MAX_JSON_BYTES = 16 * 2 ** 20;

/** A binary file's name: a plain file in the model's folder. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Reads a file or URL, refusing more than `max` bytes (so a wrong or hostile
 * file cannot fill memory).
 */
export async function readBytes(url: URL, max: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new CheckpointError(
      `Cannot load model: ${fileName(url)} cannot be read (${(e as Error).message})`,
      {
        file: fileName(url),
        cause: e,
      },
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new CheckpointError(
      `Cannot load model: ${fileName(url)} cannot be read (${res.status} ${res.statusText})`,
      { file: fileName(url) },
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      throw new CheckpointError(
        `Cannot load model: ${
          fileName(url)
        } holds more than the ${max} bytes expected; the checkpoint is corrupt or belongs to another model`,
        { file: fileName(url) },
      );
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Throws a CheckpointError naming model.json and the field. */
export function bad(file: URL, what: string): never {
  throw new CheckpointError(`Cannot load model: ${fileName(file)} ${what}`, {
    file: fileName(file),
  });
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Checks one manifest (`weightsManifest` or `optimizerManifest`): a single
 * group naming a single file in the folder, whose entries are exactly the
 * given names, shapes and dtypes, in order. Returns the file's URL.
 */
export function checkManifest(
  file: URL,
  base: URL,
  field: string,
  manifest: unknown,
  expected: { name?: string; shape: number[]; dtype: "float32" | "int32" }[],
): URL {
  if (!Array.isArray(manifest) || manifest.length !== 1 || !isObject(manifest[0])) {
    bad(file, `has a ${field} that is not one group of weights: ${show(manifest)}`);
  }
  const group = manifest[0];
  const paths = group.paths;
  if (!Array.isArray(paths) || paths.length !== 1 || typeof paths[0] !== "string") {
    bad(file, `has ${field}[0].paths = ${show(paths)}; expected one file name`);
  }
  const path = paths[0];
  // A plain name resolves inside the folder; "../x", "/x", "x/y", "%2e%2e",
  // "file:…" and "http://…" do not match, so no path can leave the folder.
  if (!FILE_NAME.test(path) || path === "." || path === "..") {
    bad(
      file,
      `has ${field}[0].paths[0] = ${
        show(path)
      }, which is not a file in the model's folder; weight paths may not leave it`,
    );
  }
  const url = new URL(path, base);
  if (url.href !== base.href + path) {
    bad(file, `has ${field}[0].paths[0] = ${show(path)}, outside its folder`);
  }
  const weights = group.weights;
  if (!Array.isArray(weights)) bad(file, `has ${field}[0].weights = ${show(weights)}, not a list`);
  if (weights.length !== expected.length) {
    bad(
      file,
      `lists ${weights.length} entries in ${field}[0].weights where the model has ${expected.length}; it belongs to another model`,
    );
  }
  weights.forEach((w: unknown, i: number) => {
    const at = `${field}[0].weights[${i}]`;
    const e = expected[i]!;
    if (!isObject(w)) bad(file, `has ${at} = ${show(w)}, not a weight entry`);
    if (e.name !== undefined && w.name !== e.name) {
      bad(file, `has ${at}.name = ${show(w.name)} where the model expects ${show(e.name)}`);
    }
    if (w.dtype !== e.dtype) {
      bad(file, `has ${at}.dtype = ${show(w.dtype)} where ${e.dtype} is expected`);
    }
    if (w.quantization !== undefined) bad(file, `has ${at} quantized, which elbo does not read`);
    if (
      !Array.isArray(w.shape) || w.shape.length !== e.shape.length ||
      w.shape.some((s: unknown, j: number) => s !== e.shape[j])
    ) {
      bad(file, `has ${at}.shape = ${show(w.shape)} where the model expects [${e.shape}]`);
    }
  });
  return url;
}

/** Reads a binary file of the given length and checks its checksum. */
export async function readBinary(
  file: URL,
  json: SavedModel,
  url: URL,
  bytes: number,
): Promise<Uint8Array> {
  const data = await readBytes(url, bytes);
  if (data.length !== bytes) {
    throw new CheckpointError(
      `Cannot load model: ${fileName(url)} holds ${data.length} bytes but ${
        fileName(file)
      } describes ${bytes}; the checkpoint is corrupt or incomplete`,
      { file: fileName(url) },
    );
  }
  const path = url.href.slice(url.href.lastIndexOf("/") + 1);
  if (json.checksums !== undefined) {
    const want = json.checksums[path];
    if (want === undefined) bad(file, `has checksums but none for ${path}`);
    const got = await sha256Hex(data);
    if (got !== want) {
      throw new CheckpointError(
        `Cannot load model: ${fileName(url)} does not match its checksum in ${
          fileName(file)
        } (SHA-256 ${got}, expected ${want}); the file is corrupt or from another save`,
        { file: fileName(url) },
      );
    }
  }
  return data;
}

/** Splits a binary file into float32 arrays of the given sizes, checking each value. */
export function floats(
  url: URL,
  data: Uint8Array,
  offset: number,
  specs: WeightSpec[],
  what: string,
) {
  const out: Float32Array[] = [];
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(
      data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + 4 * n),
    );
    const i = values.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) {
      throw new CheckpointError(
        `Cannot load model: ${fileName(url)} holds ${
          values[i]
        } in ${what} ${s.name} (value ${i}); the checkpoint is corrupt or its training diverged`,
        { file: fileName(url) },
      );
    }
    out.push(values);
    offset += 4 * n;
  }
  return out;
}
