// The arithmetic of a MultivariateNormal's lower Cholesky factor L, flat
// row-major d × d: checking it, L Lᵀ without overflow to NaN, the diagonal of
// L Lᵀ, and μ + L ε.
import { assertScale, show, toSquareMatrix } from "../math/_validate.ts";
import type { MatrixLike } from "../math/cholesky.ts";

/**
 * Reads L (rows or flat row-major) and checks that it is lower triangular
 * with a diagonal of positive normal floats; returns it with Σᵢ log Lᵢᵢ.
 *
 * @throws {TypeError} If the shape is not d × d or an entry is not a number.
 * @throws {RangeError} If an entry is not finite, one above the diagonal is
 *   not 0, or one on it is not ≥ 2⁻¹⁰²².
 */
export function checkScaleTril(
  what: string,
  scaleTril: MatrixLike,
  d: number,
): { L: Float64Array; logDiag: number } {
  const L = toSquareMatrix(what, "scaleTril", scaleTril, d, `loc has ${d} entries`);
  let logDiag = 0;
  for (let i = 0; i < d; i++) {
    assertScale(what, `scaleTril[${i}][${i}]`, L[i * d + i]);
    logDiag += Math.log(L[i * d + i]!);
    for (let j = i + 1; j < d; j++) {
      if (L[i * d + j] !== 0) {
        throw new RangeError(
          `${what} as scaleTril must be lower triangular: scaleTril[${i}][${j}] is ${
            show(L[i * d + j])
          }`,
        );
      }
    }
  }
  return { L, logDiag };
}

/** The diagonal of L Lᵀ: the squared norm of each row of L. */
export function rowSquares(L: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += L[i * d + k]! ** 2;
    out[i] = s;
  }
  return out;
}

/** L Lᵀ, flat row-major; an overflow gives ±∞, never ∞ − ∞ = NaN. */
export function timesTranspose(L: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  // Products of huge entries are formed at a power-of-two scale, so that
  // an overflow gives ±∞ rather than ∞ − ∞ = NaN.
  let big = 0;
  for (const v of L) big = Math.max(big, Math.abs(v));
  const c = big > 2 ** 500 ? 2 ** -500 : 1;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += (c * L[i * d + k]!) * (c * L[j * d + k]!);
      s = c === 1 ? s : s * 2 ** 500 * 2 ** 500;
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}

/** μ + L ε, written into `out`. */
export function shiftScale(
  loc: Float64Array,
  L: Float64Array,
  epsilon: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  const d = loc.length;
  for (let i = 0; i < d; i++) {
    let s = loc[i]!;
    for (let k = 0; k <= i; k++) s += L[i * d + k]! * epsilon[k]!;
    out[i] = s;
  }
  return out;
}

/** Throws a RangeError if a result overflowed (or would be NaN). */
export function checkFinite(what: string, name: string, v: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      throw new RangeError(`${what} as ${name} overflows float64: entry ${i} is ${show(v[i])}`);
    }
  }
  return v;
}
