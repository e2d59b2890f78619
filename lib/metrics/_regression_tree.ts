// Least-squares regression trees grown level by level on binned features, the
// trees of lib/metrics/_gradient_boosting.ts: a node's split is the one of
// largest squared-error reduction among all features and bin boundaries,
// found from (Σr, count) histograms — the smaller child scanned, its sibling
// the parent's histogram less it.

/** The most bins of one feature (bin indices fit in a byte). */
export const MAX_BINS = 256;

/** One regression tree, as flat arrays; node 0 is the root, a leaf has feature −1. */
export interface Tree {
  feature: Int16Array;
  threshold: Float64Array;
  left: Int16Array;
  right: Int16Array;
  value: Float64Array;
}

/** Grows depth-limited least-squares trees on binned features, reusing its buffers. */
export class TreeGrower {
  readonly #bins: Uint8Array;
  readonly #d: number;
  readonly #nBins: number[];
  readonly #cuts: Float64Array[];
  readonly #maxDepth: number;
  readonly #width: number; // histogram values per node: 2 × d × MAX_BINS
  readonly #order: Int32Array;
  readonly #leafOf: Int32Array;
  readonly #hist: Float64Array[]; // per node: (Σr, count) per (feature, bin) slot, interleaved
  readonly #squares: Float64Array; // Σ r² per node

  constructor(
    bins: Uint8Array,
    d: number,
    nBins: number[],
    cuts: Float64Array[],
    maxDepth: number,
    n: number,
  ) {
    this.#bins = bins;
    this.#d = d;
    this.#nBins = nBins;
    this.#cuts = cuts;
    this.#maxDepth = maxDepth;
    this.#width = 2 * d * MAX_BINS;
    this.#order = new Int32Array(n);
    this.#leafOf = new Int32Array(n);
    // Only nodes above the last level are split, and they are numbered first.
    const inner = 2 ** maxDepth - 1;
    this.#hist = Array.from({ length: inner }, () => new Float64Array(this.#width));
    this.#squares = new Float64Array(inner);
  }

  #histogram(node: number, start: number, end: number, r: Float64Array): void {
    const hist = this.#hist[node]!;
    hist.fill(0);
    const bins = this.#bins, d = this.#d, order = this.#order;
    let squares = 0;
    for (let s = start; s < end; s++) {
      const i = order[s]!, ri = r[i]!, base = i * d;
      squares += ri * ri;
      for (let f = 0; f < d; f++) {
        const slot = ((f << 8) + bins[base + f]!) << 1; // MAX_BINS = 256
        hist[slot]! += ri;
        hist[slot + 1]!++;
      }
    }
    this.#squares[node] = squares;
  }

  #subtract(into: number, parent: number, sibling: number): void {
    const h = this.#hist[into]!, ph = this.#hist[parent]!, sh = this.#hist[sibling]!;
    for (let j = 0; j < this.#width; j++) h[j] = ph[j]! - sh[j]!;
    this.#squares[into] = this.#squares[parent]! - this.#squares[sibling]!;
  }

  /**
   * Grows one tree on residuals `r`, leaves set to factor · Σr / Σh, adding
   * each split's squared-error reduction to `importances`.
   */
  grow(
    r: Float64Array,
    h: Float64Array,
    factor: number,
    importances: Float64Array,
  ): { tree: Tree; leafOf: Int32Array } {
    const n = r.length, d = this.#d, order = this.#order, bins = this.#bins;
    for (let i = 0; i < n; i++) order[i] = i;
    const maxNodes = 2 ** (this.#maxDepth + 1) - 1;
    const tree: Tree = {
      feature: new Int16Array(maxNodes).fill(-1),
      threshold: new Float64Array(maxNodes),
      left: new Int16Array(maxNodes),
      right: new Int16Array(maxNodes),
      value: new Float64Array(maxNodes),
    };
    // Nodes in breadth-first order: [node, start, end, depth, hasHistogram].
    const queue: [number, number, number, number][] = [[0, 0, n, 0]];
    let next = 1;
    this.#histogram(0, 0, n, r);
    while (queue.length > 0) {
      const [node, start, end, depth] = queue.shift()!;
      let split: { f: number; b: number; gain: number } | null = null;
      if (depth < this.#maxDepth && end - start >= 2) split = this.#bestSplit(node);
      if (split === null) {
        let sr = 0, sh = 0;
        for (let s = start; s < end; s++) {
          sr += r[order[s]!]!;
          sh += h[order[s]!]!;
        }
        tree.value[node] = Math.abs(sh) < 1e-150 ? 0 : (factor * sr) / sh;
        for (let s = start; s < end; s++) this.#leafOf[order[s]!] = node;
        continue;
      }
      importances[split.f]! += split.gain;
      // Partition the node's rows: bin ≤ b goes left.
      let lo = start, hi = end - 1;
      while (lo <= hi) {
        if (bins[order[lo]! * d + split.f]! <= split.b) lo++;
        else {
          const t = order[lo]!;
          order[lo] = order[hi]!;
          order[hi--] = t;
        }
      }
      const left = next++, right = next++;
      tree.feature[node] = split.f;
      tree.threshold[node] = this.#cuts[split.f]![split.b]!;
      tree.left[node] = left;
      tree.right[node] = right;
      if (depth + 1 < this.#maxDepth) {
        // Histogram the smaller child by a scan, the other by subtraction.
        const [small, large] = lo - start <= end - lo ? [left, right] : [right, left];
        const [s0, s1] = small === left ? [start, lo] : [lo, end];
        this.#histogram(small, s0, s1, r);
        this.#subtract(large, node, small);
      }
      queue.push([left, start, lo, depth + 1], [right, lo, end, depth + 1]);
    }
    return { tree, leafOf: this.#leafOf };
  }

  /**
   * The split of largest squared-error reduction G_L²/N_L + G_R²/N_R − G²/N,
   * or null when the node is pure (its squared error Σr² − G²/N is rounding
   * noise: scikit-learn's impurity ≤ ε) or no split reduces the error.
   */
  #bestSplit(node: number): { f: number; b: number; gain: number } | null {
    const hist = this.#hist[node]!;
    let best: { f: number; b: number; gain: number } | null = null;
    // Totals from feature 0's bins (every feature's bins hold the same rows).
    let G = 0, N = 0;
    for (let b = 0; b < this.#nBins[0]!; b++) {
      G += hist[2 * b]!;
      N += hist[2 * b + 1]!;
    }
    const parent = (G * G) / N;
    const error = this.#squares[node]! - parent;
    if (!(error > 1e-13 * this.#squares[node]!)) return null;
    for (let f = 0; f < this.#d; f++) {
      let gl = 0, nl = 0;
      const base = 2 * f * MAX_BINS;
      for (let b = 0; b + 1 < this.#nBins[f]!; b++) {
        gl += hist[base + 2 * b]!;
        nl += hist[base + 2 * b + 1]!;
        if (nl === 0 || nl === N) continue;
        const gr = G - gl, nr = N - nl;
        const gain = (gl * gl) / nl + (gr * gr) / nr - parent;
        if (best === null ? gain > 1e-12 * error : gain > best.gain) {
          best = { f, b, gain };
        }
      }
    }
    return best;
  }
}
