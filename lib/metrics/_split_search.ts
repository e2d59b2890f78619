// The split search of lib/metrics/_regression_tree.ts's trees, exact as
// scikit-learn's `BestSplitter`: every feature is tried at the midpoint between
// each two consecutive distinct values in the node (float32 values more than
// 1e-7 apart), and the split of largest squared-error reduction wins.
//
// It seldom looks at every row. The node's histogram (Σr, count, Σr⁺ for each
// bin of each feature; lib/metrics/_tree_bins.ts) scores every split between
// bins at once. A split inside bin b moves part of the bin left, so its left
// sum lies between the sums before the bin plus the bin's negative or its
// positive residuals, and its left count between theirs: that bounds its
// reduction, and only bins whose bound reaches the best split found so far
// are scanned row by row, in the feature's sorted order with the node's rows
// picked out — at the root, a few dozen bins of 1,536 on 10,000 rows and six
// features.
//
// Splits of equal reduction on several features (to a relative 1e-12: a
// duplicated feature, or one an increasing map of another) share that
// reduction equally in the importances; the split applied is the
// lowest-numbered feature's. scikit-learn visits features in a random order
// and keeps the first of tied splits, so sharing is the expectation of its
// importances.
import { apart, type BinnedFeatures, midpoint } from "./_tree_bins.ts";

/** Two splits whose reductions differ by less than this, relatively, are tied. */
const TIE = 1e-12;

/** A node's split: the feature applied, its threshold, the reduction and the features tied for it. */
export interface Split {
  feature: number;
  threshold: number;
  gain: number;
  tied: number[];
}

/** Finds the best split of a node, reusing its buffers. */
export class SplitSearch {
  readonly #x: BinnedFeatures;
  readonly #nodeOf: Int32Array;
  // Per feature, the best split found so far in the node: reduction num/den
  // (scikit-learn's proxy, N times the reduction) and where it lies — after
  // bin `at`, or inside a bin between values lo and hi (at = −1).
  readonly #num: Float64Array;
  readonly #den: Float64Array;
  readonly #at: Int32Array;
  readonly #lo: Float64Array;
  readonly #hi: Float64Array;

  /**
   * @param x The features, binned.
   * @param nodeOf The node of each row, kept up to date by the tree grower.
   */
  constructor(x: BinnedFeatures, nodeOf: Int32Array) {
    this.#x = x;
    this.#nodeOf = nodeOf;
    this.#num = new Float64Array(x.d);
    this.#den = new Float64Array(x.d);
    this.#at = new Int32Array(x.d);
    this.#lo = new Float64Array(x.d);
    this.#hi = new Float64Array(x.d);
  }

