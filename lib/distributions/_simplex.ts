// Points of the probability simplex, as Dirichlet and Categorical take them.
import { show } from "../math/_validate.ts";

/** How far from 1 the entries of a point of the simplex may sum. */
export const SIMPLEX_TOLERANCE = 1e-10;

/**
 * Σᵢ v[off + i] − 1 over `k` entries, summed with Neumaier's compensation so
 * that it is accurate to about 2⁻⁵³ (not k × 2⁻⁵³).
 */
export function sumMinusOne(v: ArrayLike<number>, off: number, k: number): number {
  let s = -1, c = 0;
  for (let i = 0; i < k; i++) {
    const x = v[off + i]!, t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  return s + c;
}

/**
 * Throws a RangeError unless the `k` entries of `v` from `off` are in [0, 1]
 * and sum to 1 within {@linkcode SIMPLEX_TOLERANCE}; returns Σ − 1.
 */
export function checkSimplex(
  what: string,
  name: string,
  v: ArrayLike<number>,
  off: number,
  k: number,
): number {
  for (let i = 0; i < k; i++) {
    const x = v[off + i]!;
    if (!(x >= 0 && x <= 1)) {
      throw new RangeError(
        `${what} as ${name}[${
          off + i
        }] must be in [0, 1] (a point of the simplex): current value is ${show(x)}`,
      );
    }
  }
  const d = sumMinusOne(v, off, k);
  if (!(Math.abs(d) <= SIMPLEX_TOLERANCE)) {
    throw new RangeError(
      `${what} as ${name} must sum to 1 (within ${SIMPLEX_TOLERANCE}), a point of the simplex: current sum is ${
        show(1 + d)
      }`,
    );
  }
  return d;
}
