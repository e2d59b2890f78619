// The on-disk format of a model (tfjs's model.json + weights.bin, plus
// optimizer.bin and SHA-256 checksums) and its validation. A checkpoint is
// read and checked completely — JSON structure, file names, byte lengths,
// checksums, dtypes, shapes against the model, finite values — into plain
// arrays before any of it reaches a tensor, so a bad file is refused with a
// CheckpointError naming it and leaves nothing half-restored.
import { tf } from "../tensor/_tf.ts";
import { show } from "../math/_validate.ts";
import { sha256Hex } from "../io/checksum.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { CheckpointError } from "./errors.ts";

/** One group of tfjs's weights manifest: the binary file and its entries. */
export interface ManifestGroup {
  /** The binary file, relative to model.json (one, in the model's folder). */
  paths: string[];
  /** Each weight's name, shape and dtype, in the order of the file. */
  weights: tf.io.WeightsManifestEntry[];
}

/** The on-disk format written by `save` (tfjs's model.json + weights). */
export interface SavedModel {
  /** Always "elbo-model". */
  format: string;
  /** The package and version that wrote it. */
  generatedBy: string;
  /** The model's class and the configuration to rebuild it. */
  modelTopology: { class: string; config: Record<string, unknown> };
  /** tfjs's weights manifest: the binary file and each weight's name, shape and dtype. */
  weightsManifest: ManifestGroup[];
  /** The step and any schedule state (β). */
  trainingState: Record<string, number>;
  /** The same for Adam's state, so that training resumes exactly. */
  optimizerManifest?: ManifestGroup[];
  /**
   * The SHA-256 (hex) of each binary file, by its path; checked on load.
   * Absent in files written before checksums were added, which still load.
   */
  checksums?: Record<string, string>;
}

/** A tensor to save under a name. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** What a weight must be: its name and shape (dtype float32). */
export interface WeightSpec {
  name: string;
  shape: number[];
}

/** A checkpoint's numbers, checked, still off the device. */
export interface CheckpointValues {
  /** The weights, in the order of the specs asked for. */
  weights: Float32Array[];
  /** Adam's step count and moments (first moments, then second), if saved. */
  optimizer?: { iterations: number; slots: Float32Array[] };
}

/** The longest model.json read (a real one is a few kilobytes). */
const MAX_JSON_BYTES = 16 * 2 ** 20;

/** A binary file's name: a plain file in the model's folder. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * The `file:` URL of a path, percent-encoded as `node:url`'s `pathToFileURL`
 * encodes it (`%` first, then the URL parser's own set: `#`, `?`, spaces, …),
 * so that a folder whose name holds `#`, `?` or `%` is that folder, not a URL
 * fragment, query or escape. Written out rather than imported so that the
 * models also load in a browser, which has no `node:` modules (and no paths).
 * A relative path is resolved against the working folder.
 */
export function pathToFileUrl(path: string): URL {
  const windows = globalThis.Deno?.build.os === "windows";
  let p = windows ? path.replaceAll("\\", "/") : path;
  const absolute = windows ? /^([A-Za-z]:)?\//.test(p) : p.startsWith("/");
  if (!absolute) {
    if (!globalThis.Deno) {
      throw new TypeError(
        `A folder path needs Deno; in a browser give a URL: current value is ${p}`,
      );
    }
    const cwd = Deno.cwd().replaceAll("\\", "/");
    p = `${cwd.endsWith("/") ? cwd : cwd + "/"}${p}`;
  }
  if (windows && !p.startsWith("/")) p = "/" + p;
  p = p.replace(/\/{2,}/g, "/"); // "a//b" is "a/b", as path.resolve has it
  const url = new URL("file:///");
  url.pathname = p.replaceAll("%", "%25").replaceAll("\\", "%5C").replaceAll("\n", "%0A")
    .replaceAll("\r", "%0D").replaceAll("\t", "%09");
  // "a/." and "a/.." name folders, as "a" does: a trailing slash only where the path has one.
  if (!p.endsWith("/") && url.pathname.length > 1 && url.pathname.endsWith("/")) {
    url.pathname = url.pathname.slice(0, -1);
  }
  return url;
}

/** The path of a `file:` URL (the inverse of {@linkcode pathToFileUrl}). */
export function fileUrlToPath(url: URL): string {
  const p = decodeURIComponent(url.pathname);
  return globalThis.Deno?.build.os === "windows" && /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
}