  /**
   * The split of largest reduction G_L²/N_L + G_R²/N_R − G²/N of the node
   * whose rows have `nodeOf` = node, from its histogram (Σr, count, Σr⁺ per
   * feature and bin) and Σr²; undefined when the node is pure (its squared
   * error Σr² − G²/N is rounding noise: scikit-learn's impurity ≤ ε) or no
   * split reduces the error.
   */
  find(hist: Float64Array, squares: number, node: number, r: Float64Array): Split | undefined {
    const x = this.#x, d = x.d;
    const num = this.#num, den = this.#den, at = this.#at;
    let G = 0, N = 0; // from feature 0's bins: every feature's bins hold the same rows
    for (let b = 0; b < x.nBins[0]!; b++) {
      G += hist[3 * b]!;
      N += hist[3 * b + 1]!;
    }
    const error = squares - (G * G) / N;
    if (!(error > 1e-13 * squares)) return undefined;
    // Splits between bins, scored from the histograms.
    let best = -1;
    for (let f = 0; f < d; f++) {
      num[f] = -1;
      den[f] = 1;
      at[f] = -1;
      let gl = 0, nl = 0;
      for (let b = 0, base = 3 * (f << 8); b + 1 < x.nBins[f]!; b++) {
        const count = hist[base + 3 * b + 1]!;
        if (count === 0) continue;
        gl += hist[base + 3 * b]!;
        nl += count;
        if (nl === N) break;
        const nr = N - nl, diff = nr * gl - nl * (G - gl), q = diff * diff, p = nl * nr;
        if (q * den[f]! > num[f]! * p) {
          num[f] = q;
          den[f] = p;
          at[f] = b;
        }
      }
      best = Math.max(best, num[f]! / den[f]!);
    }
    // Splits inside bins, where the bound allows.
    for (let f = 0; f < d; f++) {
      const varied = x.varied[f]!;
      let g0 = 0, n0 = 0;
      for (let b = 0, base = 3 * (f << 8); b < x.nBins[f]!; b++) {
        const g = hist[base + 3 * b]!, c = hist[base + 3 * b + 1]!;
        if (
          c >= 2 && varied[b] === 1 &&
          bound(G, N, g0, n0, g, c, hist[base + 3 * b + 2]!) >= best * (1 - TIE)
        ) {
          best = Math.max(best, this.#scanBin(f, b, node, r, G, N, g0, n0));
        }
        g0 += g;
        n0 += c;
      }
    }
    const gain = best / N;
    if (!(gain > 1e-12 * error)) return undefined;
    const tied: number[] = [];
    for (let f = 0; f < d; f++) if (num[f]! / den[f]! >= best * (1 - TIE)) tied.push(f);
    const feature = tied[0]!;
    const threshold = at[feature]! < 0
      ? midpoint(this.#lo[feature]!, this.#hi[feature]!)
      : this.#between(feature, at[feature]!, node);
    return { feature, threshold, gain, tied };
  }

  /**
   * Scores the splits inside bin b of feature f, the node's rows taken in
   * sorted order from the sums (g0, n0) of the bins before; keeps the best in
   * the feature's record and returns that record's proxy.
   */
  #scanBin(
    f: number,
    b: number,
    node: number,
    r: Float64Array,
    G: number,
    N: number,
    g0: number,
    n0: number,
  ): number {
    const rows = this.#x.sortedRows[f]!, values = this.#x.sortedValues[f]!;
    const nodeOf = this.#nodeOf, end = this.#x.binStart[f]![b + 1]!;
    let num = this.#num[f]!, den = this.#den[f]!, gl = g0, nl = n0, last = NaN;
    for (let s = this.#x.binStart[f]![b]!; s < end; s++) {
      const i = rows[s]!;
      if (nodeOf[i] !== node) continue;
      const v = values[s]!;
      // The split before the bin's first row is one between bins, scored already.
      if (last === last && apart(last, v)) {
        const nr = N - nl, diff = nr * gl - nl * (G - gl), q = diff * diff, p = nl * nr;
        if (q * den > num * p) {
          num = q;
          den = p;
          this.#at[f] = -1;
          this.#lo[f] = last;
          this.#hi[f] = v;
        }
      }
      gl += r[i]!;
      nl++;
      last = v;
    }
    this.#num[f] = num;
    this.#den[f] = den;
    return num / den;
  }

  /** The threshold of the split after bin b of feature f: between the node's values either side. */
  #between(f: number, b: number, node: number): number {
    const rows = this.#x.sortedRows[f]!, values = this.#x.sortedValues[f]!;
    const starts = this.#x.binStart[f]!, nodeOf = this.#nodeOf;
    let s = starts[b + 1]! - 1;
    while (nodeOf[rows[s]!] !== node) s--;
    const lo = values[s]!;
    s = starts[b + 1]!;
    while (nodeOf[rows[s]!] !== node) s++;
    return midpoint(lo, values[s]!);
  }
}

/**
 * An upper bound on the proxy (N_R·G_L − N_L·G_R)² / (N_L·N_R) of every split
 * inside a bin of c rows, sum g and positive part pos, that follows bins of
 * sums (g0, n0): G_L lies in [g0 + g − pos, g0 + pos] and N_L in
 * [n0 + 1, n0 + c − 1], and N_R·G_L − N_L·G_R = N·G_L − N_L·G is linear in
 * both. A little slack covers rounding.
 */
function bound(
  G: number,
  N: number,
  g0: number,
  n0: number,
  g: number,
  c: number,
  pos: number,
): number {
  const gLow = g0 + g - pos, gHigh = g0 + pos, nLow = n0 + 1, nHigh = n0 + c - 1;
  // |N·G_L − N_L·G| is largest at a corner: the top of one range less the bottom of the other.
  const a = nLow * G, b = nHigh * G;
  const diff = Math.max(N * gHigh - Math.min(a, b), Math.max(a, b) - N * gLow) +
    1e-9 * N * (Math.abs(gLow) + Math.abs(gHigh) + Math.abs(G) + 2 * pos - g);
  return (diff * diff) / Math.min(nLow * (N - nLow), nHigh * (N - nHigh)) * (1 + 1e-9);
}
