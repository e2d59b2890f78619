import { readOptions } from "../math/_options.ts";
import { show } from "../math/_validate.ts";
import { assertSeed, createRng, deriveSeed } from "../math/rng.ts";
import { shuffle } from "../math/_shuffle.ts";
import { assertDataset, type Dataset } from "./dataset.ts";

/**
 * Seeded, resumable mini-batches. The order of epoch e is a permutation drawn
 * from (seed, e), and the binarization noise of batch b from (seed, e, b), so
 * batch (e, b) is the same whether a run went straight through or was
 * resumed from a checkpoint. `batch` fills one preallocated buffer: no
 * allocation per batch.
 *
 * With `binarize`, each pixel is set to 1 with probability equal to its grey
 * level (dynamic binarization, the usual input of a Bernoulli VAE on MNIST).
 *
 * @example
 * ```ts
 * import { Batches, loadEmbeddedMnist } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * const { train } = loadEmbeddedMnist();
 * const b = new Batches(train, { batchSize: 100, seed: 1, binarize: true });
 * const x = b.batch(0, 0);
 * assert.equal(x.length, 100 * 784);
 * assert.ok(x.every((v) => v === 0 || v === 1));
 * ```
 */
export class Batches {
  /** The data set. */
  readonly data: Dataset;
  /** Examples per batch. */
  readonly batchSize: number;
  /** Batches per epoch (the last partial batch is dropped). */
  readonly perEpoch: number;
  readonly #seed: number;
  readonly #binarize: boolean;
  readonly #buffer: Float32Array;
  #order: Uint32Array;
  #orderEpoch = -1;

  /**
   * Creates the batches of a data set.
   *
   * @param data The examples (grey levels in [0, 1] to binarise, otherwise finite).
   * @param options `batchSize`, `seed` (any safe integer), `binarize` (default false).
   * @throws {TypeError} If `data` is not a Dataset, `options` not an object or has a key
   *   other than these, or `binarize` not a boolean.
   * @throws {RangeError} If `batchSize` is not an integer in [1, count], `seed` is
   *   not a safe integer, or a pixel is out of range.
   */
  constructor(data: Dataset, options: { batchSize: number; seed: number; binarize?: boolean }) {
    const what = "Cannot construct Batches";
    const o = readOptions(what, options, ["batchSize", "seed", "binarize"]);
    const binarize = o.boolean("binarize", false);
    assertDataset(what, "data", data, binarize ? "unit" : "finite");
    const batchSize = o.int("batchSize", {
      min: 1,
      max: data.count,
      why: `the images of ${data.name}`,
    });
    const seed = o.seed("seed");
    this.data = data;
    this.batchSize = batchSize;
    this.perEpoch = Math.floor(data.count / batchSize);
    this.#seed = seed;
    this.#binarize = binarize;
    this.#buffer = new Float32Array(batchSize * data.width * data.height);
    this.#order = new Uint32Array(data.count);
  }

  #orderFor(epoch: number): Uint32Array {
    if (this.#orderEpoch !== epoch) {
      const o = this.#order;
      for (let i = 0; i < o.length; i++) o[i] = i;
      shuffle(o, createRng(deriveSeed(this.#seed, epoch)));
      this.#orderEpoch = epoch;
    }
    return this.#order;
  }

  /**
   * Batch `index` of epoch `epoch`, written into the shared buffer (valid
   * until the next call).
   *
   * @param epoch The 0-based epoch (a safe integer ≥ 0).
   * @param index The 0-based batch within it (< perEpoch).
   * @returns batchSize rows of pixels.
   * @throws {TypeError} If `epoch` or `index` is not a number.
   * @throws {RangeError} If `epoch` is not a safe integer ≥ 0 or `index` not an integer in [0, perEpoch).
   */
  batch(epoch: number, index: number): Float32Array {
    const what = "Batches.batch cannot run";
    for (const [name, v] of [["epoch", epoch], ["index", index]] as const) {
      if (typeof v !== "number") {
        throw new TypeError(`${what} as ${name} must be a number: current value is ${show(v)}`);
      }
    }
    if (!Number.isSafeInteger(epoch) || epoch < 0) {
      throw new RangeError(
        `${what} as epoch must be a safe integer ≥ 0: current value is ${show(epoch)}`,
      );
    }
    if (!Number.isInteger(index) || index < 0 || index >= this.perEpoch) {
      throw new RangeError(
        `${what} as index must be an integer in [0, ${this.perEpoch}): current value is ${
          show(index)
        }`,
      );
    }
    const order = this.#orderFor(epoch),
      size = this.data.width * this.data.height,
      out = this.#buffer;
    const rng = this.#binarize ? createRng(deriveSeed(this.#seed, epoch, index)) : undefined;
    for (let r = 0; r < this.batchSize; r++) {
      const src = order[index * this.batchSize + r]! * size, dst = r * size;
      if (rng) {
        for (let j = 0; j < size; j++) {
          out[dst + j] = rng.uniform() < this.data.images[src + j]! ? 1 : 0;
        }
      } else out.set(this.data.images.subarray(src, src + size), dst);
    }
    return out;
  }
}

/**
 * A fixed binarization of a whole data set (the test set of a Bernoulli VAE:
 * binarised once, with a seed, so that every evaluation sees the same bits).
 *
 * @param data The data set (grey levels in [0, 1]).
 * @param seed The seed, any safe integer.
 * @returns A new array of 0/1 values.
 * @throws {TypeError} If `data` is not a Dataset.
 * @throws {RangeError} If a pixel is not in [0, 1] or `seed` is not a safe integer.
 *
 * @example
 * ```ts
 * import { binarizeOnce, loadEmbeddedMnist } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * const { test } = loadEmbeddedMnist();
 * const bits = binarizeOnce(test, 0);
 * assert.ok(bits.every((v) => v === 0 || v === 1));
 * assert.deepEqual(bits, binarizeOnce(test, 0));
 * ```
 */
export function binarizeOnce(data: Dataset, seed: number): Float32Array {
  const what = "Cannot binarize";
  assertDataset(what, "data", data, "unit");
  assertSeed(what, "seed", seed);
  const rng = createRng(seed), out = new Float32Array(data.images.length);
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform() < data.images[i]! ? 1 : 0;
  return out;
}
