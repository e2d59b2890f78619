import { show } from "./_validate.ts";

/** A square matrix: rows (`number[][]`) or flat values in row-major order. */
export type MatrixLike = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Reads a {@linkcode MatrixLike} into a flat row-major copy and its size. */
export function toFlatMatrix(
  matrix: MatrixLike,
  name = "matrix",
): { data: Float64Array; size: number } {
  const first = matrix[0];
  if (matrix.length > 0 && typeof first === "object" && first !== null) {
    const rows = matrix as ArrayLike<ArrayLike<number>>;
    const n = rows.length;
    const data = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      if (row.length !== n) {
        throw new TypeError(
          `Cannot read ${name} as a square matrix as row ${i} has length ${row.length}: expected ${n}`,
        );
      }
      for (let j = 0; j < n; j++) data[i * n + j] = row[j]!;
    }
    return { data, size: n };
  }
  const flat = matrix as ArrayLike<number>;
  const n = Math.round(Math.sqrt(flat.length));
  if (n * n !== flat.length || n === 0) {
    throw new TypeError(
      `Cannot read ${name} as a square matrix as its ${flat.length} values are not a non-zero perfect square`,
    );
  }
  return { data: Float64Array.from(flat), size: n };
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
 * @throws {TypeError} If the matrix is not square.
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
  const { data: a, size: n } = toFlatMatrix(matrix);
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `Cannot factorise matrix as entry (${Math.floor(i / n)}, ${
          i % n
        }) must be finite: current value is ${show(v)}`,
      );
    }
    scale = Math.max(scale, Math.abs(v));
  }
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
    if (!(d > 0) || !Number.isFinite(d)) {
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
 * Solves L y = b for y by forward substitution, L lower triangular
 * (flat row-major, `n × n`).
 *
 * @param L Lower-triangular matrix with a non-zero diagonal.
 * @param b Right-hand side of length n.
 * @param out Where to write y (may be `b` itself); a new array by default.
 * @returns y = L⁻¹ b.
 *
 * @example
 * ```ts
 * import { solveLowerTriangular } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const y = solveLowerTriangular(new Float64Array([2, 0, 1, 2]), [2, 5]);
 * assert.deepEqual(Array.from(y), [1, 2]);
 * ```
 */
export function solveLowerTriangular(
  L: ArrayLike<number>,
  b: ArrayLike<number>,
  out: Float64Array = new Float64Array(b.length),
): Float64Array {
  const n = b.length;
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const row = i * n;
    for (let k = 0; k < i; k++) s -= L[row + k]! * out[k]!;
    out[i] = s / L[row + i]!;
  }
  return out;
}

/**
 * Solves Lᵀ x = b for x by back substitution, L lower triangular (so Lᵀ is
 * upper triangular). With {@linkcode solveLowerTriangular} this solves
 * Σ x = b for Σ = L Lᵀ.
 *
 * @param L Lower-triangular matrix (flat row-major, `n × n`).
 * @param b Right-hand side of length n.
 * @param out Where to write x (may be `b` itself); a new array by default.
 * @returns x = L⁻ᵀ b.
 *
 * @example
 * ```ts
 * import { solveUpperTriangularTransposed } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * // Lᵀ = [[2, 1], [0, 2]]
 * const x = solveUpperTriangularTransposed(new Float64Array([2, 0, 1, 2]), [4, 4]);
 * assert.deepEqual(Array.from(x), [1, 2]);
 * ```
 */
export function solveUpperTriangularTransposed(
  L: ArrayLike<number>,
  b: ArrayLike<number>,
  out: Float64Array = new Float64Array(b.length),
): Float64Array {
  const n = b.length;
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * out[k]!;
    out[i] = s / L[i * n + i]!;
  }
  return out;
}

/**
 * log det Σ from its Cholesky factor: `log det Σ = 2 Σᵢ log Lᵢᵢ`, which
 * stays finite where det Σ itself under- or overflows.
 *
 * @param L Lower Cholesky factor (flat row-major).
 * @param n Its size.
 * @returns log det (L Lᵀ).
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
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]!);
  return 2 * s;
}
