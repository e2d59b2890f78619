import { assertFinite, assertNotNaN, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * The continuous uniform distribution on [low, high].
 *
 * Mathematical details, with w = high − low:
 *
 * ```text
 * log p(x) = −log w        (low ≤ x ≤ high; −∞ elsewhere)
 * H        = log w
 * E[X] = (low + high)/2,   Var[X] = w²/12
 * x = low + w u,   u ~ U[0, 1)      (reparameterized)
 * ```
 *
 * The width is formed as 2 (high/2 − low/2) where high − low would
 * overflow, so that bounds of ±1.7 × 10³⁰⁸ still give a finite log-density.
 *
 * @example
 * ```ts
 * import { createRng, Uniform } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const u = new Uniform(-1, 3);
 * assert.equal(u.logProb(0), -Math.log(4));
 * assert.equal(u.logProb(3.5), -Infinity);
 * const x = u.sample(createRng(1));
 * assert.ok(x >= -1 && x < 3);
 * ```
 */
export class Uniform implements UnivariateDistribution {
  /** The lower bound. */
  readonly low: number;
  /** The upper bound, > low. */
  readonly high: number;
  /** log(high − low). */
  readonly logWidth: number;
  /** Always 1. */
  readonly eventSize: number = 1;

  /**
   * Creates a {@linkcode Uniform}, validating every parameter.
   *
   * @param low The lower bound (finite).
   * @param high The upper bound (finite, > low).
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If a bound is not finite, or high ≤ low.
   */
  constructor(low: number, high: number) {
    assertFinite("Cannot construct Uniform", "low", low);
    assertFinite("Cannot construct Uniform", "high", high);
    if (!(high > low)) {
      throw new RangeError(
        `Cannot construct Uniform as high must be > low (${show(low)}): current value is ${
          show(high)
        }`,
      );
    }
    this.low = low;
    this.high = high;
    const w = high - low;
    this.logWidth = Number.isFinite(w) ? Math.log(w) : Math.log(0.5 * high - 0.5 * low) + Math.LN2;
  }

  #logProb(x: number): number {
    return x >= this.low && x <= this.high ? -this.logWidth : -Infinity;
  }

  /**
   * −log(high − low) on [low, high], −∞ elsewhere.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Uniform.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-density of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Uniform", xs, 1, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return o;
  }

  #draw(rng: Rng): number {
    const u = rng.uniform(), lo = this.low, hi = this.high;
    const w = hi - lo;
    const x = Number.isFinite(w) ? lo + w * u : lo * (1 - u) + hi * u;
    // Rounding may reach high; the draw stays in [low, high).
    return x < hi ? (x >= lo ? x : lo) : lo === hi ? lo : maxBelow(hi, lo);
  }

  /** One draw low + (high − low) u. */
  sample(rng: Rng): number {
    checkRng("Uniform", rng);
    return this.#draw(rng);
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Uniform", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#draw(rng);
    return out;
  }

  /** (low + high)/2, without overflow. */
  mean(): number {
    return 0.5 * this.low + 0.5 * this.high;
  }

  /** (high − low)²/12 (+∞ where it overflows). */
  variance(): number {
    const w = this.high - this.low;
    return Number.isFinite(w) ? (w * w) / 12 : Infinity;
  }

  /** log(high − low). */
  entropy(): number {
    return this.logWidth;
  }
}

/** The largest float64 below `hi` (and not below `lo`). */
function maxBelow(hi: number, lo: number): number {
  const b = new Float64Array([hi]), bits = new BigInt64Array(b.buffer);
  bits[0] = hi > 0 ? bits[0]! - 1n : hi < 0 ? bits[0]! + 1n : -(2n ** 63n) + 1n;
  return Math.max(b[0]!, lo);
}
