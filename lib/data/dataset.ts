import { assertArrayLike, assertInteger, MAX_ARRAY_VALUES, show } from "../math/_validate.ts";

/** Images with labels, as flat rows of grey levels in [0, 1]. */
export interface Dataset {
  /** A name for reports ("mnist", "fashion-mnist train", …). */
  name: string;
  /** count × (width · height) grey levels in [0, 1], row-major images one after another. */
  images: Float32Array;
  /** count class labels (0–9). */
  labels: Uint8Array;
  /** The number of images. */
  count: number;
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
}

/** A train/test split. */
export interface Split {
  /** Training images. */
  train: Dataset;
  /** Held-out images. */
  test: Dataset;
}

/**
 * Throws unless `d` is a well-formed {@linkcode Dataset}: a name, integer
 * sizes, `count × width × height` float32 pixels and `count` byte labels.
 * With `pixels`, every pixel is also checked: finite, or in [0, 1] (a grey
 * level that is to be binarised).
 */
export function assertDataset(
  what: string,
  name: string,
  d: unknown,
  pixels?: "finite" | "unit",
): asserts d is Dataset {
  const shape = "a Dataset { name, images, labels, count, width, height }";
  if (d === null || typeof d !== "object" || Array.isArray(d) || ArrayBuffer.isView(d)) {
    throw new TypeError(`${what} as ${name} must be ${shape}: current value is ${show(d)}`);
  }
  const o = d as Record<string, unknown>;
  if (typeof o.name !== "string") {
    throw new TypeError(
      `${what} as ${name}.name must be a string: current value is ${show(o.name)}`,
    );
  }
  assertInteger(what, `${name}.count`, o.count, 0);
  assertInteger(what, `${name}.width`, o.width, 1);
  assertInteger(what, `${name}.height`, o.height, 1);
  const size = (o.count as number) * (o.width as number) * (o.height as number);
  if (!(o.images instanceof Float32Array) || o.images.length !== size) {
    throw new TypeError(
      `${what} as ${name}.images must be a Float32Array of count × width × height = ${size} values: current value is ${
        show(o.images)
      }`,
    );
  }
  if (!(o.labels instanceof Uint8Array) || o.labels.length !== o.count) {
    throw new TypeError(
      `${what} as ${name}.labels must be a Uint8Array of count = ${o.count} values: current value is ${
        show(o.labels)
      }`,
    );
  }
  if (pixels) {
    const px = o.images, unit = pixels === "unit";
    for (let i = 0; i < px.length; i++) {
      const v = px[i]!;
      if (unit ? !(v >= 0 && v <= 1) : !Number.isFinite(v)) {
        throw new RangeError(
          `${what} as ${name}.images must hold ${
            unit ? "grey levels in [0, 1]" : "finite values"
          }: ${name}.images[${i}] is ${v}`,
        );
      }
    }
  }
}

/**
 * Selects the rows `indices` of a data set into a new one (an index may
 * repeat, as in a bootstrap sample).
 *
 * @param d The data set.
 * @param indices Row numbers in [0, d.count).
 * @param name The new data set's name (default: d's).
 * @returns The selected rows, their labels and count.
 * @throws {TypeError} If `d` is not a Dataset, `indices` not an array of numbers, or `name` not a string.
 * @throws {RangeError} If an index is not an integer in [0, d.count), or the result would be too large.
 *
 * @example
 * ```ts
 * import { loadEmbeddedMnist, subset } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * const { test } = loadEmbeddedMnist();
 * const two = subset(test, [5, 5], "twice the same digit");
 * assert.equal(two.count, 2);
 * assert.deepEqual(two.images.subarray(0, 784), two.images.subarray(784));
 * ```
 */
export function subset(d: Dataset, indices: ArrayLike<number>, name: string = d?.name): Dataset {
  const what = "Cannot take a subset";
  assertDataset(what, "data", d);
  const idx = assertArrayLike(what, "indices", indices, "an array of row numbers");
  if (typeof name !== "string") {
    throw new TypeError(`${what} as name must be a string: current value is ${show(name)}`);
  }
  const size = d.width * d.height;
  if (idx.length * size > MAX_ARRAY_VALUES) {
    throw new RangeError(
      `${what} as indices must select at most ${
        Math.floor(MAX_ARRAY_VALUES / size)
      } images of ${size} pixels: current length is ${idx.length}`,
    );
  }
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i];
    if (typeof j !== "number") {
      throw new TypeError(
        `${what} as indices must hold row numbers: indices[${i}] is ${show(j)}`,
      );
    }
    if (!Number.isInteger(j) || j < 0 || j >= d.count) {
      throw new RangeError(
        `${what} as indices must hold integers in [0, ${d.count}): indices[${i}] is ${show(j)}`,
      );
    }
  }
  const images = new Float32Array(idx.length * size);
  const labels = new Uint8Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i] as number;
    images.set(d.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = d.labels[j]!;
  }
  return { name, images, labels, count: idx.length, width: d.width, height: d.height };
}
