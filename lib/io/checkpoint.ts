// The on-disk format of a saved model — tfjs's model.json + weights.bin,
// plus optimizer.bin (Adam's state) and a SHA-256 of each binary file — and
// its validation. A checkpoint is read and checked completely (JSON
// structure, file names, byte lengths, checksums, dtypes, shapes against the
// model, finite values) into plain arrays before any of it reaches a tensor,
// so a bad file is refused with a CheckpointError naming it and leaves
// nothing half-restored. No tfjs here: the models turn tensors into the
// arrays written and back.
import { show } from "../math/_validate.ts";
import { sha256Hex } from "./checksum.ts";
import { writeAtomic } from "./write_atomic.ts";
import { CheckpointError } from "./checkpoint_error.ts";
import { fileName, folderUrl } from "./file_url.ts";
import {
  bad,
  checkManifest,
  floats,
  isObject,
  MAX_JSON_BYTES,
  readBinary,
  readBytes,
} from "./_checkpoint_files.ts";

/** One entry of a weights manifest: a tensor's name, shape and dtype. */
export interface ManifestEntry {
  /** The tensor's name. */
  name: string;
  /** Its shape. */
  shape: number[];
  /** Its dtype: every weight is float32, Adam's step count int32. */
  dtype: "float32" | "int32";
}

/** One group of tfjs's weights manifest: the binary file and its entries. */
export interface ManifestGroup {
  /** The binary file, relative to model.json (one, in the model's folder). */
  paths: string[];
  /** Each weight's name, shape and dtype, in the order of the file. */
  weights: ManifestEntry[];
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

/** A tensor's values to save under a name. */
export interface NamedValues {
  /** The name in the manifest. */
  name: string;
  /** The shape. */
  shape: number[];
  /** The values, row-major: float32, or int32 for a count. */
  values: Float32Array | Int32Array;
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

/** A file inside a folder path. */
const inFolder = (dir: string, name: string) => (dir.endsWith("/") ? dir + name : `${dir}/${name}`);

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
 * Concatenates the values' bytes (little-endian, as tfjs's `encodeWeights`
 * writes them) and lists each one's name, shape and dtype.
 */
function encode(entries: NamedValues[]): { data: Uint8Array; specs: ManifestEntry[] } {
  const data = new Uint8Array(entries.reduce((s, e) => s + e.values.byteLength, 0));
  let at = 0;
  for (const e of entries) {
    data.set(new Uint8Array(e.values.buffer, e.values.byteOffset, e.values.byteLength), at);
    at += e.values.byteLength;
  }
  const specs = entries.map((e): ManifestEntry => ({
    name: e.name,
    shape: [...e.shape],
    dtype: e.values instanceof Int32Array ? "int32" : "float32",
  }));
  return { data, specs };
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
  weights: NamedValues[],
  optimizer: NamedValues[],
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const w = encode(weights), o = encode(optimizer);
  const wBytes = w.data, oBytes = o.data;
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
