// The one tolerance helper of the package's tests and of the laws of
// `@elbo/elbo/testing`: |a − e| ≤ abs + rel·|e|, and its Monte Carlo twin.
import { AssertionError } from "node:assert/strict";
import { FLOAT32_MAX } from "../math/_constants.ts";
import { float32CloseOptions, sensitivityOptions, toleranceOf } from "./_options.ts";

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
 * @throws {TypeError} If `tol` has a key other than `abs` and `rel` (RangeError: one < 0).
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
  const { abs = 0, rel = 1e-12 } = toleranceOf("Cannot run assertClose", tol, "tol");
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

/** One rounding to float32, relative: 2⁻²⁴. */
export const FLOAT32_ROUNDING: number = 2 ** -24;

/**
 * Results below 2⁻¹²⁴ (four times the least normal float32) are compared
 * absolutely: wasm and GPUs may flush float32 subnormals to zero.
 */
export const FLOAT32_TINY: number = 2 ** -124;

/** Options of {@linkcode float32Sensitivity}. */
export interface SensitivityOptions {
  /** Indices of inputs that are exact (counts, categories, integers): not perturbed. */
  exact?: readonly number[];
}

/**
 * How far a function moves when each of its inputs is rounded once to
 * float32, computed in float64 from the function itself:
 *
 * ```text
 * S = Σᵢ max over s = ±1 of |f(x with xᵢ → xᵢ (1 + s 2⁻²⁴)) − f(x)|
 * ```
 *
 * A float32 computation cannot be expected to be closer to f(x) than this:
 * its inputs are only known to that rounding. S is +∞ where one rounding
 * crosses a discontinuity (a point on the edge of a support); a rounding
 * where f throws (out of its domain) is left out.
 *
 * @param f The exact (float64) function of the inputs.
 * @param inputs The inputs at which the float32 result is compared.
 * @param options `{ exact }`: indices of inputs not to perturb.
 * @returns S ≥ 0, or +∞.
 * @throws {TypeError} If `options` has another key or `exact` is not an array of indices.
 *
 * @example
 * ```ts
 * import { float32Sensitivity } from "@elbo/elbo/testing";
 * import assert from "node:assert/strict";
 *
 * // log(1 + x) near 0 moves by about x · 2⁻²⁴: relative to its value.
 * const s = float32Sensitivity(([x]) => Math.log1p(x!), [1e-9]);
 * assert.ok(Math.abs(s / (1e-9 * 2 ** -24) - 1) < 1e-6);
 * ```
 */
export function float32Sensitivity(
  f: (inputs: number[]) => number,
  inputs: readonly number[],
  options: SensitivityOptions = {},
): number {
  const at = f([...inputs]);
  const exact = new Set(sensitivityOptions("Cannot run float32Sensitivity", options).exact);
  let s = 0;
  inputs.forEach((v, i) => {
    if (exact.has(i) || v === 0 || !Number.isFinite(v)) return;
    let worst = 0;
    for (const sign of [-1, 1]) {
      const moved = [...inputs];
      moved[i] = v * (1 + sign * FLOAT32_ROUNDING);
      let there: number;
      try {
        there = f(moved);
      } catch {
        continue; // a rounding out of the function's domain (a probability past 1, say)
      }
      const d = Math.abs(there - at);
      // Both infinite and equal: no move; one side infinite: a discontinuity.
      worst = Math.max(worst, Number.isNaN(d) ? (there === at ? 0 : Infinity) : d);
    }
    s += worst;
  });
  return s;
}

/**
 * The tolerance of a float32 result against its exact value, from the
 * exact answer's {@linkcode float32Sensitivity} S: k roundings of the
 * inputs and of the result, and {@linkcode FLOAT32_TINY} absolutely.
 *
 * ```text
 * |actual − expected| ≤ k (S + 2⁻²⁴ |expected|) + 2⁻¹²⁴
 * ```
 *
 * A flat tolerance (such as {@linkcode FLOAT32}) hides a formula that
 * loses every digit where the answer is small — a tail, a KL between
 * near-identical distributions; this one does not.
 *
 * @param sensitivity S, from {@linkcode float32Sensitivity}.
 * @param k How many roundings are allowed (default 16).
 * @returns The tolerance for {@linkcode assertClose}.
 *
 * @example
 * ```ts
 * import { assertClose, float32Sensitivity, float32Tolerance } from "@elbo/elbo/testing";
 * import assert from "node:assert/strict";
 *
 * const f = ([x]: number[]) => Math.log1p(x!), x = Math.fround(1e-9);
 * const tol = float32Tolerance(float32Sensitivity(f, [x]));
 * assertClose(Math.fround(Math.log1p(x)), f([x]), tol);
 * // log(1 + x) in float32 is 0: every digit lost.
 * assert.throws(() => assertClose(Math.log(Math.fround(1 + x)), f([x]), tol));
 * ```
 */
export function float32Tolerance(sensitivity: number, k = 16): Tolerance {
  return { abs: k * sensitivity + FLOAT32_TINY, rel: k * FLOAT32_ROUNDING };
}

/** Options of {@linkcode assertFloat32Close}. */
export interface Float32CloseOptions extends SensitivityOptions {
  /** Roundings allowed (default 16; see {@linkcode float32Tolerance}). */
  k?: number;
  /** A prefix for the failure message. */
  msg?: string;
}

/**
 * Asserts that a float32 result agrees with the exact function of its
 * inputs to float32's tolerance: within k roundings of the exact answer's
 * {@linkcode float32Sensitivity} (plus k roundings of the answer itself).
 * Where the exact answer overflows float32, the result must be the
 * infinity of its sign (or as large); where one rounding of an input
 * crosses a discontinuity, any value but NaN is accepted.
 *
 * ```text
 * |actual − f(x)| ≤ k (S(f, x) + 2⁻²⁴ |f(x)|) + 2⁻¹²⁴
 * ```
 *
 * @param actual The float32 result.
 * @param f The exact (float64) function.
 * @param inputs The inputs, each a float32 value.
 * @param options `{ k, exact, msg }`.
 * @throws {TypeError} If `options` has another key (RangeError: `k` ≤ 0).
 * @throws {AssertionError} If the result is farther away, or NaN where f is not.
 *
 * @example
 * ```ts
 * import { assertFloat32Close } from "@elbo/elbo/testing";
 * import assert from "node:assert/strict";
 *
 * const x = Math.fround(1e-9);
 * assertFloat32Close(Math.fround(Math.log1p(x)), ([v]) => Math.log1p(v!), [x]);
 * assert.throws(() => assertFloat32Close(0, ([v]) => Math.log1p(v!), [x]));
 * ```
 */
export function assertFloat32Close(
  actual: number,
  f: (inputs: number[]) => number,
  inputs: readonly number[],
  options: Float32CloseOptions = {},
): void {
  const { k, exact, msg } = float32CloseOptions("Cannot run assertFloat32Close", options);
  const expected = f([...inputs]);
  if (Object.is(actual, expected) || actual === expected) return;
  const where = `${msg ? msg + ": " : ""}at [${inputs.join(", ")}]`;
  if (Math.abs(expected) > FLOAT32_MAX && Number.isFinite(expected)) {
    if (Math.sign(actual) === Math.sign(expected) && Math.abs(actual) >= FLOAT32_MAX / 2) return;
    throw new AssertionError({
      message: `${where}: expected ${expected} (beyond float32, so ±∞), got ${actual}`,
    });
  }
  const s = float32Sensitivity(f, inputs, { exact });
  if (s === Infinity && !Number.isNaN(actual)) return;
  assertClose(actual, expected, float32Tolerance(s, k), where);
}