/**
 * Resolves a folder path or URL to the URL of its model.json's folder (a
 * path through {@linkcode pathToFileUrl}, never by concatenation).
 */
export function folderUrl(dirOrUrl: string | URL): URL {
  const withSlash = (u: URL) => new URL(u.href.endsWith("/") ? u.href : u.href + "/");
  if (dirOrUrl instanceof URL) return withSlash(dirOrUrl);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dirOrUrl)) return withSlash(new URL(dirOrUrl));
  return withSlash(pathToFileUrl(dirOrUrl));
}

/** A file's name for a message: its path for a file: URL, else the URL. */
export function fileName(url: URL): string {
  return url.protocol === "file:" ? fileUrlToPath(url) : url.href;
}

/** A file inside a folder path. */
const inFolder = (dir: string, name: string) => (dir.endsWith("/") ? dir + name : `${dir}/${name}`);

/**
 * Reads a file or URL, refusing more than `max` bytes (so a wrong or hostile
 * file cannot fill memory).
 */
async function readBytes(url: URL, max: number): Promise<Uint8Array> {
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
function bad(file: URL, what: string): never {
  throw new CheckpointError(`Cannot load model: ${fileName(file)} ${what}`, {
    file: fileName(file),
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Reads model.json from a folder or URL and checks its structure (not yet
 * against a model).
 */
export async function readModelJson(
  dirOrUrl: string | URL,
  expectedClass: string,
): Promise<{ json: SavedModel; base: URL }> {
  const base = folderUrl(dirOrUrl);
  const file = new URL("model.json", base);
  const bytes = await readBytes(file, MAX_JSON_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    bad(file, `is not valid JSON (${(e as Error).message}); the checkpoint is corrupt`);
  }
  if (!isObject(json)) bad(file, `is not a saved model: it holds ${show(json)}`);
  if (json.format !== "elbo-model") {
    bad(file, `is not a model saved by elbo: its format is ${show(json.format)}, not "elbo-model"`);
  }
  const top = json.modelTopology;
  if (!isObject(top) || !isObject(top.config)) {
    bad(file, "has no modelTopology.config; the checkpoint is corrupt");
  }
  if (top.class !== expectedClass) {
    bad(file, `holds a ${show(top.class)}, not a ${expectedClass}`);
  }
  if (json.trainingState !== undefined && !isObject(json.trainingState)) {
    bad(file, `has a trainingState that is not an object: ${show(json.trainingState)}`);
  }
  for (const [k, v] of Object.entries(json.trainingState ?? {})) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      bad(file, `has trainingState.${k} = ${show(v)}, which is not a finite number`);
    }
  }
  if (json.checksums !== undefined) {
    if (!isObject(json.checksums)) bad(file, `has checksums that are not an object`);
    for (const [k, v] of Object.entries(json.checksums)) {
      if (typeof v !== "string" || !/^[0-9a-f]{64}$/.test(v)) {
        bad(file, `has checksums[${show(k)}] = ${show(v)}, which is not a SHA-256 in hex`);
      }
    }
  }
  return { json: json as unknown as SavedModel, base };
}

/**
 * Checks one manifest (`weightsManifest` or `optimizerManifest`): a single
 * group naming a single file in the folder, whose entries are exactly the
 * given names, shapes and dtypes, in order. Returns the file's URL.
 */
function checkManifest(
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
async function readBinary(
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
function floats(url: URL, data: Uint8Array, offset: number, specs: WeightSpec[], what: string) {
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

/**
 * Reads and checks the binary files of a checkpoint against the weights a
 * model has: every check is done before anything is returned.
 *
 * @param json The model.json read by {@linkcode readModelJson}.
 * @param base Its folder.
 * @param specs The model's weights: local names and shapes, in order.
 * @returns The weights and Adam's state, as arrays.
 */
export async function readCheckpoint(
  json: SavedModel,
  base: URL,
  specs: WeightSpec[],
): Promise<CheckpointValues> {
  const file = new URL("model.json", base);
  const size = (shape: number[]) => 4 * shape.reduce((a, b) => a * b, 1);
  const wUrl = checkManifest(
    file,
    base,
    "weightsManifest",
    json.weightsManifest,
    specs.map((s) => ({ ...s, dtype: "float32" })),
  );
  const wData = await readBinary(file, json, wUrl, specs.reduce((s, w) => s + size(w.shape), 0));
  const weights = floats(wUrl, wData, 0, specs, "weight");
  if (json.optimizerManifest === undefined) return { weights };
  // Adam's state: its step count, then (after a first step) the first and
  // second moment of each weight, in the weights' order.
  const om = json.optimizerManifest;
  const count = Array.isArray(om) && isObject(om[0]) && Array.isArray(om[0].weights)
    ? om[0].weights.length
    : -1;
  const slots = count > 1 ? [...specs, ...specs] : [];
  const oUrl = checkManifest(file, base, "optimizerManifest", om, [
    { shape: [], dtype: "int32" },
    ...slots.map((s) => ({ shape: s.shape, dtype: "float32" as const })),
  ]);
  const oData = await readBinary(
    file,
    json,
    oUrl,
    4 + slots.reduce((s, w) => s + size(w.shape), 0),
  );
  const iterations = new DataView(oData.buffer, oData.byteOffset, 4).getInt32(0, true);
  if (iterations < 0) {
    throw new CheckpointError(
      `Cannot load model: ${
        fileName(oUrl)
      } holds a step count of ${iterations}; the checkpoint is corrupt`,
      { file: fileName(oUrl) },
    );
  }
  const moments = floats(oUrl, oData, 4, slots, "the Adam moment of");
  const n = specs.length;
  for (let i = n; i < moments.length; i++) {
    const j = moments[i]!.findIndex((v) => v < 0);
    if (j >= 0) {
      throw new CheckpointError(
        `Cannot load model: ${fileName(oUrl)} holds a negative second moment (${
          moments[i]![j]
        }) for ${specs[i - n]!.name}; the checkpoint is corrupt`,
        { file: fileName(oUrl) },
      );
    }
  }
  return { weights, optimizer: { iterations, slots: moments } };
}

/**
 * Writes a checkpoint: `weights.bin`, `optimizer.bin`, then `model.json`
 * with their checksums, each atomically (a temporary name, then a rename), so
 * a folder never holds a model.json whose files are half-written.
 *
 * @param dir The folder (created if missing).
 * @param topology The model's class and configuration.
 * @param trainingState The numbers to restore with it.
 * @param weights The weights, by local name.
 * @param optimizer Adam's state (its step count first).
 */
export async function writeCheckpoint(
  dir: string,
  topology: SavedModel["modelTopology"],
  trainingState: Record<string, number>,
  weights: NamedTensor[],
  optimizer: NamedTensor[],
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const w = await tf.io.encodeWeights(weights);
  const o = await tf.io.encodeWeights(optimizer);
  const wBytes = new Uint8Array(w.data), oBytes = new Uint8Array(o.data);
  await writeAtomic(inFolder(dir, "weights.bin"), wBytes);
  await writeAtomic(inFolder(dir, "optimizer.bin"), oBytes);
  const json: SavedModel = {
    format: "elbo-model",
    generatedBy: "@elbo/elbo 0.1.0",
    modelTopology: topology,
    weightsManifest: [{ paths: ["weights.bin"], weights: w.specs }],
    optimizerManifest: [{ paths: ["optimizer.bin"], weights: o.specs }],
    trainingState,
    checksums: {
      "weights.bin": await sha256Hex(wBytes),
      "optimizer.bin": await sha256Hex(oBytes),
    },
  };
  await writeAtomic(inFolder(dir, "model.json"), JSON.stringify(json, null, 1));
}

/**
 * The folder path to save to: a non-empty path, or a `file:` URL (decoded,
 * so `%23` is a folder named with `#`).
 */
export function folderPath(what: string, dir: unknown): string {
  if (dir instanceof URL) {
    if (dir.protocol !== "file:") {
      throw new TypeError(
        `${what} as dir must be a folder path or a file: URL: current value is ${dir.href}`,
      );
    }
    return fileUrlToPath(dir);
  }
  if (typeof dir !== "string") {
    throw new TypeError(
      `${what} as dir must be a folder path or a file: URL: current value is ${show(dir)}`,
    );
  }
  if (dir === "" || dir.includes("\0")) {
    throw new RangeError(`${what} as dir must name a folder: current value is ${show(dir)}`);
  }
  return dir;
}
