import { readOptions } from "../math/_options.ts";
import { classifierLabels, toCodesAndFactors, trainTestSplit } from "./_check.ts";
import { fitGradientBoosting } from "./_gradient_boosting.ts";

/** Options of {@linkcode dci}. */
export interface DciOptions {
  /**
   * The fraction of rows that trains the trees (default 2/3, as
   * disentanglement_lib's 10,000 train and 5,000 test points): the first
   * ⌈n · trainFraction⌉ rows train, the rest measure informativeness.
   */
  trainFraction?: number;
  /** Boosting stages per factor (default 100, scikit-learn's). */
  trees?: number;
  /** Depth of each tree (default 3, at most 6). */
  maxDepth?: number;
  /** Shrinkage (default 0.1). */
  learningRate?: number;
}

/** The three scores of {@linkcode dci}, each in [0, 1]. */
export interface Dci {
  /** How far each code is about one factor only (importance-weighted). */
  disentanglement: number;
  /** How far each factor is held by one code only. */
  completeness: number;
  /** The trees' held-out accuracy, averaged over factors (higher is better). */
  informativeness: number;
}

/** Tiny mass added to every importance before the entropies, as disentanglement_lib. */
const EPS = 1e-11;

/**
 * Disentanglement, Completeness and Informativeness of Eastwood & Williams
 * (2018), "A Framework for the Quantitative Evaluation of Disentangled
 * Representations", as disentanglement_lib computes them: for each factor a
 * gradient-boosted tree classifier (scikit-learn's defaults: 100 stages of
 * depth-3 trees, shrinkage 0.1) predicts the factor from all codes; its
 * impurity importances form column k of the importance matrix R (codes ×
 * factors), and
 *
 * ```text
 * Pᵢₖ = Rᵢₖ / Σₖ' Rᵢₖ'     Dᵢ = 1 + Σₖ Pᵢₖ log_K Pᵢₖ     D = Σᵢ ρᵢ Dᵢ,   ρᵢ = Σₖ Rᵢₖ / Σᵢₖ Rᵢₖ
 * P̃ᵢₖ = Rᵢₖ / Σᵢ' Rᵢ'ₖ     Cₖ = 1 + Σᵢ P̃ᵢₖ log_d P̃ᵢₖ     C = Σₖ ρ̃ₖ Cₖ,   ρ̃ₖ = Σᵢ Rᵢₖ / Σᵢₖ Rᵢₖ
 * I = mean over factors of the classifier's accuracy on the held-out rows
 * ```
 *
 * with K factors and d codes. Informativeness is an accuracy (higher is
 * better) as in disentanglement_lib, not the paper's prediction error. Trees
 * spread importance over codes that carry nothing, so codes independent of
 * the factors give D near 0 (a linear model's importances would not).
 *
 * The trees split exactly, as scikit-learn's: each code is tried at the
 * midpoint between every two consecutive distinct values in a node (read as
 * float32, as scikit-learn reads them), so continuous codes lose nothing to
 * binning. When several codes give the same best split — a duplicated code,
 * or one an increasing map of another — its impurity decrease is shared
 * equally between them. scikit-learn credits one of them, drawn at random
 * (`random_state`); sharing is the expectation of that draw, so twins get
 * equal importance and the scores need no seed.
 *
 * @param codes n rows of latent codes, at least 2 per row.
 * @param factors n rows of factors, read as class labels (2 to 256 values
 *   each in the training rows), at least 2 per row.
 * @param options `trainFraction` (2/3), `trees` (100), `maxDepth` (3), `learningRate` (0.1).
 * @returns `{ disentanglement, completeness, informativeness }`.
 * @throws {TypeError} If codes or factors are not arrays of rows of one
 *   length, their numbers of rows differ, or an option is unknown.
 * @throws {RangeError} If a value is not finite, there are fewer than 2 codes
 *   or 2 factors, the split leaves no row to train or test, a factor takes
 *   one value or more than 256 values in the training rows, or an option is
 *   out of range.
 *
 * @example One code per factor
 * ```ts
 * import { dci } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * const factors = Array.from({ length: 300 }, (_, i) => [i % 3, Math.floor(i / 3) % 4]);
 * const codes = factors.map(([a, b]) => [b! / 4, a! * 2]);
 * const { disentanglement, completeness, informativeness } = dci(codes, factors, { trees: 20 });
 * assert.ok(disentanglement > 0.99 && completeness > 0.99);
 * assert.equal(informativeness, 1);
 * ```
 */
export function dci(codes: number[][], factors: number[][], options?: DciOptions): Dci {
  const what = "Cannot compute DCI";
  const o = readOptions(what, options, ["trainFraction", "trees", "maxDepth", "learningRate"]);
  const trainFraction = o.number("trainFraction", {
    min: 0,
    max: 1,
    minExclusive: true,
    default: 2 / 3,
  });
  const trees = o.int("trees", { min: 1, max: 100_000, default: 100 });
  const maxDepth = o.int("maxDepth", { min: 1, max: 6, default: 3 });
  const learningRate = o.number("learningRate", {
    min: 0,
    max: 1e6,
    minExclusive: true,
    default: 0.1,
  });
  const { codes: c, factors: f } = toCodesAndFactors(what, codes, factors, 2, 2, 2);
  const nTrain = trainTestSplit(what, c.n, trainFraction);
  const train = c.columns.map((z) => z.subarray(0, nTrain));
  const test = c.columns.map((z) => z.subarray(nTrain));
  const d = c.d, K = f.d;
  const R = new Float64Array(d * K); // R[i * K + k]
  let accuracy = 0;
  for (let k = 0; k < K; k++) {
    const column = f.columns[k]!;
    const labels = classifierLabels(what, column.subarray(0, nTrain), k, "training rows");
    const model = fitGradientBoosting(train, labels.labels, labels.classes, {
      trees,
      maxDepth,
      learningRate,
    });
    for (let i = 0; i < d; i++) R[i * K + k] = Math.abs(model.importances[i]!);
    const predicted = model.predict(test);
    let correct = 0;
    for (let i = 0; i < predicted.length; i++) {
      if (labels.values[predicted[i]!] === column[nTrain + i]! + 0) correct++;
    }
    accuracy += correct / predicted.length;
  }
  let total = R.reduce((a, b) => a + b, 0);
  const weights = total > 0 ? R : R.map(() => 1);
  if (!(total > 0)) total = d * K;
  let disentanglement = 0;
  for (let i = 0; i < d; i++) {
    const row = Array.from({ length: K }, (_, k) => R[i * K + k]!);
    const rho = Array.from({ length: K }, (_, k) => weights[i * K + k]!).reduce((a, b) => a + b, 0);
    disentanglement += (rho / total) * (1 - normalisedEntropy(row));
  }
  let completeness = 0;
  for (let k = 0; k < K; k++) {
    const column = Array.from({ length: d }, (_, i) => R[i * K + k]!);
    const rho = Array.from({ length: d }, (_, i) => weights[i * K + k]!).reduce((a, b) => a + b, 0);
    completeness += (rho / total) * (1 - normalisedEntropy(column));
  }
  return {
    disentanglement: clamp01(disentanglement),
    completeness: clamp01(completeness),
    informativeness: accuracy / K,
  };
}

/** The entropy of (p + ε) normalised, in base len(p): in [0, 1]. */
function normalisedEntropy(p: number[]): number {
  const sum = p.reduce((a, b) => a + b + EPS, 0);
  let h = 0;
  for (const v of p) {
    const q = (v + EPS) / sum;
    h -= q * Math.log(q);
  }
  return h / Math.log(p.length);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
