// The one tolerance helper of the package's tests and of the laws of
// `@elbo/elbo/testing`: |a − e| ≤ abs + rel·|e|, and its Monte Carlo twin.
import { AssertionError } from "node:assert/strict";

/** Tolerances for {@linkcode assertClose}: |actual − expected| ≤ abs + rel·|expected|. */
export interface Tolerance {
  /** Absolute tolerance (default 0). */
  abs?: number;
  /** Relative tolerance (default 1e-12). */
  rel?: number;
}

/**
 * The tolerance of a float32 tensor result against the float64 core:
 * `{ abs: 1e-5, rel: 1e-4 }`, a few hundred float32 ulps.
 */
export const FLOAT32: Tolerance = { abs: 1e-5, rel: 1e-4 };

/**
 * Asserts that a number is close to the expected one:
 *
 * ```text
 * |actual − expected| ≤ abs + rel · |expected|      (an infinity only equals itself)
 * ```
 *
 * @param actual The value computed.
 * @param expected The value it should have.
 * @param tol The tolerances: `abs` (default 0) and `rel` (default 1e-12).
 * @param msg A prefix for the failure message.
 * @throws {AssertionError} If the error is larger than allowed, either value is
 *   NaN, or one is infinite and the other is not the same infinity.
 *
 * @example
 * ```ts
 * import { assertClose } from "@elbo/elbo/testing";
 * import assert from "node:assert/strict";
 *
 * assertClose(0.1 + 0.2, 0.3);
 * assert.throws(() => assertClose(1.001, 1, { rel: 1e-6 }), assert.AssertionError);
 * ```
 */
export function assertClose(actual: number, expected: number, tol: Tolerance = {}, msg = ""): void {
  const { abs = 0, rel = 1e-12 } = tol;
  if (actual === expected) return;
  const err = Math.abs(actual - expected), allowed = abs + rel * Math.abs(expected);
  // An infinity is close only to itself (rel · ∞ would allow anything).
  if (!(err <= allowed) || !Number.isFinite(expected) || !Number.isFinite(actual)) {
    throw new AssertionError({
      message: `${
        msg ? msg + ": " : ""
      }expected ${expected}, got ${actual} (error ${err}, allowed ${allowed})`,
      actual,
      expected,
    });
  }
}

/**
 * {@linkcode assertClose} element by element over two arrays of one length.
 *
 * @param actual The values computed.
 * @param expected The values they should have.
 * @param tol The tolerances, as for {@linkcode assertClose}.
 * @param msg A prefix for the failure message (the index is appended).
 * @throws {AssertionError} If the lengths differ or an element is not close.
 *
 * @example
 * ```ts
 * import { assertAllClose } from "@elbo/elbo/testing";
 *
 * assertAllClose(new Float64Array([1, 2]), [1, 2 + 1e-15]);
 * ```
 */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance = {},
  msg = "",
): void {
  if (actual.length !== expected.length) {
    throw new AssertionError({ message: `${msg}: length ${actual.length} ≠ ${expected.length}` });
  }
  for (let i = 0; i < actual.length; i++) {
    assertClose(actual[i]!, expected[i]!, tol, `${msg}[${i}]`);
  }
}

/**
 * Asserts that a Monte Carlo estimate lies within `k` standard errors of the
 * value it estimates:
 *
 * ```text
 * |value − expected| ≤ k · standardError + 1e-12 · |expected| + abs
 * ```
 *
 * `abs` (default 0) allows for an expected value below what an average of
 * float64 terms can resolve. With k = 4 a correct estimator fails about once
 * in 16,000 calls (a normal tail), so tests fix their seeds.
 *
 * @param estimate The estimate and its standard error.
 * @param expected The exact value.
 * @param k How many standard errors are allowed (default 4).
 * @param msg A prefix for the failure message.
 * @param abs An absolute allowance added to the bound (default 0).
 * @throws {AssertionError} If the estimate is farther away, or is NaN.
 *
 * @example
 * ```ts
 * import { createRng, klMonteCarlo, klNormal, Normal } from "@elbo/elbo";
 * import { assertWithinSE } from "@elbo/elbo/testing";
 *
 * const p = new Normal(0, 1), q = new Normal(1, 2);
 * assertWithinSE(klMonteCarlo(p, q, { samples: 4000, rng: createRng(1) }), klNormal(p, q));
 * ```
 */
export function assertWithinSE(
  estimate: { value: number; standardError: number },
  expected: number,
  k = 4,
  msg = "",
  abs = 0,
): void {
  const err = Math.abs(estimate.value - expected);
  if (!(err <= k * estimate.standardError + 1e-12 * Math.abs(expected) + abs)) {
    throw new AssertionError({
      message: `${msg ? msg + ": " : ""}estimate ${estimate.value} ± ${estimate.standardError} is ${
        err / estimate.standardError
      } standard errors from ${expected} (allowed ${k})`,
    });
  }
}
