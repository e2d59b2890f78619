// The one tolerance helper shared by every test: |a − e| ≤ abs + rel·|e|.
// float64 core tests use the defaults; float32 tensor tests pass looser ones.
import { AssertionError } from "node:assert/strict";

/** Tolerances for {@linkcode assertClose}. */
export interface Tolerance {
  /** Absolute tolerance (default 0). */
  abs?: number;
  /** Relative tolerance (default 1e-12). */
  rel?: number;
}

/** Tolerance for float32 tensor results against the float64 core. */
export const FLOAT32: Tolerance = { abs: 1e-5, rel: 1e-4 };

/** Asserts |actual − expected| ≤ abs + rel·|expected| (equal infinities pass). */
export function assertClose(actual: number, expected: number, tol: Tolerance = {}, msg = ""): void {
  const { abs = 0, rel = 1e-12 } = tol;
  if (actual === expected) return;
  const err = Math.abs(actual - expected);
  if (!(err <= abs + rel * Math.abs(expected))) {
    throw new AssertionError({
      message: `${
        msg ? msg + ": " : ""
      }expected ${expected}, got ${actual} (error ${err}, allowed ${
        abs + rel * Math.abs(expected)
      })`,
      actual,
      expected,
    });
  }
}

/** Element-wise {@linkcode assertClose} over two arrays of one length. */
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
 * Asserts |estimate − expected| ≤ k standard errors (k = 4 by default), plus
 * `abs` (default 0) for an expected value below what a Monte Carlo average
 * of float64 terms can resolve.
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
      } standard errors from ${expected}`,
    });
  }
}

/** Asserts that `fn` throws an error of class `type` whose message contains every fragment. */
export function assertThrowsNaming(
  fn: () => unknown,
  type: new (...args: never[]) => Error,
  ...fragments: string[]
): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof type)) {
    throw new AssertionError({ message: `expected ${type.name}, got ${String(thrown)}` });
  }
  for (const f of fragments) {
    if (!thrown.message.includes(f)) {
      throw new AssertionError({ message: `message "${thrown.message}" does not mention "${f}"` });
    }
  }
}
