import { assertNotNaN } from "./_validate.ts";

/**
 * softplus(x) = log(1 + eˣ), stable for any x.
 *
 * ```text
 * softplus(x) = max(x, 0) + log1p(exp(−|x|))
 * ```
 *
 * @param x Any number but NaN (±∞ give ∞ and 0).
 * @returns log(1 + eˣ), which is ≈ x for large x and ≈ eˣ for very negative x.
 * @throws {TypeError} If `x` is not a number.
 * @throws {RangeError} If `x` is NaN.
 *
 * @example
 * ```ts
 * import { softplus } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(softplus(1e4), 1e4);
 * assert.ok(Math.abs(softplus(0) - Math.LN2) < 1e-15);
 * ```
 */
export function softplus(x: number): number {
  assertNotNaN("Cannot compute softplus", "x", x);
  return (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), evaluated without overflow.
 *
 * @param x Any number but NaN.
 * @returns σ(x) in [0, 1].
 * @throws {TypeError} If `x` is not a number.
 * @throws {RangeError} If `x` is NaN.
 *
 * @example
 * ```ts
 * import { sigmoid } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sigmoid(0), 0.5);
 * assert.equal(sigmoid(-1e4), 0);
 * ```
 */
export function sigmoid(x: number): number {
  assertNotNaN("Cannot compute sigmoid", "x", x);
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * log σ(x) = −softplus(−x), without the underflow of log(sigmoid(x)).
 *
 * @param x Any number but NaN.
 * @returns log σ(x) ≤ 0.
 * @throws {TypeError} If `x` is not a number.
 * @throws {RangeError} If `x` is NaN.
 *
 * @example
 * ```ts
 * import { logSigmoid } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(logSigmoid(-1e4), -1e4);
 * ```
 */
export function logSigmoid(x: number): number {
  assertNotNaN("Cannot compute logSigmoid", "x", x);
  return -softplus(-x);
}
