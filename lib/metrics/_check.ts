// Input checks shared by the disentanglement metrics. Rows of numbers come in
// (`number[][]`, n rows); columns go out (one Float64Array per code or factor),
// the layout every metric works on.
import { assertArrayLike, assertFinite, MAX_ARRAY_VALUES, show } from "../math/_validate.ts";

/** n rows of d numbers, read into d columns of n. */
export interface Columns {
  /** The number of rows. */
  n: number;
  /** The number of values per row. */
  d: number;
  /** Column j is `columns[j]`, of length n. */
  columns: Float64Array[];
}

/**
 * Reads `rows` (an array of n ≥ `minRows` rows, each an array of the same
 * d ≥ 1 finite numbers) into columns. Throws a TypeError naming `name` for a
 * wrong shape (ragged rows included), a RangeError for a non-finite value or
 * too few rows.
 */
export function toColumns(what: string, name: string, rows: unknown, minRows = 1): Columns {
  const arr = assertArrayLike(what, name, rows, "an array of rows (number[][])");
  const n = arr.length;
  if (n < minRows) {
    throw new RangeError(
      `${what} as ${name} must have at least ${minRows} rows: current number is ${n}`,
    );
  }
  const first = arr[0] as ArrayLike<unknown> | undefined;
  if (first === null || typeof first !== "object" || typeof first.length !== "number") {
    throw new TypeError(
      `${what} as ${name}[0] must be a row of numbers: current value is ${show(first)}`,
    );
  }
  const d = first.length;
  if (d < 1) throw new TypeError(`${what} as ${name}[0] must not be empty: current value is []`);
  if (n * d > MAX_ARRAY_VALUES) {
    throw new RangeError(
      `${what} as ${name} must hold at most 2²⁷ values: it has ${n} rows of ${d}`,
    );
  }
  const columns = Array.from({ length: d }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const row = arr[i] as ArrayLike<unknown> | null;
    if (row === null || typeof row !== "object" || row.length !== d) {
      throw new TypeError(
        `${what} as ${name}[${i}] must be a row of ${d} numbers (the length of ${name}[0]): current value is ${
          show(row)
        }`,
      );
    }
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        assertFinite(what, `${name}[${i}][${j}]`, v);
      }
      columns[j]![i] = v as number;
    }
  }
  return { n, d, columns };
}

/** Reads codes and factors of one number of rows (at least `minRows`). */
export function toCodesAndFactors(
  what: string,
  codes: unknown,
  factors: unknown,
  minRows: number,
  minCodes = 1,
  minFactors = 1,
): { codes: Columns; factors: Columns } {
  const c = toColumns(what, "codes", codes, minRows);
  const f = toColumns(what, "factors", factors, minRows);
  if (c.n !== f.n) {
    throw new TypeError(
      `${what} as codes and factors must have the same number of rows: codes has ${c.n}, factors has ${f.n}`,
    );
  }
  if (c.d < minCodes) {
    throw new RangeError(
      `${what} as codes must have at least ${minCodes} values per row (one per latent): current number is ${c.d}`,
    );
  }
  if (f.d < minFactors) {
    throw new RangeError(
      `${what} as factors must have at least ${minFactors} values per row (one per factor): current number is ${f.d}`,
    );
  }
  return { codes: c, factors: f };
}

/** A column read as class labels: each distinct value is one class, in increasing order. */
export interface Labels {
  /** The class of each row, in {0, …, classes − 1}. */
  labels: Int32Array;
  /** The number of distinct values. */
  classes: number;
  /** The distinct values, increasing. */
  values: Float64Array;
}

/** Reads a column as class labels (like numpy's `unique(…, return_inverse=True)`). */
export function toLabels(column: Float64Array): Labels {
  const values = Float64Array.from(new Set(Array.from(column, (v) => v + 0))).sort();
  const index = new Map<number, number>();
  values.forEach((v, k) => index.set(v, k));
  const labels = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) labels[i] = index.get(column[i]!)!;
  return { labels, classes: values.length, values };
}

/** The most classes a factor may have where a classifier is trained on it. */
export const MAX_CLASSES = 256;

/**
 * Reads factor j as class labels for a classifier, refusing a factor with one
 * value (nothing to classify) or more than {@linkcode MAX_CLASSES} values (a
 * continuous factor, which the metric does not take).
 */
export function classifierLabels(
  what: string,
  column: Float64Array,
  j: number,
  rows: string,
): Labels {
  const l = toLabels(column);
  if (l.classes < 2) {
    throw new RangeError(
      `${what} as factor ${j} takes a single value (${
        l.values[0]
      }) in the ${rows}: a classifier needs at least 2 classes`,
    );
  }
  if (l.classes > MAX_CLASSES) {
    throw new RangeError(
      `${what} as factor ${j} takes ${l.classes} distinct values in the ${rows}: factors are class labels and at most ${MAX_CLASSES} are accepted (discretise a continuous factor first)`,
    );
  }
  return l;
}

/**
 * Splits n rows as disentanglement_lib's `split_train_test`: the first
 * ⌈n · trainFraction⌉ rows train, the rest test; both must be non-empty.
 */
export function trainTestSplit(what: string, n: number, trainFraction: number): number {
  const nTrain = Math.ceil(n * trainFraction);
  if (nTrain < 1 || nTrain >= n) {
    throw new RangeError(
      `${what} as ${n} rows with trainFraction ${trainFraction} leave ${nTrain} rows to train and ${
        n - nTrain
      } to test: both must be at least 1`,
    );
  }
  return nTrain;
}
