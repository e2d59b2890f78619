import { type FactorDataset, sampleFactors } from "../data/factor_dataset.ts";
import { readOptions } from "../math/_options.ts";
import { createRng, type Rng } from "../math/rng.ts";
import { checkDataset, EncodeRunner } from "./_encode.ts";
import type { Encoder } from "./encoder.ts";
import { fitLogisticRegression } from "./_logistic_regression.ts";

/** Options of {@linkcode betaVaeScore}. */
export interface BetaVaeScoreOptions {
  /** The seed of every draw (a safe integer). */
  seed: number;
  /** Pairs of images behind each point (default 64). */
  batchSize?: number;
  /** Points that train the classifier (default 10,000). */
  numTrain?: number;
  /** Points that score it (default 5,000). */
  numEval?: number;
  /** The most images per call of `encode` (default 1,024; at least 2 × batchSize are passed). */
  encodeBatchSize?: number;
}

/**
 * The BetaVAE disentanglement score of Higgins et al. (2017), "β-VAE:
 * Learning Basic Visual Concepts with a Constrained Variational Framework",
 * with disentanglement_lib's protocol and defaults. Each point picks a factor
 * k uniformly, draws `batchSize` pairs of factor rows that agree on factor k
 * only, encodes both images of each pair, and keeps the mean absolute
 * difference of their codes:
 *
 * ```text
 * x = (1/L) Σₗ | z(v⁽¹ˡ⁾) − z(v⁽²ˡ⁾) |,   v⁽¹ˡ⁾ₖ = v⁽²ˡ⁾ₖ,   label k
 * ```
 *
 * A linear classifier (logistic regression, C = 1, as scikit-learn's
 * defaults) learns k from x on `numTrain` points; the score is its accuracy on
 * `numEval` fresh points. A code per factor leaves a zero in x at the fixed
 * factor and scores 1; codes that ignore the image score chance, 1/K.
 *
 * @param dataset A factor data set (dsprites() or your own).
 * @param encode Maps images to their codes (sync or async): see {@linkcode Encoder}.
 * @param options `seed` (required), `batchSize` (64), `numTrain` (10,000),
 *   `numEval` (5,000), `encodeBatchSize` (1,024).
 * @returns A promise of the score, in [0, 1].
 * @throws {TypeError} If `dataset` is not a factor data set, `encode` not a
 *   function, an option is unknown, or `encode` returns rows of the wrong
 *   shape (the promise rejects).
 * @throws {RangeError} If `seed` is not a safe integer, a count is not an
 *   integer ≥ 1 (batchSize ≥ 1, numTrain, numEval ≥ 1), a factor takes a
 *   single value (`factorSizes[j]` is 1: fixing it fixes nothing), or
 *   `encode` returns a non-finite value.
 *
 * @example Codes that read the factors off the image score 1
 * ```ts
 * import { betaVaeScore, type FactorDataset } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * // A toy data set whose "image" is its factor row.
 * const toy: FactorDataset = {
 *   name: "toy", factorNames: ["a", "b", "c"], factorSizes: [4, 5, 6], imageSize: 2,
 *   render: (rows, out = new Float32Array(rows.length * 4)) => {
 *     Array.from(rows).forEach((r, i) => out.set([r[0]!, r[1]!, r[2]!, 0], i * 4));
 *     return out;
 *   },
 * };
 * const encode = (images: Float32Array, n: number) =>
 *   Array.from({ length: n }, (_, i) => Array.from(images.subarray(i * 4, i * 4 + 3)));
 * const score = await betaVaeScore(toy, encode, { seed: 1, batchSize: 16, numTrain: 200, numEval: 100 });
 * assert.equal(score, 1);
 * ```
 */
export async function betaVaeScore(
  dataset: FactorDataset,
  encode: Encoder,
  options: BetaVaeScoreOptions,
): Promise<number> {
  const what = "Cannot compute the BetaVAE score";
  const o = readOptions(what, options, [
    "seed",
    "batchSize",
    "numTrain",
    "numEval",
    "encodeBatchSize",
  ]);
  const seed = o.seed("seed");
  const batchSize = o.int("batchSize", { min: 1, max: 1_000_000, default: 64 });
  const numTrain = o.int("numTrain", { min: 1, max: 10_000_000, default: 10_000 });
  const numEval = o.int("numEval", { min: 1, max: 10_000_000, default: 5_000 });
  const encodeBatchSize = o.int("encodeBatchSize", { min: 1, max: 1_000_000, default: 1024 });
  const { sizes, pixels } = checkDataset(what, dataset);
  const single = sizes.indexOf(1);
  if (single >= 0) {
    throw new RangeError(
      `${what} as factor ${single} takes a single value (dataset.factorSizes[${single}] is 1): fixing it fixes nothing, so there is nothing to score`,
    );
  }
  const runner = new EncodeRunner(what, dataset, encode, pixels);
  const rng = createRng(seed);
  const pointsPerCall = Math.max(1, Math.floor(encodeBatchSize / (2 * batchSize)));
  const generate = (count: number) => points(runner, sizes, rng, count, batchSize, pointsPerCall);
  const train = await generate(numTrain);
  const model = fitLogisticRegression(train.x, train.labels, runner.latent, sizes.length);
  const test = await generate(numEval);
  const predicted = model.predict(test.x, numEval);
  let correct = 0;
  for (let i = 0; i < numEval; i++) if (predicted[i] === test.labels[i]) correct++;
  return correct / numEval;
}

/** `count` points: the factor held fixed and the mean absolute code difference of the pairs. */
async function points(
  runner: EncodeRunner,
  sizes: readonly number[],
  rng: Rng,
  count: number,
  batchSize: number,
  pointsPerCall: number,
): Promise<{ x: Float64Array; labels: Int32Array }> {
  const labels = new Int32Array(count);
  const features: Float64Array[] = [];
  const dataset = { factorSizes: sizes };
  for (let start = 0; start < count; start += pointsPerCall) {
    const group = Math.min(pointsPerCall, count - start);
    const rows: number[][] = [];
    for (let p = 0; p < group; p++) {
      const k = rng.integer(sizes.length);
      labels[start + p] = k;
      const first = sampleFactors(dataset, batchSize, rng);
      const second = sampleFactors(dataset, batchSize, rng);
      second.forEach((row, l) => (row[k] = first[l]![k]!));
      rows.push(...first, ...second);
    }
    const z = await runner.run(rows);
    const L = runner.latent;
    for (let p = 0; p < group; p++) {
      const x = new Float64Array(L);
      const base = p * 2 * batchSize;
      for (let l = 0; l < batchSize; l++) {
        const a = (base + l) * L, b = (base + batchSize + l) * L;
        for (let j = 0; j < L; j++) x[j]! += Math.abs(z[a + j]! - z[b + j]!);
      }
      for (let j = 0; j < L; j++) x[j]! /= batchSize;
      features.push(x);
    }
  }
  const L = runner.latent, x = new Float64Array(count * L);
  features.forEach((f, i) => x.set(f, i * L));
  return { x, labels };
}
