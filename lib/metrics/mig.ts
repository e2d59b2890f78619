import { readOptions } from "../math/_options.ts";
import { toCodesAndFactors, toLabels } from "./_check.ts";
import { entropy, histogramBins, mutualInformation } from "./_information.ts";

/** Options of {@linkcode mig}. */
export interface MigOptions {
  /** Equal-width histogram bins per code (integer ≥ 2, default 20 as disentanglement_lib). */
  bins?: number;
}

/**
 * The Mutual Information Gap of Chen et al. (2018), "Isolating Sources of
 * Disentanglement in VAEs": for each factor, the gap between the two codes
 * that know most about it, as a fraction of what there is to know, averaged
 * over factors. Codes are discretised into `bins` equal-width bins each (as
 * disentanglement_lib's histogram discretiser); factors are read as class
 * labels (each distinct value one class). Information in nats:
 *
 * ```text
 * MIG = (1/K) Σₖ [ I(z_{j₁(k)}; vₖ) − I(z_{j₂(k)}; vₖ) ] / H(vₖ)
 * ```
 *
 * where j₁(k), j₂(k) are the codes of largest and second-largest mutual
 * information with factor vₖ. Binning caps it below 1: a code equal to a
 * factor of more values than bins merges some, and then I(z; v) = H(bin(v)) < H(v).
 *
 * @param codes n rows of latent codes (posterior means), at least 2 per row.
 * @param factors n rows of ground-truth factors, read as class labels.
 * @param options `bins` (default 20).
 * @returns The MIG, in [0, 1].
 * @throws {TypeError} If codes or factors are not arrays of rows of one
 *   length, their numbers of rows differ, or an option is unknown.
 * @throws {RangeError} If a value is not finite, there are fewer than 2 rows
 *   or 2 codes, `bins` is not an integer ≥ 2, or a factor is constant (H = 0).
 *
 * @example Codes that are the factors, one each
 * ```ts
 * import { mig } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * const factors = Array.from({ length: 400 }, (_, i) => [i % 4, Math.floor(i / 4) % 5]);
 * const codes = factors.map(([a, b]) => [b! * 0.3, a! - 7]);
 * assert.ok(Math.abs(mig(codes, factors) - 1) < 1e-12);
 * ```
 */
export function mig(codes: number[][], factors: number[][], options?: MigOptions): number {
  const what = "Cannot compute MIG";
  const o = readOptions(what, options, ["bins"]);
  const bins = o.int("bins", { min: 2, max: 1_000_000, default: 20 });
  const { codes: c, factors: f } = toCodesAndFactors(what, codes, factors, 2, 2);
  const binned = c.columns.map((col) => histogramBins(col, bins));
  let sum = 0;
  for (let k = 0; k < f.d; k++) {
    const v = toLabels(f.columns[k]!);
    const h = entropy(v.labels, v.classes);
    if (!(h > 0)) {
      throw new RangeError(
        `${what} as factor ${k} is constant (it takes the single value ${
          v.values[0]
        } in all ${f.n} rows): its entropy is 0`,
      );
    }
    let first = 0, second = 0;
    for (const z of binned) {
      const m = mutualInformation(z, bins, v.labels, v.classes);
      if (m > first) [first, second] = [m, first];
      else if (m > second) second = m;
    }
    sum += Math.min(1, (first - second) / h);
  }
  return sum / f.d;
}
