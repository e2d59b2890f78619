/**
 * log Σᵢ exp(xᵢ), computed without overflow by factoring out the maximum.
 *
 * ```text
 * logSumExp(x) = m + log Σᵢ exp(xᵢ − m),   m = maxᵢ xᵢ
 * ```
 *
 * An empty input gives −∞ (the log of an empty sum); if every entry is −∞
 * the result is −∞; any +∞ gives +∞; any NaN gives NaN.
 *
 * @param values The terms, in log space.
 * @param start First index to include (default 0).
 * @param end One past the last index to include (default `values.length`).
 * @returns log Σ exp(values[start..end)).
 *
 * @example Large terms do not overflow
 * ```ts
 * import { logSumExp } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(logSumExp([1000, 1000]) - (1000 + Math.LN2)) < 1e-12);
 * ```
 */
export function logSumExp(
  values: ArrayLike<number>,
  start = 0,
  end: number = values.length,
): number {
  let m = -Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i]!;
    if (v > m || Number.isNaN(v)) m = v;
  }
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(values[i]! - m);
  return m + Math.log(s);
}

/**
 * log(exp(a) + exp(b)) without overflow.
 *
 * ```text
 * logAddExp(a, b) = max(a, b) + log1p(exp(−|a − b|))
 * ```
 *
 * @param a A log-space term.
 * @param b A log-space term.
 * @returns log(eᵃ + eᵇ).
 *
 * @example
 * ```ts
 * import { logAddExp } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(logAddExp(-Infinity, 3), 3);
 * assert.ok(Math.abs(logAddExp(0, 0) - Math.LN2) < 1e-15);
 * ```
 */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = a > b ? a : b;
  if (m === Infinity) return Infinity;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}
