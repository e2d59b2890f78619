import { type FactorDataset, sampleFactors } from "../data/factor_dataset.ts";
import { readOptions } from "../math/_options.ts";
import { createRng } from "../math/rng.ts";
import { checkDataset, EncodeRunner } from "./_encode.ts";
import type { Encoder } from "./encoder.ts";

/** Options of {@linkcode sampleCodes}. */
export interface SampleCodesOptions {
  /** How many rows (integer ≥ 2); disentanglement_lib uses 10,000 for MIG, 15,000 for SAP and DCI. */
  n: number;
  /** The seed of the factor draws (a safe integer). */
  seed: number;
  /** The most images per call of `encode` (default 1,024). */
  encodeBatchSize?: number;
}

/**
 * Draws n factor rows uniformly from a factor data set, renders and encodes
 * them: the `codes` and `factors` that {@linkcode mig}, {@linkcode sapScore}
 * and {@linkcode dci} take (disentanglement_lib's
 * `generate_batch_factor_code`). Rows come in random order, so the first
 * rows make a fair training split.
 *
 * @param dataset A factor data set (dsprites() or your own).
 * @param encode Maps images to their codes (sync or async): see {@linkcode Encoder}.
 * @param options `n` and `seed` (required), `encodeBatchSize` (1,024).
 * @returns A promise of `{ codes, factors }`, n rows each; factors are class indices.
 * @throws {TypeError} If `dataset` is not a factor data set, `encode` not a
 *   function, an option is unknown, or `encode` returns rows of the wrong
 *   shape (the promise rejects).
 * @throws {RangeError} If `seed` is not a safe integer, `n` is not an integer
 *   ≥ 2, or `encode` returns a non-finite value.
 *
 * @example The MIG of a model, in two lines
 * ```ts
 * import { dsprites, mig, sampleCodes } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * // A stand-in encoder: the sprite's centre of mass and its area.
 * const encode = (images: Float32Array, n: number) =>
 *   Array.from({ length: n }, (_, i) => {
 *     let x = 0, y = 0, area = 0;
 *     images.subarray(i * 1024, (i + 1) * 1024).forEach((v, p) => {
 *       x += v * (p % 32);
 *       y += v * Math.floor(p / 32);
 *       area += v;
 *     });
 *     return [x / area, y / area, area];
 *   });
 * const { codes, factors } = await sampleCodes(dsprites({ imageSize: 32 }), encode, { n: 2000, seed: 1 });
 * assert.ok(mig(codes, factors) > 0.3);
 * ```
 */
export async function sampleCodes(
  dataset: FactorDataset,
  encode: Encoder,
  options: SampleCodesOptions,
): Promise<{ codes: number[][]; factors: number[][] }> {
  const what = "Cannot sample codes";
  const o = readOptions(what, options, ["n", "seed", "encodeBatchSize"]);
  const n = o.int("n", { min: 2, max: 10_000_000 });
  const seed = o.seed("seed");
  const chunk = o.int("encodeBatchSize", { min: 1, max: 1_000_000, default: 1024 });
  const { sizes, pixels } = checkDataset(what, dataset);
  const runner = new EncodeRunner(what, dataset, encode, pixels);
  const factors = sampleFactors({ factorSizes: sizes }, n, createRng(seed));
  const codes: number[][] = [];
  for (let start = 0; start < n; start += chunk) {
    const rows = factors.slice(start, start + chunk);
    const z = await runner.run(rows);
    const L = runner.latent;
    for (let i = 0; i < rows.length; i++) codes.push(Array.from(z.subarray(i * L, (i + 1) * L)));
  }
  return { codes, factors };
}
