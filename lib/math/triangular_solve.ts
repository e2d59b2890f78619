import { assertArrayLike, show, toFiniteVector } from "./_validate.ts";

/**
 * Forward substitution L y = b on trusted input (L validated, lengths
 * matching); `out` may be `b`. A zero coefficient is skipped, so that an
 * overflowed yₖ = ±∞ cannot turn into 0 · ∞ = NaN.
 */
export function forwardSubstitute(
  L: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    const row = i * n;
    for (let k = 0; k < i; k++) {
      const l = L[row + k]!;
      if (l !== 0) s -= l * out[k]!;
    }
    out[i] = s / L[row + i]!;
  }
  return out;
}

/** Back substitution Lᵀ x = b on trusted input; `out` may be `b`. */
export function backSubstituteTransposed(
  L: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number,
  out: Float64Array,
): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) {
      const l = L[k * n + i]!;
      if (l !== 0) s -= l * out[k]!;
    }
    out[i] = s / L[i * n + i]!;
  }
  return out;
}

/** Validates the arguments of a public triangular solve; returns b and out. */
function checkSolve(
  what: string,
  L: unknown,
  b: unknown,
  out: unknown,
): { rhs: Float64Array; n: number; dest: Float64Array } {
  const rhs = toFiniteVector(what, "b", b);
  const n = rhs.length;
  const l = assertArrayLike(what, "L", L, `a flat row-major ${n}×${n} lower-triangular matrix`);
  if (l.length !== n * n) {
    throw new TypeError(
      `${what} as L must hold ${n}×${n} = ${
        n * n
      } values (b has length ${n}): current length is ${l.length}`,
    );
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) {
      const v = l[i * n + k];
      if (typeof v !== "number") {
        throw new TypeError(
          `${what} as L[${i}][${k}] must be a number: current value is ${show(v)}`,
        );
      }
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `${what} as L[${i}][${k}] must be finite: current value is ${show(v)}`,
        );
      }
    }
    const d = l[i * n + i] as number;
    if (d === 0) {
      throw new RangeError(
        `${what} as L[${i}][${i}] must be non-zero (L must be invertible): current value is ${
          show(d)
        }`,
      );
    }
  }
  if (out !== undefined && (!(out instanceof Float64Array) || out.length !== n)) {
    throw new TypeError(
      `${what} as out must be a Float64Array of length ${n} (the length of b): current value is ${
        show(out)
      }`,
    );
  }
  return { rhs, n, dest: (out as Float64Array | undefined) ?? new Float64Array(n) };
}

/** Throws if a solve overflowed: a non-finite entry has no meaning as a solution. */
function checkSolution(what: string, x: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new RangeError(
        `${what} as the solution overflows float64 (L is too close to singular): entry ${i} is ${
          show(x[i])
        }`,
      );
    }
  }
  return x;
}

/**
 * Solves L y = b for y by forward substitution, L lower triangular
 * (flat row-major, `n × n`; entries above the diagonal are not read).
 *
 * @param L Lower-triangular matrix with a non-zero diagonal, finite entries.
 * @param b Right-hand side of length n, finite entries.
 * @param out Where to write y (a Float64Array of length n, may be `b`
 *   itself); a new array by default.
 * @returns y = L⁻¹ b.
 * @throws {TypeError} If an argument is not an array of numbers, or the
 *   lengths do not match.
 * @throws {RangeError} If an entry is not finite, a diagonal entry is 0, or
 *   the solution overflows.
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
  out?: Float64Array,
): Float64Array {
  const what = "Cannot solve L y = b";
  const { rhs, n, dest } = checkSolve(what, L, b, out);
  return checkSolution(what, forwardSubstitute(L, rhs, n, dest));
}

/**
 * Solves Lᵀ x = b for x by back substitution, L lower triangular (so Lᵀ is
 * upper triangular). With {@linkcode solveLowerTriangular} this solves
 * Σ x = b for Σ = L Lᵀ.
 *
 * @param L Lower-triangular matrix (flat row-major, `n × n`), finite, with
 *   a non-zero diagonal; entries above the diagonal are not read.
 * @param b Right-hand side of length n, finite entries.
 * @param out Where to write x (a Float64Array of length n, may be `b`
 *   itself); a new array by default.
 * @returns x = L⁻ᵀ b.
 * @throws {TypeError} If an argument is not an array of numbers, or the
 *   lengths do not match.
 * @throws {RangeError} If an entry is not finite, a diagonal entry is 0, or
 *   the solution overflows.
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
  out?: Float64Array,
): Float64Array {
  const what = "Cannot solve Lᵀ x = b";
  const { rhs, n, dest } = checkSolve(what, L, b, out);
  return checkSolution(what, backSubstituteTransposed(L, rhs, n, dest));
}
