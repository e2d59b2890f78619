import { assertCount, assertInteger, assertRng, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";

/**
 * A data set generated from known factors of variation: every combination of
 * factor values (a "factor row" of class indices) names one image, rendered on
 * demand. dSprites is one; any other grid of factors (3D Shapes, a toy data
 * set of your own) plugs into the BetaVAE and FactorVAE scores through this
 * interface.
 */
export interface FactorDataset {
  /** A name for reports ("dsprites", …). */
  readonly name: string;
  /** The factors' names, in the order of a factor row. */
  readonly factorNames: readonly string[];
  /** How many values each factor takes: a factor row's entry j is in {0, …, factorSizes[j] − 1}. */
  readonly factorSizes: readonly number[];
  /** Images are imageSize × imageSize pixels, one channel. */
  readonly imageSize: number;
  /**
   * Renders factor rows into n images, row-major, one after another (n ×
   * imageSize² grey levels in [0, 1]). Writes into `out` when given (it must
   * hold at least n × imageSize² values) and returns it, so a caller can reuse
   * one buffer per batch.
   */
  render(factorRows: ArrayLike<ArrayLike<number>>, out?: Float32Array): Float32Array;
}

/**
 * Draws n factor rows uniformly from the grid: each factor independently and
 * uniformly among its values, as disentanglement_lib's `sample_factors`. With
 * `fixedFactor`, that factor takes one value (itself uniform) in every row of
 * the batch — the batches the FactorVAE score is built on.
 *
 * @param dataset The factor data set (only `factorSizes` is read).
 * @param n How many rows (integer ≥ 1).
 * @param rng The random source.
 * @param fixedFactor Optional index of a factor to hold fixed across the batch.
 * @returns n rows of class indices.
 * @throws {TypeError} If `dataset` has no valid `factorSizes` or `rng` is not an Rng.
 * @throws {RangeError} If `n` is not an integer ≥ 1 (or too large), or
 *   `fixedFactor` is not the index of a factor.
 *
 * @example Half of a FactorVAE batch
 * ```ts
 * import { dsprites, sampleFactors } from "@elbo/elbo/disentanglement";
 * import { createRng } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const rows = sampleFactors(dsprites(), 64, createRng(1), 1);
 * assert.equal(rows.length, 64);
 * assert.ok(rows.every((r) => r[1] === rows[0]![1]));
 * ```
 */
export function sampleFactors(
  dataset: Pick<FactorDataset, "factorSizes">,
  n: number,
  rng: Rng,
  fixedFactor?: number,
): number[][] {
  const what = "Cannot sample factors";
  const sizes = factorSizesOf(what, dataset);
  assertCount(what, "n", n, 1, sizes.length);
  assertRng(what, "rng", rng);
  if (fixedFactor !== undefined) {
    assertInteger(what, "fixedFactor", fixedFactor, 0);
    if (fixedFactor >= sizes.length) {
      throw new RangeError(
        `${what} as fixedFactor must be the index of a factor (< ${sizes.length}): current value is ${fixedFactor}`,
      );
    }
  }
  const fixedValue = fixedFactor === undefined ? -1 : rng.integer(sizes[fixedFactor]!);
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(sizes.length);
    for (let j = 0; j < sizes.length; j++) {
      row[j] = j === fixedFactor ? fixedValue : rng.integer(sizes[j]!);
    }
    rows[i] = row;
  }
  return rows;
}

/** Checks a data set's `factorSizes` (integers ≥ 1, at least one factor) and returns them. */
export function factorSizesOf(
  what: string,
  dataset: unknown,
): readonly number[] {
  const sizes = (dataset as { factorSizes?: unknown } | null)?.factorSizes;
  if (
    dataset === null || typeof dataset !== "object" || !Array.isArray(sizes) || sizes.length === 0
  ) {
    throw new TypeError(
      `${what} as dataset must be a factor data set with factorSizes (a non-empty array of integers ≥ 1): current value is ${
        show(sizes ?? dataset)
      }`,
    );
  }
  sizes.forEach((s, j) => assertInteger(what, `dataset.factorSizes[${j}]`, s, 1));
  return sizes as number[];
}
