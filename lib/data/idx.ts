import { gunzipSync } from "node:zlib";
import type { Dataset, Split } from "./dataset.ts";

/** A decoded IDX file: its dimensions and unsigned-byte data. */
export interface IdxFile {
  /** The sizes of each dimension (e.g. [60000, 28, 28]). */
  dims: number[];
  /** The values, row-major. */
  data: Uint8Array;
}

/**
 * Decodes the IDX format of MNIST and Fashion-MNIST (LeCun et al.), plain or
 * gzip-compressed: a magic number 0x0000 08 NN (08 = unsigned byte, NN = the
 * number of dimensions), NN big-endian 32-bit sizes, then the bytes.
 *
 * @param bytes The file's contents.
 * @param source A name for error messages (a path).
 * @returns The dimensions and data.
 * @throws {Error} If the file is not valid gzip, has a bad magic number, an
 *   unsupported type, or fewer bytes than its header promises.
 *
 * @example
 * ```ts
 * import { parseIdx } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * const file = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
 * assert.deepEqual(parseIdx(file).dims, [3]);
 * ```
 */
export function parseIdx(bytes: Uint8Array, source = "IDX data"): IdxFile {
  let b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = new Uint8Array(gunzipSync(b));
    } catch (e) {
      throw new Error(
        `Cannot read ${source}: it starts like gzip but does not decompress (${
          (e as Error).message
        })`,
      );
    }
  }
  if (b.length < 4) {
    throw new Error(`Cannot read ${source}: ${b.length} bytes is too short for an IDX header`);
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = view.getUint32(0);
  if (b[0] !== 0 || b[1] !== 0) {
    throw new Error(
      `Cannot read ${source}: bad magic number 0x${
        magic.toString(16).padStart(8, "0")
      } (an IDX file starts with 0x000008NN)`,
    );
  }
  if (b[2] !== 0x08) {
    throw new Error(
      `Cannot read ${source}: data type 0x${
        b[2]!.toString(16)
      } is not supported (only unsigned bytes, 0x08)`,
    );
  }
  const n = b[3]!;
  if (n < 1 || b.length < 4 + 4 * n) {
    throw new Error(
      `Cannot read ${source}: the header promises ${n} dimensions but the file ends first`,
    );
  }
  const dims = Array.from({ length: n }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, c) => a * c, 1);
  const have = b.length - 4 - 4 * n;
  if (have < size) {
    throw new Error(
      `Cannot read ${source}: truncated: the header promises ${size} bytes of data (${
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
 * @throws {Error} If a file is missing or malformed, or the counts disagree.
 */
export async function loadIdxDataset(
  imagesPath: string,
  labelsPath: string,
  name = imagesPath,
): Promise<Dataset> {
  const read = async (p: string) => {
    try {
      return await Deno.readFile(p);
    } catch (e) {
      throw new Error(`Cannot read ${p}: ${(e as Error).message}`);
    }
  };
  const img = parseIdx(await read(imagesPath), imagesPath);
  const lab = parseIdx(await read(labelsPath), labelsPath);
  if (img.dims.length !== 3) {
    throw new Error(
      `Cannot read ${imagesPath}: expected 3 dimensions (count, height, width), found ${img.dims.length}`,
    );
  }
  if (lab.dims.length !== 1) {
    throw new Error(
      `Cannot read ${labelsPath}: expected 1 dimension (count), found ${lab.dims.length}`,
    );
  }
  const [count, height, width] = img.dims as [number, number, number];
  if (lab.dims[0] !== count) {
    throw new Error(
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
 * @throws {Error} If a file is missing (naming the files looked for) or malformed.
 */
export async function loadIdxDirectory(dir: string, name?: string): Promise<Split> {
  const find = async (stem: string) => {
    for (const p of [`${dir}/${stem}.gz`, `${dir}/${stem}`]) {
      try {
        await Deno.stat(p);
        return p;
      } catch { /* try the next */ }
    }
    throw new Error(
      `Cannot find ${stem}[.gz] in ${dir}: an IDX data folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (optionally .gz)`,
    );
  };
  const base = name ?? dir.replace(/\/+$/, "").split("/").pop() ?? dir;
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
  return {
    train: await loadIdxDataset(ti!, tl!, `${base} train`),
    test: await loadIdxDataset(vi!, vl!, `${base} test`),
  };
}
