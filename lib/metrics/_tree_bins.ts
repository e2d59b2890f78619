// The features of lib/metrics/_regression_tree.ts, read once per fit: each
// feature rounded to float32 (scikit-learn's trees read `X` as float32), its
// rows sorted, and the sorted rows cut into at most 256 bins. Bins only speed
// the search up: a split inside a bin is still found, exactly
// (lib/metrics/_split_search.ts). A feature of at most 256 distinct values gets
// one bin per value, one of more gets bins of about n/256 rows; cuts fall only
// between values more than 1e-7 apart (scikit-learn's FEATURE_THRESHOLD), so
// every cut is a split scikit-learn would consider.

/** The most bins of one feature (bin indices fit in a byte). */
export const MAX_BINS = 256;

/** scikit-learn's FEATURE_THRESHOLD (a float32): closer values are not split apart. */
export const FEATURE_THRESHOLD = Math.fround(1e-7);

/** The features, sorted and binned. */
export interface BinnedFeatures {
  /** The number of rows. */
  n: number;
  /** The number of features. */
  d: number;
  /** Per feature, its float32 values in row order. */
  values: Float64Array[];
  /** Row-major bins: row i's bin on feature f is `bins[i * d + f]`. */
  bins: Uint8Array;
  /** Per feature, the number of bins. */
  nBins: Int32Array;
  /** Per feature, the rows by increasing value (then index). */
  sortedRows: Int32Array[];
  /** Per feature, the values in that order. */
  sortedValues: Float64Array[];
  /** Per feature, bin b holds sorted positions [binStart[b], binStart[b + 1]). */
  binStart: Int32Array[];
  /** Per feature, 1 where a bin holds more than one value (a split may fall inside it). */
  varied: Uint8Array[];
}

/** True where scikit-learn's splitter would split between consecutive sorted values a ≤ b. */
export function apart(a: number, b: number): boolean {
  return b > Math.fround(a + FEATURE_THRESHOLD);
}

/** The threshold between consecutive distinct values a < b, as scikit-learn's splitter. */
export function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2;
  return m === b || !Number.isFinite(m) ? a : m;
}

/** Reads d feature columns of n rows each (n ≥ 1). */
export function binFeatures(columns: readonly Float64Array[]): BinnedFeatures {
  const d = columns.length, n = columns[0]!.length;
  const values = columns.map((c) => Float64Array.from(c, Math.fround));
  const bins = new Uint8Array(n * d), nBins = new Int32Array(d);
  const sortedRows: Int32Array[] = [], sortedValues: Float64Array[] = [];
  const binStart: Int32Array[] = [], varied: Uint8Array[] = [];
  for (let f = 0; f < d; f++) {
    const v = values[f]!;
    const rows = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a]! - v[b]! || a - b);
    const sorted = Float64Array.from(rows, (i) => v[i]!);
    let gaps = 0;
    for (let s = 1; s < n; s++) if (apart(sorted[s - 1]!, sorted[s]!)) gaps++;
    const starts = [0];
    for (let s = 1; s < n; s++) {
      if (!apart(sorted[s - 1]!, sorted[s]!)) continue;
      // Every gap if there are few, else about n/256 rows a bin.
      if (gaps < MAX_BINS || (s >= (starts.length * n) / MAX_BINS && starts.length < MAX_BINS)) {
        starts.push(s);
      }
    }
    starts.push(n);
    const m = starts.length - 1, mixed = new Uint8Array(m);
    for (let b = 0; b < m; b++) {
      mixed[b] = sorted[starts[b]!]! < sorted[starts[b + 1]! - 1]! ? 1 : 0;
      for (let s = starts[b]!; s < starts[b + 1]!; s++) bins[rows[s]! * d + f] = b;
    }
    nBins[f] = m;
    sortedRows.push(rows);
    sortedValues.push(sorted);
    binStart.push(Int32Array.from(starts));
    varied.push(mixed);
  }
  return { n, d, values, bins, nBins, sortedRows, sortedValues, binStart, varied };
}
