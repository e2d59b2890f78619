import { assertArrayLike, show } from "./_validate.ts";

/** A Monte Carlo estimate with its standard error. */
export interface Estimate {
  /** The estimate. */
  value: number;
  /** Its standard error: the sample standard deviation over √n. */
  standardError: number;
}

/**
 * The sample mean of `sign · values` and its standard error, by a two-pass
 * formula (no catastrophic cancellation).
 *
 * ```text
 * value = (1/n) Σᵢ vᵢ,   standardError = √( Σᵢ (vᵢ − value)² / ((n − 1) n) )
 * ```
 *
 * A non-finite mean (terms of one infinite sign) gives that mean with an
 * infinite standard error; a single value gives an infinite standard error.
 *
 * @param values The draws: at least one, numbers, none NaN.
 * @param sign 1 (the default) or −1, which negates the mean (−1 turns
 *   log-densities into an entropy); the standard error is unchanged.
 * @returns The estimate and its standard error.
 * @throws {TypeError} If `values` is not a non-empty array of numbers.
 * @throws {RangeError} If a value is NaN, the values hold both +∞ and −∞
 *   (the mean is undefined), or `sign` is not ±1.
 *
 * @example
 * ```ts
 * import { meanAndStandardError } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const { value, standardError } = meanAndStandardError([1, 2, 3, 4]);
 * assert.equal(value, 2.5);
 * assert.ok(Math.abs(standardError - Math.sqrt(5 / 3 / 4)) < 1e-15);
 * assert.throws(() => meanAndStandardError([]), TypeError);
 * ```
 */
export function meanAndStandardError(values: ArrayLike<number>, sign = 1): Estimate {
  const what = "Cannot compute meanAndStandardError";
  const arr = assertArrayLike(what, "values", values);
  if (sign !== 1 && sign !== -1) {
    throw new (typeof sign === "number" ? RangeError : TypeError)(
      `${what} as sign must be 1 or -1: current value is ${show(sign)}`,
    );
  }
  const n = arr.length;
  if (n === 0) throw new TypeError(`${what} as values must not be empty: current value is []`);
  let sum = 0, posInf = false, negInf = false;
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (typeof v !== "number") {
      throw new TypeError(`${what} as values[${i}] must be a number: current value is ${show(v)}`);
    }
    if (v !== v) {
      throw new RangeError(`${what} as values[${i}] must not be NaN: current value is NaN`);
    }
    if (v === Infinity) posInf = true;
    else if (v === -Infinity) negInf = true;
    else sum += v;
  }
  if (posInf && negInf) {
    throw new RangeError(
      `${what} as values hold both +∞ and −∞, so their mean is undefined: current value is ${
        show(values)
      }`,
    );
  }
  if (posInf || negInf) {
    return { value: sign * (posInf ? Infinity : -Infinity), standardError: Infinity };
  }
  const xs = values as ArrayLike<number>;
  let mean = sum / n;
  if (!Number.isFinite(mean)) {
    // The sum overflowed: average terms already divided by n.
    mean = 0;
    for (let i = 0; i < n; i++) mean += xs[i]! / n;
  }
  // Deviations are scaled by their largest magnitude so that the squares
  // neither overflow nor underflow; halved first where v − mean overflows.
  let half = 1;
  for (let i = 0; i < n && half === 1; i++) if (!Number.isFinite(xs[i]! - mean)) half = 0.5;
  let big = 0;
  for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(half * xs[i]! - half * mean));
  let ss = 0;
  if (big > 0) { for (let i = 0; i < n; i++) ss += ((half * xs[i]! - half * mean) / big) ** 2; }
  return {
    value: sign * mean,
    standardError: n > 1 ? (big / half) * Math.sqrt(ss / ((n - 1) * n)) : Infinity,
  };
}
