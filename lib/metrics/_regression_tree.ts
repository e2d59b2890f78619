// Least-squares regression trees with exact splits, the trees of
// lib/metrics/_gradient_boosting.ts, grown as scikit-learn's exact trees
// (the split search: lib/metrics/_split_search.ts). Nodes are split breadth
// first; each keeps a histogram of its rows over the features' bins, the
// smaller child's scanned and its sibling's the parent's less it.
import { SplitSearch } from "./_split_search.ts";
import { type BinnedFeatures, MAX_BINS } from "./_tree_bins.ts";

/** One regression tree, as flat arrays; node 0 is the root, a leaf has feature −1. */
export interface Tree {
  feature: Int16Array;
  threshold: Float64Array;
  left: Int16Array;
  right: Int16Array;
  value: Float64Array;
}

/** Grows depth-limited least-squares trees on fixed features, reusing its buffers. */
export class TreeGrower {
  readonly #x: BinnedFeatures;
  readonly #maxDepth: number;
  readonly #order: Int32Array; // rows, each node's contiguous
  readonly #nodeOf: Int32Array;
  readonly #hist: Float64Array[]; // per inner node: (Σr, count, Σr⁺) per (feature, bin)
  readonly #squares: Float64Array; // Σr² per inner node
  readonly #search: SplitSearch;

  /**
   * @param x The features, binned (lib/metrics/_tree_bins.ts).
   * @param maxDepth The depth of every tree (1 to 6).
   */
  constructor(x: BinnedFeatures, maxDepth: number) {
    this.#x = x;
    this.#maxDepth = maxDepth;
    this.#order = new Int32Array(x.n);
    this.#nodeOf = new Int32Array(x.n);
    // Only nodes above the last level are split, and they are numbered first.
    const inner = 2 ** maxDepth - 1;
    this.#hist = Array.from({ length: inner }, () => new Float64Array(3 * x.d * MAX_BINS));
    this.#squares = new Float64Array(inner);
    this.#search = new SplitSearch(x, this.#nodeOf);
  }

  /**
   * Grows one tree on residuals `r`, leaves set to factor · Σr / Σh, adding
   * each split's squared-error reduction to `importances` (shared equally
   * between the features tied for it). `leafOf` is the leaf of each row.
   */
  grow(
    r: Float64Array,
    h: Float64Array,
    factor: number,
    importances: Float64Array,
  ): { tree: Tree; leafOf: Int32Array } {
    const n = r.length, order = this.#order, nodeOf = this.#nodeOf;
    const maxNodes = 2 ** (this.#maxDepth + 1) - 1;
    const tree: Tree = {
      feature: new Int16Array(maxNodes).fill(-1),
      threshold: new Float64Array(maxNodes),
      left: new Int16Array(maxNodes),
      right: new Int16Array(maxNodes),
      value: new Float64Array(maxNodes),
    };
    for (let i = 0; i < n; i++) order[i] = i;
    nodeOf.fill(0);
    // Nodes in breadth-first order: [node, start, end, depth].
    const queue: [number, number, number, number][] = [[0, 0, n, 0]];
    let next = 1;
    this.#histogram(0, 0, n, r);
    while (queue.length > 0) {
      const [node, start, end, depth] = queue.shift()!;
      const split = depth < this.#maxDepth && end - start >= 2
        ? this.#search.find(this.#hist[node]!, this.#squares[node]!, node, r)
        : undefined;
      if (split === undefined) continue; // a leaf: its rows keep nodeOf = node
      for (const f of split.tied) importances[f]! += split.gain / split.tied.length;
      const { feature, threshold } = split, column = this.#x.values[feature]!;
      const left = next++, right = next++;
      tree.feature[node] = feature;
      tree.threshold[node] = threshold;
      tree.left[node] = left;
      tree.right[node] = right;
      if (depth + 1 === this.#maxDepth) {
        // The children are leaves: label the rows, no need to move them.
        for (let s = start; s < end; s++) {
          const i = order[s]!;
          nodeOf[i] = column[i]! <= threshold ? left : right;
        }
        continue;
      }
      let lo = start, hi = end - 1;
      while (lo <= hi) {
        const i = order[lo]!;
        if (column[i]! <= threshold) {
          nodeOf[i] = left;
          lo++;
        } else {
          nodeOf[i] = right;
          order[lo] = order[hi]!;
          order[hi--] = i;
        }
      }
      // Histogram the smaller child by a scan, the other by subtraction.
      const [small, large] = lo - start <= end - lo ? [left, right] : [right, left];
      const [s0, s1] = small === left ? [start, lo] : [lo, end];
      this.#histogram(small, s0, s1, r);
      this.#subtract(large, node, small);
      queue.push([left, start, lo, depth + 1], [right, lo, end, depth + 1]);
    }
    const sr = new Float64Array(maxNodes), sh = new Float64Array(maxNodes);
    for (let i = 0; i < n; i++) {
      sr[nodeOf[i]!]! += r[i]!;
      sh[nodeOf[i]!]! += h[i]!;
    }
    for (let node = 0; node < next; node++) {
      if (tree.feature[node]! < 0) {
        tree.value[node] = Math.abs(sh[node]!) < 1e-150 ? 0 : (factor * sr[node]!) / sh[node]!;
      }
    }
    return { tree, leafOf: nodeOf };
  }

  #histogram(node: number, start: number, end: number, r: Float64Array): void {
    const hist = this.#hist[node]!, bins = this.#x.bins, d = this.#x.d, order = this.#order;
    hist.fill(0);
    let squares = 0;
    for (let s = start; s < end; s++) {
      const i = order[s]!, ri = r[i]!, positive = ri > 0 ? ri : 0, base = i * d;
      squares += ri * ri;
      for (let f = 0; f < d; f++) {
        const slot = 3 * ((f << 8) + bins[base + f]!); // MAX_BINS = 256
        hist[slot]! += ri;
        hist[slot + 1]!++;
        hist[slot + 2]! += positive;
      }
    }
    this.#squares[node] = squares;
  }

  #subtract(into: number, parent: number, sibling: number): void {
    const h = this.#hist[into]!, ph = this.#hist[parent]!, sh = this.#hist[sibling]!;
    for (let j = 0; j < h.length; j++) h[j] = ph[j]! - sh[j]!;
    this.#squares[into] = this.#squares[parent]! - this.#squares[sibling]!;
  }
}
