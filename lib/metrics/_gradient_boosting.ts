// Gradient-boosted classification trees with impurity feature importances, as
// scikit-learn's `GradientBoostingClassifier()` that disentanglement_lib's DCI
// fits per factor: multinomial deviance (one regression tree per class and
// stage; a single tree per stage for two classes), trees of depth 3 grown on
// the squared error of the negative gradient, leaves set by one Newton step,
// shrinkage 0.1, 100 stages, initial scores the log class priors (Friedman
// 2001). A feature's importance is the squared-error reduction of the splits
// on it summed over all trees, normalised to sum 1.
//
// Trees split exactly, at the midpoints between consecutive distinct values of
// each feature, as scikit-learn's `DecisionTreeRegressor` (features read as
// float32, as its `X`); a split tied between features shares its reduction
// equally between them in the importances (lib/metrics/_split_search.ts).
import { type Tree, TreeGrower } from "./_regression_tree.ts";
import { binFeatures } from "./_tree_bins.ts";

/** The settings of the ensemble. */
export interface BoostingOptions {
  /** Boosting stages (scikit-learn's n_estimators). */
  trees: number;
  /** Depth of each tree. */
  maxDepth: number;
  /** Shrinkage of each tree's contribution. */
  learningRate: number;
}

/** A fitted ensemble. */
export interface Boosted {
  /** One importance per feature, summing to 1 (all 0 if no tree ever split). */
  importances: Float64Array;
  /** The class of each row of `columns` (one column per feature, of one length). */
  predict(columns: readonly Float64Array[]): Int32Array;
}

/**
 * Fits the ensemble on features `columns` (d columns of n) and labels in
 * {0, …, classes − 1}, classes ≥ 2, every class present.
 */
export function fitGradientBoosting(
  columns: readonly Float64Array[],
  labels: Int32Array,
  classes: number,
  options: BoostingOptions,
): Boosted {
  const d = columns.length, n = labels.length;
  const { trees: stages, maxDepth, learningRate } = options;
  const K = classes === 2 ? 1 : classes;
  const counts = new Float64Array(classes);
  for (const l of labels) counts[l]!++;
  const init = new Float64Array(K);
  if (K === 1) init[0] = Math.log(counts[1]! / counts[0]!);
  else for (let k = 0; k < K; k++) init[k] = Math.log(counts[k]! / n);
  // Scores and probabilities class-major: class k's n values lie together.
  const raw = new Float64Array(n * K);
  for (let k = 0; k < K; k++) raw.fill(init[k]!, k * n, (k + 1) * n);

  const grower = new TreeGrower(binFeatures(columns), maxDepth);
  const importances = new Float64Array(d);
  const forest: Tree[][] = [];
  const r = new Float64Array(n), h = new Float64Array(n), p = new Float64Array(n * K);
  const max = new Float64Array(n), sum = new Float64Array(n);
  const factor = K === 1 ? 1 : (K - 1) / K;
  for (let stage = 0; stage < stages; stage++) {
    // Probabilities at the start of the stage, as scikit-learn.
    if (K === 1) { for (let i = 0; i < n; i++) p[i] = 1 / (1 + Math.exp(-raw[i]!)); }
    else {
      max.fill(-Infinity);
      sum.fill(0);
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < n; i++) if (raw[k * n + i]! > max[i]!) max[i] = raw[k * n + i]!;
      }
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < n; i++) sum[i]! += p[k * n + i] = Math.exp(raw[k * n + i]! - max[i]!);
      }
      for (let k = 0; k < K; k++) for (let i = 0; i < n; i++) p[k * n + i]! /= sum[i]!;
    }
    const stageTrees: Tree[] = [];
    for (let k = 0; k < K; k++) {
      const positive = K === 1 ? 1 : k, offset = k * n;
      for (let i = 0; i < n; i++) {
        const pk = p[offset + i]!;
        r[i] = (labels[i] === positive ? 1 : 0) - pk;
        h[i] = pk * (1 - pk);
      }
      const { tree, leafOf } = grower.grow(r, h, factor, importances);
      for (let i = 0; i < n; i++) raw[offset + i]! += learningRate * tree.value[leafOf[i]!]!;
      stageTrees.push(tree);
    }
    forest.push(stageTrees);
  }
  const total = importances.reduce((a, b) => a + b, 0);
  if (total > 0) { for (let f = 0; f < d; f++) importances[f]! /= total; }

  return {
    importances,
    predict(test: readonly Float64Array[]): Int32Array {
      const m = test[0]!.length;
      const out = new Int32Array(m);
      const score = new Float64Array(K);
      for (let i = 0; i < m; i++) {
        score.set(init);
        for (const stageTrees of forest) {
          for (let k = 0; k < K; k++) {
            const t = stageTrees[k]!;
            let node = 0;
            while (t.feature[node]! >= 0) {
              node = Math.fround(test[t.feature[node]!]![i]!) <= t.threshold[node]!
                ? t.left[node]!
                : t.right[node]!;
            }
            score[k]! += learningRate * t.value[node]!;
          }
        }
        if (K === 1) out[i] = score[0]! > 0 ? 1 : 0;
        else {
          let best = 0;
          for (let k = 1; k < K; k++) if (score[k]! > score[best]!) best = k;
          out[i] = best;
        }
      }
      return out;
    },
  };
}
