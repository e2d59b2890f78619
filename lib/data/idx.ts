import { gunzipSync } from "node:zlib";
import { show } from "../math/_validate.ts";
import type { Dataset, Split } from "./dataset.ts";

/** A decoded IDX file: its dimensions and unsigned-byte data. */
export interface IdxFile {
  /** The sizes of each dimension (e.g. [60000, 28, 28]). */
  dims: number[];
  /** The values, row-major. */
  data: Uint8Array;
}

/** The most bytes a gzip-compressed IDX file may expand to (1 GiB): more is not a data set. */
const MAX_DECOMPRESSED = 2 ** 30;

function assertString(what: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw new TypeError(`${what} as ${name} must be a string: current value is ${show(value)}`);
  }
}

/**
 * Decodes the IDX format of MNIST and Fashion-MNIST (LeCun et al.), plain or
 * gzip-compressed: a magic number 0x0000 08 NN (08 = unsigned byte, NN = the
 * number of dimensions), NN big-endian 32-bit sizes, then the bytes.
 *
 * @param bytes The file's contents.
 * @param source A name for error messages (a path).
 * @returns The dimensions and data.
 * @throws {TypeError} If `bytes` is not a Uint8Array or `source` not a string.
 * @throws {RangeError} If the bytes are not IDX data: not valid gzip (or
 *   expanding beyond 1 GiB), a bad magic number, an unsupported type, or
 *   fewer bytes than the header promises. The message names `source`.
 *
 * @example
 * ```ts
 * import { parseIdx } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * const file = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
 * assert.deepEqual(parseIdx(file).dims, [3]);
 * assert.throws(() => parseIdx(new Uint8Array([1, 2, 3, 4]), "x.idx"), RangeError);
 * ```
 */
export function parseIdx(bytes: Uint8Array, source: string = "IDX data"): IdxFile {
  const what = "Cannot parse IDX data";
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${what} as bytes must be a Uint8Array: current value is ${show(bytes)}`);
  }
  assertString(what, "source", source);
  const bad = (why: string): never => {
    throw new RangeError(`Cannot read ${source} as its bytes are not IDX data: ${why}`);
  };
  let b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = new Uint8Array(gunzipSync(b, { maxOutputLength: MAX_DECOMPRESSED }));
    } catch (e) {
      bad(`it starts like gzip but does not decompress to at most 1 GiB (${(e as Error).message})`);
    }
  }
  if (b.length < 4) bad(`${b.length} bytes is too short for an IDX header`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = view.getUint32(0);
  if (b[0] !== 0 || b[1] !== 0) {
    bad(
      `bad magic number 0x${
        magic.toString(16).padStart(8, "0")
      } (an IDX file starts with 0x000008NN)`,
    );
  }
  if (b[2] !== 0x08) {
    bad(`data type 0x${b[2]!.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  }
  const n = b[3]!;
  if (n < 1 || b.length < 4 + 4 * n) {
    bad(`the header promises ${n} dimensions but the file ends first`);
  }
  const dims = Array.from({ length: n }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, c) => a * c, 1);
  const have = b.length - 4 - 4 * n;
  if (have < size) {
    bad(
      `truncated: the header promises ${size} bytes of data (${
        dims.join(" × ")
      }) but the file holds ${have}`,
    );
  }
  return { dims, data: b.subarray(4 + 4 * n, 4 + 4 * n + size) };
}

