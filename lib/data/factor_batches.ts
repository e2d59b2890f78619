import { assertInteger, assertIntegerIn, show } from "../math/_validate.ts";
import { createRng, deriveSeed } from "../math/rng.ts";
import { readOptions } from "../math/_options.ts";
import { type FactorDataset, sampleFactors } from "./factor_dataset.ts";

/**
 * Training batches drawn on demand from a factor data set (dSprites): each
 * batch renders fresh factor rows drawn uniformly, from a seed fixed by the
 * epoch and the batch's index, so a run that resumes draws what it would
 * have drawn — and only the batch in hand takes memory, where the 737,280
 * images of dSprites at 64 × 64 would take 12 GB as float32.
 *
 * ```text
 * batch(e, i) = render(factor rows ~ Uniform, rng = seed(seed, e, i))     perEpoch = ⌊imagesPerEpoch / batchSize⌋
 * ```
 *
 * It has the two members a training loop reads of {@linkcode Batches}:
 * `perEpoch` and `batch(epoch, index)`.
 *
 * @example
 * ```ts
 * import { FactorBatches } from "@elbo/elbo/models";
 * import { dsprites } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * const b = new FactorBatches(dsprites({ imageSize: 16 }), {
 *   imagesPerEpoch: 100,
 *   batchSize: 32,
 *   seed: 1,
 * });
 * assert.equal(b.perEpoch, 3);
 * assert.deepEqual(b.batch(0, 1), new FactorBatches(dsprites({ imageSize: 16 }), {
 *   imagesPerEpoch: 100,
 *   batchSize: 32,
 *   seed: 1,
 * }).batch(0, 1));
 * ```
 */
export class FactorBatches {
  /** The factor data set. */
  readonly data: FactorDataset;
  /** Images per batch. */
  readonly batchSize: number;
  /** Batches per epoch. */
  readonly perEpoch: number;
  readonly #seed: number;
  readonly #buffer: Float32Array;

  /**
   * Creates the batches.
   *
   * @param data A factor data set (its `render` and `factorSizes`).
   * @param options `imagesPerEpoch` (an epoch's draws), `batchSize` (at
   *   most `imagesPerEpoch`) and `seed`.
   * @throws {TypeError} If `data` is not a factor data set, or `options` not an
   *   object or has a key other than these.
   * @throws {RangeError} If a count is not an integer ≥ 1, or the seed not a safe integer.
   */
  constructor(
    data: FactorDataset,
    options: { imagesPerEpoch: number; batchSize: number; seed: number },
  ) {
    const what = "Cannot construct FactorBatches";
    if (data === null || typeof data !== "object" || typeof data.render !== "function") {
      throw new TypeError(
        `${what} as data must be a factor data set: current value is ${show(data)}`,
      );
    }
    const o = readOptions(what, options, ["imagesPerEpoch", "batchSize", "seed"]);
    const imagesPerEpoch = o.int("imagesPerEpoch", { min: 1 });
    const batchSize = o.int("batchSize", {
      min: 1,
      max: imagesPerEpoch,
      why: "at most options.imagesPerEpoch",
    });
    const seed = o.seed("seed");
    this.data = data;
    this.batchSize = batchSize;
    this.perEpoch = Math.floor(imagesPerEpoch / batchSize);
    this.#seed = seed;
    this.#buffer = new Float32Array(batchSize * data.imageSize * data.imageSize);
  }

  /**
   * Batch `index` of epoch `epoch`: `batchSize` images drawn afresh, the same
   * for the same (seed, epoch, index). The buffer is reused by the next call.
   *
   * @param epoch The epoch (from 0).
   * @param index The batch (from 0, below `perEpoch`).
   * @returns batchSize × imageSize² grey levels.
   * @throws {RangeError} If `epoch` or `index` is out of range.
   */
  batch(epoch: number, index: number): Float32Array {
    const what = "FactorBatches.batch cannot run";
    assertInteger(what, "epoch", epoch, 0);
    assertIntegerIn(what, "index", index, 0, this.perEpoch - 1);
    const rows = sampleFactors(
      this.data,
      this.batchSize,
      createRng(deriveSeed(this.#seed, epoch, index)),
    );
    return this.data.render(rows, this.#buffer);
  }
}
