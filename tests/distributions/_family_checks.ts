// Checks shared by the tests of the families added with the bijectors (Gamma,
// Beta, Laplace, StudentT, Uniform, Categorical, Dirichlet, Poisson, LogNormal).
import assert from "node:assert/strict";
import type { Distribution } from "../../lib/distributions/distribution.ts";
import { meanAndStandardError } from "../../lib/math/mean_and_standard_error.ts";
import { createRng } from "../../lib/math/rng.ts";
import { assertClose, assertWithinSE } from "../_tolerance.ts";

/** Relative error allowed against the 50-digit references: a few ulps. */
export const REF = { abs: 0, rel: 2e-15 } as const;
/**
 * For entropies, sums of terms of size ~1 that may cancel to 0 (Beta(1, 1)):
 * a few ulps of 1 as well.
 */
export const ENTROPY = { abs: 1e-15, rel: 2e-15 } as const;

/**
 * `n` seeded draws have, in each coordinate, a mean within 4.5 standard errors of
 * `mean()` and a mean squared deviation within 4.5 standard errors of
 * `variance()` (standard errors estimated from the draws themselves).
 */
export function checkSampleMoments(d: Distribution, seed: number, n = 20000): void {
  const k = d.eventSize, xs = d.sampleN(createRng(seed), n);
  const mean = d.mean(), variance = d.variance();
  const m = typeof mean === "number" ? [mean] : mean;
  const v = typeof variance === "number" ? [variance] : variance;
  const col = new Float64Array(n), dev = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) col[i] = xs[i * k + j]!;
    assertWithinSE(meanAndStandardError(col), m[j]!, 4.5, `mean[${j}]`, 1e-300);
    for (let i = 0; i < n; i++) dev[i] = (col[i]! - m[j]!) ** 2;
    assertWithinSE(meanAndStandardError(dev), v[j]!, 4.5, `variance[${j}]`, 1e-300);
  }
}

/** Σₖ p(k) = 1 over {lo, …, hi} for a distribution on the integers. */
export function checkSumsToOne(logProb: (k: number) => number, lo: number, hi: number): void {
  let s = 0;
  for (let k = lo; k <= hi; k++) s += Math.exp(logProb(k));
  assertClose(s, 1, { abs: 1e-12 }, "Σ p(k)");
}

/** logProbBatch agrees with logProb point by point (−∞ and +∞ included). */
export function checkBatch(d: Distribution, xs: ArrayLike<number>): void {
  const out = d.logProbBatch(xs), k = d.eventSize;
  for (let i = 0; i < out.length; i++) {
    const x = k === 1 ? xs[i]! : Array.from({ length: k }, (_, j) => xs[i * k + j]!);
    const single = (d.logProb as (x: unknown) => number)(x);
    if (Number.isFinite(single)) assertClose(out[i]!, single, { abs: 1e-13, rel: 1e-13 });
    else assert.equal(out[i], single);
  }
}

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
