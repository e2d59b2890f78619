import { readOptions } from "../math/_options.ts";
import { classifierLabels, toCodesAndFactors, trainTestSplit } from "./_check.ts";
import { fitSvm1d, predictSvm1d } from "./_linear_svm.ts";

/** Options of {@linkcode sapScore}. */
export interface SapOptions {
  /**
   * The fraction of rows that trains the classifiers (default 2/3, as
   * disentanglement_lib's 10,000 train and 5,000 test points): the first
   * ⌈n · trainFraction⌉ rows train, the rest test.
   */
  trainFraction?: number;
  /** The SVM's regularisation constant C (default 0.01, as disentanglement_lib). */
  svmC?: number;
}

/**
 * The Separated Attribute Predictability score of Kumar et al. (2018),
 * "Variational Inference of Disentangled Latent Concepts from Unlabeled
 * Observations", for discrete factors as disentanglement_lib computes it:
 * for each code zᵢ and factor vₖ a linear SVM (squared hinge, C = 0.01,
 * balanced class weights, one-vs-rest) is trained on the single code and
 * scored by its accuracy Sᵢₖ on held-out rows; the score is the mean gap
 * between the two most predictive codes of each factor:
 *
 * ```text
 * SAP = (1/K) Σₖ [ S_{(1)k} − S_{(2)k} ],   S_{(1)k} ≥ S_{(2)k} the two largest of S_{·k}
 * ```
 *
 * A one-dimensional linear classifier can single out the two extreme values of
 * an ordered factor and little between them, so for factors of many values
 * (dSprites' 40 orientations, 32 positions) even a perfect code scores well
 * below 1, and an uninformative code scores about 1/(values), not 0.
 *
 * @param codes n rows of latent codes, at least 2 per row.
 * @param factors n rows of factors, read as class labels (2 to 256 values each in the training rows).
 * @param options `trainFraction` (default 2/3), `svmC` (default 0.01).
 * @returns The SAP score, in [0, 1].
 * @throws {TypeError} If codes or factors are not arrays of rows of one
 *   length, their numbers of rows differ, or an option is unknown.
 * @throws {RangeError} If a value is not finite, there are fewer than 2
 *   codes, the split leaves no row to train or test, or a factor takes one
 *   value or more than 256 values in the training rows.
 *
 * @example A code per factor against codes of noise
 * ```ts
 * import { sapScore } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * const factors = Array.from({ length: 600 }, (_, i) => [i % 2, Math.floor(i / 2) % 3]);
 * const noise = (i: number) => ((i * 7919) % 1000) / 1000;
 * const good = factors.map(([a, b], i) => [a!, b!, noise(i)]);
 * const bad = factors.map((_, i) => [noise(i), noise(i + 500), noise(i + 250)]);
 * assert.ok(sapScore(good, factors) > 0.4);
 * assert.ok(sapScore(bad, factors) < 0.1);
 * ```
 */
export function sapScore(codes: number[][], factors: number[][], options?: SapOptions): number {
  const what = "Cannot compute the SAP score";
  const o = readOptions(what, options, ["trainFraction", "svmC"]);
  const trainFraction = o.number("trainFraction", {
    min: 0,
    max: 1,
    minExclusive: true,
    default: 2 / 3,
  });
  const cost = o.number("svmC", { min: 0, max: 1e12, minExclusive: true, default: 0.01 });
  const { codes: c, factors: f } = toCodesAndFactors(what, codes, factors, 2, 2);
  const nTrain = trainTestSplit(what, c.n, trainFraction);
  let sum = 0;
  for (let k = 0; k < f.d; k++) {
    const column = f.columns[k]!;
    const train = classifierLabels(what, column.subarray(0, nTrain), k, "training rows");
    const index = new Map<number, number>();
    train.values.forEach((v, j) => index.set(v, j));
    // A test value unseen in training is a class no classifier can predict.
    const testLabels = Int32Array.from(column.subarray(nTrain), (v) => index.get(v + 0) ?? -1);
    let first = 0, second = 0;
    for (const z of c.columns) {
      const model = fitSvm1d(z.subarray(0, nTrain), train.labels, train.classes, cost);
      const predicted = predictSvm1d(model, z.subarray(nTrain));
      let correct = 0;
      for (let i = 0; i < predicted.length; i++) if (predicted[i] === testLabels[i]) correct++;
      const accuracy = correct / predicted.length;
      if (accuracy > first) [first, second] = [accuracy, first];
      else if (accuracy > second) second = accuracy;
    }
    sum += first - second;
  }
  return sum / f.d;
}
