import { assertArrayLike, assertInteger, assertNotNaN, show } from "./_validate.ts";

/**
 * log Σᵢ exp(xᵢ), computed without overflow by factoring out the maximum
 * x₍ₘ₎ and leaving it out of the sum, so that a sum dominated by one term
 * keeps the digits the others add:
 *
 * ```text
 * logSumExp(x) = m + log1p( Σᵢ≠ₘ exp(xᵢ − m) ),   m = maxᵢ xᵢ
 * ```
 *
 * An empty input gives −∞ (the log of an empty sum); if every entry is −∞
 * the result is −∞; any +∞ gives +∞.
 *
 * @param values The terms, in log space: numbers, none NaN.
 * @param start First index to include (default 0).
 * @param end One past the last index to include (default `values.length`).
 * @returns log Σ exp(values[start..end)).
 * @throws {TypeError} If `values` is not an array of numbers.
 * @throws {RangeError} If an entry is NaN, or `start`/`end` are not integers
 *   with 0 ≤ start ≤ end ≤ values.length.
 *
 * @example Large terms do not overflow, and small ones are not lost
 * ```ts
 * import { logSumExp } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(logSumExp([1000, 1000]) - (1000 + Math.LN2)) < 1e-12);
 * assert.equal(logSumExp([0, -40]), Math.log1p(Math.exp(-40))); // 4.25e-18, not 0
 * ```
 */
export function logSumExp(
  values: ArrayLike<number>,
  start = 0,
  end?: number,
): number {
  const what = "Cannot compute logSumExp";
  const arr = assertArrayLike(what, "values", values);
  if (end === undefined) end = arr.length;
  if (start !== 0 || end !== arr.length) {
    assertInteger(what, "start", start, 0);
    if (start > arr.length) {
      throw new RangeError(
        `${what} as start must be ≤ values.length (${arr.length}): current value is ${show(start)}`,
      );
    }
    assertInteger(what, "end", end, 0);
    if (end < start || end > arr.length) {
      throw new RangeError(
        `${what} as end must be in [start, values.length] = [${start}, ${arr.length}]: current value is ${
          show(end)
        }`,
      );
    }
  }
  let m = -Infinity, at = -1;
  for (let i = start; i < end; i++) {
    const v = arr[i];
    if (typeof v !== "number") {
      throw new TypeError(`${what} as values[${i}] must be a number: current value is ${show(v)}`);
    }
    if (v !== v) {
      throw new RangeError(`${what} as values[${i}] must not be NaN: current value is NaN`);
    }
    if (v > m) {
      m = v;
      at = i;
    }
  }
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let i = start; i < end; i++) if (i !== at) s += Math.exp(values[i]! - m);
  return m + Math.log1p(s);
}

/**
 * log(exp(a) + exp(b)) without overflow.
 *
 * ```text
 * logAddExp(a, b) = max(a, b) + log1p(exp(−|a − b|))
 * ```
 *
 * @param a A log-space term (not NaN).
 * @param b A log-space term (not NaN).
 * @returns log(eᵃ + eᵇ).
 * @throws {TypeError} If an argument is not a number.
 * @throws {RangeError} If an argument is NaN.
 *
 * @example
 * ```ts
 * import { logAddExp } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(logAddExp(-Infinity, 3), 3);
 * assert.ok(Math.abs(logAddExp(0, 0) - Math.LN2) < 1e-15);
 * assert.equal(logAddExp(0, -40), Math.log1p(Math.exp(-40)));
 * ```
 */
export function logAddExp(a: number, b: number): number {
  assertNotNaN("Cannot compute logAddExp", "a", a);
  assertNotNaN("Cannot compute logAddExp", "b", b);
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  if (m === Infinity) return Infinity;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}
