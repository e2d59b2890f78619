import { type FactorDataset, sampleFactors } from "../data/factor_dataset.ts";
import { readOptions } from "../math/_options.ts";
import { createRng, type Rng } from "../math/rng.ts";
import { checkDataset, EncodeRunner } from "./_encode.ts";
import type { Encoder } from "./encoder.ts";

/** Options of {@linkcode factorVaeScore}. */
export interface FactorVaeScoreOptions {
  /** The seed of every draw (a safe integer). */
  seed: number;
  /** Images behind each vote, with one factor fixed (default 64, at least 2). */
  batchSize?: number;
  /** Votes that train the classifier (default 10,000). */
  numTrain?: number;
  /** Votes that score it (default 5,000). */
  numEval?: number;
  /** Images that estimate each code's overall variance (default 10,000, at least 2). */
  numVarianceEstimate?: number;
  /**
   * Codes whose overall standard deviation is below this are left out as
   * collapsed to the prior (default 0.05, as disentanglement_lib's study).
   */
  pruneThreshold?: number;
  /** The most images per call of `encode` (default 1,024; at least batchSize are passed). */
  encodeBatchSize?: number;
}

/**
 * The FactorVAE disentanglement score of Kim & Mnih (2018), "Disentangling by
 * Factorising", with disentanglement_lib's protocol and defaults. Each code is
 * divided by its standard deviation over the data (codes of standard deviation
 * below `pruneThreshold` are dropped); each vote picks a factor k uniformly,
 * draws `batchSize` images that share factor k's value, and votes for the code
 * of least normalised variance:
 *
 * ```text
 * vote(k) = argminⱼ Var_batch(zⱼ) / Var_data(zⱼ),   over the codes j kept
 * ```
 *
 * The classifier maps each code to the factor that won most of its
 * `numTrain` votes (a majority vote); the score is the share of `numEval`
 * fresh votes it gets right. A code per factor scores 1; codes that ignore the
 * image score chance, about 1/K. If no code is kept the score is 0.
 *
 * @param dataset A factor data set (dsprites() or your own).
 * @param encode Maps images to their codes (sync or async): see {@linkcode Encoder}.
 * @param options `seed` (required), `batchSize` (64), `numTrain` (10,000),
 *   `numEval` (5,000), `numVarianceEstimate` (10,000), `pruneThreshold`
 *   (0.05), `encodeBatchSize` (1,024).
 * @returns A promise of the score, in [0, 1].
 * @throws {TypeError} If `dataset` is not a factor data set, `encode` not a
 *   function, an option is unknown, or `encode` returns rows of the wrong
 *   shape (the promise rejects).
 * @throws {RangeError} If `seed` is not a safe integer, a count is out of
 *   range, `pruneThreshold` is negative or not finite, or `encode` returns a
 *   non-finite value.
 *
 * @example Codes that read the factors off the image score 1
 * ```ts
 * import { factorVaeScore, type FactorDataset } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * const toy: FactorDataset = {
 *   name: "toy", factorNames: ["a", "b"], factorSizes: [4, 5], imageSize: 2,
 *   render: (rows, out = new Float32Array(rows.length * 4)) => {
 *     Array.from(rows).forEach((r, i) => out.set([r[0]!, r[1]!, 0, 0], i * 4));
 *     return out;
 *   },
 * };
 * const encode = (images: Float32Array, n: number) =>
 *   Array.from({ length: n }, (_, i) => [images[i * 4 + 1]!, images[i * 4]!]);
 * const score = await factorVaeScore(toy, encode, {
 *   seed: 1, batchSize: 16, numTrain: 100, numEval: 100, numVarianceEstimate: 500,
 * });
 * assert.equal(score, 1);
 * ```
 */
