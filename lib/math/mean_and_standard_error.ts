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
 * A non-finite mean (a term of ±∞) gives that mean with an infinite standard
 * error; fewer than two values give an infinite standard error.
 *
 * @param values The draws.
 * @param sign Multiplies the mean (−1 turns log-densities into an entropy).
 * @returns The estimate and its standard error.
 *
 * @example
 * ```ts
 * import { meanAndStandardError } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const { value, standardError } = meanAndStandardError([1, 2, 3, 4]);
 * assert.equal(value, 2.5);
 * assert.ok(Math.abs(standardError - Math.sqrt(5 / 3 / 4)) < 1e-15);
 * ```
 */
export function meanAndStandardError(values: ArrayLike<number>, sign = 1): Estimate {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  if (!Number.isFinite(mean)) return { value: sign * mean, standardError: Infinity };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { value: sign * mean, standardError: n > 1 ? Math.sqrt(ss / ((n - 1) * n)) : Infinity };
}
