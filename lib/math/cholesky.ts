import { assertArrayLike, assertCount, MIN_NORMAL, show, toSquareMatrix } from "./_validate.ts";

/** A square matrix: rows (`number[][]`) or flat values in row-major order. */
export type MatrixLike = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/**
 * Reads a {@linkcode MatrixLike} into a flat row-major copy and its size,
 * checking that it is square and that every entry is a finite number.
 */
export function toFlatMatrix(
  matrix: MatrixLike,
  name = "matrix",
  what = `Cannot read ${name}`,
): { data: Float64Array; size: number } {
  const kind = "a square matrix (rows, or flat row-major values)";
  const arr = assertArrayLike(what, name, matrix, kind);
  const first = arr[0];
  if (arr.length > 0 && typeof first === "object" && first !== null) {
    return { data: toSquareMatrix(what, name, arr, arr.length), size: arr.length };
  }
  const n = Math.round(Math.sqrt(arr.length));
  if (n * n !== arr.length || n === 0) {
    throw new TypeError(
      `${what} as ${name} must be ${kind}: its ${arr.length} values are not a non-zero perfect square`,
    );
  }
  return { data: toSquareMatrix(what, name, arr, n), size: n };
}

/**
 * The lower Cholesky factor L of a symmetric positive-definite matrix,
 * Σ = L Lᵀ, by the Cholesky–Banachiewicz recurrence:
 *
 * ```text
 * Lⱼⱼ = √(Σⱼⱼ − Σₖ<ⱼ Lⱼₖ²)
 * Lᵢⱼ = (Σᵢⱼ − Σₖ<ⱼ Lᵢₖ Lⱼₖ) / Lⱼⱼ        (i > j)
 * ```
 *
 * @param matrix The matrix, as rows or flat row-major values.
 * @returns L, flat row-major (`size × size`, zeros above the diagonal).
 * @throws {TypeError} If the matrix is not square or an entry is not a number.
 * @throws {RangeError} If an entry is not finite, the matrix is not
 *   symmetric, or it is not positive definite; the message gives the pivot
 *   where the factorisation broke.
 *
 * @example
 * ```ts
 * import { cholesky } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const L = cholesky([[4, 2], [2, 5]]);
 * assert.deepEqual(Array.from(L), [2, 0, 1, 2]);
 * ```
 */
export function cholesky(matrix: MatrixLike): Float64Array {
  const { data: a, size: n } = toFlatMatrix(matrix, "matrix", "Cannot factorise matrix");
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = a[i * n + j]!, y = a[j * n + i]!;
      if (Math.abs(x - y) > 1e-10 * Math.max(Math.abs(x), Math.abs(y), Number.MIN_VALUE)) {
        throw new RangeError(
          `Cannot factorise matrix as it is not symmetric: entry (${i}, ${j}) is ${x} but (${j}, ${i}) is ${y}`,
        );
      }
    }
  }
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! ** 2;
    if (!(d > 0) || !Number.isFinite(d) || Math.sqrt(d) < MIN_NORMAL) {
      throw new RangeError(
        `Cannot factorise matrix as it is not positive definite: pivot ${j} (row and column ${j}) is ${d} after elimination (the diagonal entry was ${
          a[j * n + j]
        })`,
      );
    }
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/**
 * log det Σ from its Cholesky factor: `log det Σ = 2 Σᵢ log Lᵢᵢ`, which
 * stays finite where det Σ itself under- or overflows.
 *
 * @param L Lower Cholesky factor (flat row-major, n × n; only the diagonal
 *   is read).
 * @param n Its size, an integer ≥ 1.
 * @returns log det (L Lᵀ).
 * @throws {TypeError} If `L` is not an array of n² numbers.
 * @throws {RangeError} If `n` is not an integer ≥ 1, or a diagonal entry is
 *   not finite and > 0 (a Cholesky factor has a positive diagonal).
 *
 * @example
 * ```ts
 * import { cholesky, logDetFromCholesky } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const L = cholesky([[4, 2], [2, 5]]); // det = 16
 * assert.ok(Math.abs(logDetFromCholesky(L, 2) - Math.log(16)) < 1e-14);
 * ```
 */
export function logDetFromCholesky(L: ArrayLike<number>, n: number): number {
  const what = "Cannot compute logDetFromCholesky";
  assertCount(what, "n", n, 1);
  assertCount(what, "n", n, 1, n);
  const l = assertArrayLike(what, "L", L, `a flat row-major ${n}×${n} matrix`);
  if (l.length !== n * n) {
    throw new TypeError(
      `${what} as L must hold n × n = ${n * n} values (n is ${n}): current length is ${l.length}`,
    );
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = l[i * n + i];
    if (typeof d !== "number") {
      throw new TypeError(`${what} as L[${i}][${i}] must be a number: current value is ${show(d)}`);
    }
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new RangeError(
        `${what} as L[${i}][${i}] must be finite and > 0 (the diagonal of a Cholesky factor): current value is ${
          show(d)
        }`,
      );
    }
    s += Math.log(d);
  }
  return 2 * s;
}
