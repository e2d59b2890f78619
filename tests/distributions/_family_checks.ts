// Helpers shared by the tests of the families added with the bijectors (Gamma,
// Beta, Laplace, StudentT, Uniform, Categorical, Dirichlet, Poisson, LogNormal):
// reference tolerances and values. The laws themselves (sample moments, sums
// to 1, logProbBatch) are the public ones of @elbo/elbo/testing.
import assert from "node:assert/strict";

/** Relative error allowed against the 50-digit references: a few ulps. */
export const REF = { abs: 0, rel: 2e-15 } as const;
/**
 * For entropies, sums of terms of size ~1 that may cancel to 0 (Beta(1, 1)):
 * a few ulps of 1 as well.
 */
export const ENTROPY = { abs: 1e-15, rel: 2e-15 } as const;

/** Asserts that nothing in `values` is NaN. */
export function assertNoNaN(values: unknown[], what: string): void {
  for (const v of values) {
    const arr = typeof v === "number" ? [v] : Array.from(v as ArrayLike<number>);
    assert.ok(arr.every((x) => !Number.isNaN(x)), `${what}: ${arr}`);
  }
}

/** A reference value: a number, or "Infinity" / "-Infinity" (JSON has no infinities). */
export function value(v: number | string | null | undefined): number {
  if (typeof v === "number") return v;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  throw new Error(`not a reference number: ${v}`);
}