export async function factorVaeScore(
  dataset: FactorDataset,
  encode: Encoder,
  options: FactorVaeScoreOptions,
): Promise<number> {
  const what = "Cannot compute the FactorVAE score";
  const o = readOptions(what, options, [
    "seed",
    "batchSize",
    "numTrain",
    "numEval",
    "numVarianceEstimate",
    "pruneThreshold",
    "encodeBatchSize",
  ]);
  const seed = o.seed("seed");
  const batchSize = o.int("batchSize", { min: 2, max: 1_000_000, default: 64 });
  const numTrain = o.int("numTrain", { min: 1, max: 10_000_000, default: 10_000 });
  const numEval = o.int("numEval", { min: 1, max: 10_000_000, default: 5_000 });
  const numVariance = o.int("numVarianceEstimate", { min: 2, max: 10_000_000, default: 10_000 });
  const threshold = o.number("pruneThreshold", { min: 0, default: 0.05 });
  const encodeBatchSize = o.int("encodeBatchSize", { min: 1, max: 1_000_000, default: 1024 });
  const { sizes, pixels } = checkDataset(what, dataset);
  const runner = new EncodeRunner(what, dataset, encode, pixels);
  const rng = createRng(seed);

  // Each code's variance over the data (unbiased, as numpy's ddof = 1).
  const chunk = Math.max(1, encodeBatchSize);
  let sums: Float64Array | undefined, squares: Float64Array | undefined;
  let shift: Float64Array | undefined; // the first code, for a stable one-pass variance
  for (let start = 0; start < numVariance; start += chunk) {
    const m = Math.min(chunk, numVariance - start);
    const z = await runner.run(sampleFactors({ factorSizes: sizes }, m, rng));
    const L = runner.latent;
    if (!sums) {
      sums = new Float64Array(L);
      squares = new Float64Array(L);
      shift = z.slice(0, L);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < L; j++) {
        const v = z[i * L + j]! - shift![j]!;
        sums[j]! += v;
        squares![j]! += v * v;
      }
    }
  }
  const L = runner.latent;
  const globalVariance = Array.from(
    { length: L },
    (_, j) =>
      Math.max(0, (squares![j]! - (sums![j]! * sums![j]!) / numVariance) / (numVariance - 1)),
  );
  const active = globalVariance.flatMap((v, j) => (Math.sqrt(v) >= threshold && v > 0 ? [j] : []));
  if (active.length === 0) return 0;

  const perCall = Math.max(1, Math.floor(encodeBatchSize / batchSize));
  const votes = (count: number) =>
    vote(runner, sizes, rng, count, batchSize, perCall, active, globalVariance);
  const train = await votes(numTrain);
  const K = sizes.length, A = active.length;
  // Majority vote: each kept code goes to the factor that won it most often.
  const classifier = Array.from({ length: A }, (_, j) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (train[k * A + j]! > train[best * A + j]!) best = k;
    return best;
  });
  const test = await votes(numEval);
  let correct = 0;
  for (let j = 0; j < A; j++) correct += test[classifier[j]! * A + j]!;
  return correct / numEval;
}

/** `count` votes, tallied as a K × (kept codes) table. */
async function vote(
  runner: EncodeRunner,
  sizes: readonly number[],
  rng: Rng,
  count: number,
  batchSize: number,
  perCall: number,
  active: number[],
  globalVariance: number[],
): Promise<Float64Array> {
  const K = sizes.length, A = active.length;
  const table = new Float64Array(K * A);
  const dataset = { factorSizes: sizes };
  for (let start = 0; start < count; start += perCall) {
    const group = Math.min(perCall, count - start);
    const rows: number[][] = [], fixed: number[] = [];
    for (let p = 0; p < group; p++) {
      const k = rng.integer(K);
      fixed.push(k);
      rows.push(...sampleFactors(dataset, batchSize, rng, k));
    }
    const z = await runner.run(rows);
    const L = runner.latent;
    for (let p = 0; p < group; p++) {
      let best = 0, bestRatio = Infinity;
      for (let a = 0; a < A; a++) {
        const j = active[a]!;
        let mean = 0;
        for (let l = 0; l < batchSize; l++) mean += z[(p * batchSize + l) * L + j]!;
        mean /= batchSize;
        let ss = 0;
        for (let l = 0; l < batchSize; l++) {
          const e = z[(p * batchSize + l) * L + j]! - mean;
          ss += e * e;
        }
        const ratio = ss / (batchSize - 1) / globalVariance[j]!;
        if (ratio < bestRatio) [best, bestRatio] = [a, ratio];
      }
      table[fixed[p]! * A + best]!++;
    }
  }
  return table;
}
