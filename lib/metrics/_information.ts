// Discrete information theory for the MIG: histogram discretisation of a code
// (numpy's histogram edges and digitize, as disentanglement_lib's
// `_histogram_discretize`), entropy and mutual information of labels (as
// scikit-learn's `mutual_info_score`), all in nats.

/**
 * Puts each value in one of `bins` equal-width bins spanning [min, max] (a
 * constant column spans [v − 0.5, v + 0.5], as numpy does), returning the
 * bin index in {0, …, bins − 1}. The edges are numpy's, eᵢ = i · step + min
 * with step = (max − min) / bins, and a value goes to the last edge ≤ it:
 * `np.digitize(x, np.histogram(x, bins)[1][:-1]) − 1`.
 */
export function histogramBins(column: Float64Array, bins: number): Int32Array {
  let lo = Infinity, hi = -Infinity;
  for (const v of column) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = (hi - lo) / bins;
  const edge = (i: number): number => i * step + lo;
  const out = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const v = column[i]!;
    let k = Math.floor((v - lo) / step);
    if (!(k >= 0)) k = 0;
    if (k > bins - 1) k = bins - 1;
    // The estimate may be one off where rounding differs from numpy's edges.
    while (k < bins - 1 && edge(k + 1) <= v) k++;
    while (k > 0 && edge(k) > v) k--;
    out[i] = k;
  }
  return out;
}

/** H(a) = −Σ p log p over the classes of `a` (labels in {0, …, classes − 1}). */
export function entropy(a: Int32Array, classes: number): number {
  const counts = new Float64Array(classes);
  for (const v of a) counts[v]!++;
  const n = a.length;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return Math.max(0, h);
}

/**
 * I(a; b) = Σ p(a, b) log[p(a, b) / (p(a) p(b))] from the contingency table
 * of two label columns of one length, clipped below at 0.
 */
export function mutualInformation(
  a: Int32Array,
  classesA: number,
  b: Int32Array,
  classesB: number,
): number {
  const n = a.length;
  const joint = new Float64Array(classesA * classesB);
  const ca = new Float64Array(classesA), cb = new Float64Array(classesB);
  for (let i = 0; i < n; i++) {
    joint[a[i]! * classesB + b[i]!]!++;
    ca[a[i]!]!++;
    cb[b[i]!]!++;
  }
  const logN = Math.log(n);
  let mi = 0;
  for (let x = 0; x < classesA; x++) {
    if (ca[x] === 0) continue;
    const lx = Math.log(ca[x]!);
    for (let y = 0; y < classesB; y++) {
      const c = joint[x * classesB + y]!;
      if (c > 0) mi += (c / n) * (Math.log(c) + logN - lx - Math.log(cb[y]!));
    }
  }
  return Math.max(0, mi);
}
