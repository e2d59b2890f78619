/**
 * Measuring disentanglement: the dSprites factor data set, rendered on demand,
 * and the five scores of the field — MIG, SAP, DCI, BetaVAE and FactorVAE —
 * with disentanglement_lib's protocols, in float64.
 *
 * `mig`, `sapScore` and `dci` take n rows of codes (a model's posterior
 * means) and n rows of factors; `sampleCodes` makes them from a data set and
 * an encoder. `betaVaeScore` and `factorVaeScore` draw their own batches from
 * a {@linkcode FactorDataset} and call the encoder.
 *
 * @example Scores of codes that are the factors themselves
 * ```ts
 * import { dci, dsprites, mig, sampleFactors } from "@elbo/elbo/disentanglement";
 * import { createRng } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const data = dsprites();
 * assert.deepEqual(data.factorSizes, [3, 6, 40, 32, 32]);
 * const factors = sampleFactors(data, 3000, createRng(7));
 * const codes = factors.map((row) => row.map((v) => 2 * v + 1));
 * // 40 orientations and 32 positions share 20 bins: MIG stays below 1.
 * const score = mig(codes, factors);
 * assert.ok(score > 0.8 && score < 0.95);
 * assert.ok(dci(codes, factors, { trees: 10 }).disentanglement > 0.99);
 * ```
 *
 * @module
 */

// data
export { type DSprites, dsprites, type DSpritesOptions } from "./lib/data/dsprites.ts";
export { type FactorDataset, sampleFactors } from "./lib/data/factor_dataset.ts";
export type { Rng } from "./lib/math/rng.ts";

// metrics
export { mig, type MigOptions } from "./lib/metrics/mig.ts";
export { type SapOptions, sapScore } from "./lib/metrics/sap_score.ts";
export { type Dci, dci, type DciOptions } from "./lib/metrics/dci.ts";
export { betaVaeScore, type BetaVaeScoreOptions } from "./lib/metrics/beta_vae_score.ts";
export { factorVaeScore, type FactorVaeScoreOptions } from "./lib/metrics/factor_vae_score.ts";
export { sampleCodes, type SampleCodesOptions } from "./lib/metrics/sample_codes.ts";
export type { Encoder } from "./lib/metrics/encoder.ts";