/**
 * Reads an image file and a label file (IDX, plain or .gz) into a data set.
 *
 * @param imagesPath The `*-images-idx3-ubyte[.gz]` file: [count, height, width].
 * @param labelsPath The `*-labels-idx1-ubyte[.gz]` file: [count].
 * @param name A name for reports.
 * @returns The images scaled to [0, 1] and their labels.
 * @throws {TypeError} If a path or the name is not a string.
 * @throws {RangeError} If a file is malformed, holds no images or images that
 *   are not 2-D, or the counts of images and labels disagree (naming the files).
 * @throws {Error} If a file cannot be read (naming it and the data set).
 *
 * @example
 * ```ts
 * import { loadIdxDataset } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/i`, new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255]));
 * await Deno.writeFile(`${dir}/l`, new Uint8Array([0, 0, 8, 1, 0, 0, 0, 1, 7]));
 * const d = await loadIdxDataset(`${dir}/i`, `${dir}/l`, "one image");
 * assert.deepEqual([d.count, d.height, d.width, d.images[1], d.labels[0]], [1, 1, 2, 1, 7]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadIdxDataset(
  imagesPath: string,
  labelsPath: string,
  name: string = imagesPath,
): Promise<Dataset> {
  const what = "Cannot load an IDX data set";
  assertString(what, "imagesPath", imagesPath);
  assertString(what, "labelsPath", labelsPath);
  assertString(what, "name", name);
  // Both files are read before either is judged, so that one message names every missing file.
  const [ri, rl] = await Promise.allSettled([Deno.readFile(imagesPath), Deno.readFile(labelsPath)]);
  const failed = ([[imagesPath, ri], [labelsPath, rl]] as const).filter(([, r]) =>
    r.status === "rejected"
  );
  if (failed.length) {
    throw new Error(
      `Cannot load ${name}: ${
        failed.map(([p, r]) =>
          `cannot read ${p} (${((r as PromiseRejectedResult).reason as Error)?.message})`
        ).join("; ")
      }`,
      { cause: (failed[0]![1] as PromiseRejectedResult).reason },
    );
  }
  const img = parseIdx((ri as PromiseFulfilledResult<Uint8Array>).value, imagesPath);
  const lab = parseIdx((rl as PromiseFulfilledResult<Uint8Array>).value, labelsPath);
  if (img.dims.length !== 3) {
    throw new RangeError(
      `Cannot read ${imagesPath}: expected 3 dimensions (count, height, width), found ${img.dims.length}`,
    );
  }
  if (lab.dims.length !== 1) {
    throw new RangeError(
      `Cannot read ${labelsPath}: expected 1 dimension (count), found ${lab.dims.length}`,
    );
  }
  const [count, height, width] = img.dims as [number, number, number];
  if (count === 0) throw new RangeError(`Cannot use ${imagesPath}: it holds no images`);
  if (height === 0 || width === 0) {
    throw new RangeError(
      `Cannot use ${imagesPath}: its images are ${height} × ${width} pixels (height × width), which is empty`,
    );
  }
  if (lab.dims[0] !== count) {
    throw new RangeError(
      `Cannot read ${imagesPath} with ${labelsPath}: ${count} images but ${lab.dims[0]} labels`,
    );
  }
  const images = new Float32Array(img.data.length);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i]! / 255;
  return { name, images, labels: lab.data.slice(), count, width, height };
}

/**
 * Reads the four standard files of an MNIST-format folder
 * (`train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
 * `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`), e.g. Debian's
 * `/usr/share/datasets/fashion-mnist`.
 *
 * @param dir The folder.
 * @param name A name for reports (default: the folder's name).
 * @returns `{ train, test }`.
 * @throws {TypeError} If `dir` or `name` is not a string.
 * @throws {RangeError} If `dir` is empty, a file is malformed, or the training and test
 *   images differ in size (naming both files and sizes).
 * @throws {Error} If a file is missing (naming the files looked for) or cannot be read.
 *
 * @example
 * ```ts
 * import { loadIdxDirectory } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(() => loadIdxDirectory("/nowhere"), /Cannot find train-images-idx3-ubyte/);
 * ```
 */
export async function loadIdxDirectory(dir: string, name?: string): Promise<Split> {
  const what = "Cannot load an IDX folder";
  assertString(what, "dir", dir);
  if (dir === "" || dir.includes("\0")) {
    throw new RangeError(`${what} as dir must name a folder: current value is ${show(dir)}`);
  }
  if (name !== undefined) assertString(what, "name", name);
  const base = name ?? (dir.replace(/\/+$/, "").split("/").pop() || dir);
  const find = async (stem: string) => {
    for (const p of [`${dir}/${stem}.gz`, `${dir}/${stem}`]) {
      try {
        await Deno.stat(p);
        return p;
      } catch { /* try the next */ }
    }
    throw new Error(
      `Cannot find ${stem}[.gz] in ${dir} for ${base}: an IDX data folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (optionally .gz)`,
    );
  };
  const paths: string[] = [];
  for (
    const stem of [
      "train-images-idx3-ubyte",
      "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",
    ]
  ) {
    paths.push(await find(stem));
  }
  const [ti, tl, vi, vl] = paths;
  const train = await loadIdxDataset(ti!, tl!, `${base} train`);
  const test = await loadIdxDataset(vi!, vl!, `${base} test`);
  if (train.width !== test.width || train.height !== test.height) {
    throw new RangeError(
      `Cannot use ${dir} as its training and test images differ in size: ${ti} holds ${train.height} × ${train.width} images but ${vi} holds ${test.height} × ${test.width} (height × width)`,
    );
  }
  return { train, test };
}
