import { log1mexpUnchecked } from "../math/special.ts";
import { readOptions } from "../math/_options.ts";
import { show } from "../math/_validate.ts";
import { checkSize, toPoint } from "./_check.ts";
import type { Bijector } from "./bijector.ts";
import { softplusInverseUnchecked, softplusUnchecked } from "./softplus.ts";

/** Options of {@linkcode FillScaleTriL}. */
export interface FillScaleTriLOptions {
  /** Added to the softplus of each diagonal entry (default 10⁻⁵, as in TFP). */
  diagShift?: number;
}

/**
 * Fills a vector of d(d + 1)/2 unconstrained numbers into a d × d
 * lower-triangular matrix with a positive diagonal — a Cholesky factor, the
 * `scaleTril` of a full-rank Gaussian — as TensorFlow Probability's
 * `FillScaleTriL` does: the off-diagonal entries are copied, the diagonal
 * ones go through softplus and are shifted by `diagShift`.
 *
 * ```text
 * x = (x₀, x₁, …) fills the lower triangle row by row: L₀₀, L₁₀, L₁₁, L₂₀, L₂₁, L₂₂, …
 * Lᵢⱼ = x  (i > j),   Lᵢᵢ = softplus(x) + diagShift,   Lᵢⱼ = 0  (i < j)
 * log |det ∂L/∂x| = Σᵢ log σ(xᵢᵢ)          (over the d(d + 1)/2 entries of the triangle)
 * ```
 *
 * Matrices are flat, row-major (d² numbers, zeros above the diagonal). Its
 * range is the lower-triangular matrices whose diagonal exceeds `diagShift`.
 *
 * @example
 * ```ts
 * import { FillScaleTriL } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new FillScaleTriL({ diagShift: 0 });
 * const L = b.forward([0, 0.5, 0]);
 * assert.deepEqual(Array.from(L), [Math.LN2, 0, 0.5, Math.LN2]);
 * assert.deepEqual(Array.from(b.inverse(L)), [0, 0.5, 0]);
 * ```
 */
export class FillScaleTriL implements Bijector {
  /** "FillScaleTriL". */
  readonly name: string = "FillScaleTriL";
  /** What is added to the softplus of the diagonal. */
  readonly diagShift: number;

  /**
   * Creates a {@linkcode FillScaleTriL}.
   *
   * @param options `{ diagShift }`, a finite number ≥ 0 (default 10⁻⁵).
   * @throws {TypeError} If `options` is not an object or has another key, or
   *   `diagShift` is not a number.
   * @throws {RangeError} If `diagShift` is not finite and ≥ 0.
   */
  constructor(options: FillScaleTriLOptions = {}) {
    const what = "Cannot construct FillScaleTriL";
    const o = readOptions(what, options, ["diagShift"]);
    this.diagShift = o.number("diagShift", { min: 0, default: 1e-5 });
  }

  /**
   * d² for a vector of d(d + 1)/2 entries.
   *
   * @throws {TypeError} If `size` is not a triangular number d(d + 1)/2.
   */
  forwardEventSize(size: number): number {
    return this.#dimension(`Cannot compute ${this.name}.forwardEventSize`, "size", size) ** 2;
  }

  /**
   * d(d + 1)/2 for a matrix of d² entries.
   *
   * @throws {TypeError} If `size` is not a perfect square.
   */
  inverseEventSize(size: number): number {
    const what = `Cannot compute ${this.name}.inverseEventSize`;
    checkSize(what, size);
    const d = Math.round(Math.sqrt(size));
    if (d * d !== size) {
      throw new TypeError(
        `${what} as size must be a square d² (a d × d matrix): current value is ${size}`,
      );
    }
    return (d * (d + 1)) / 2;
  }

  #dimension(what: string, name: string, n: number): number {
    checkSize(what, n);
    const d = Math.round((Math.sqrt(8 * n + 1) - 1) / 2);
    if ((d * (d + 1)) / 2 !== n) {
      throw new TypeError(
        `${what} as ${name} must have a triangular length d(d + 1)/2 (1, 3, 6, 10, …): current length is ${n}`,
      );
    }
    return d;
  }

  #vector(what: string, x: unknown): [Float64Array, number] {
    const v = toPoint(what, "x", x);
    return [v, this.#dimension(what, "x", v.length)];
  }

  /** Checks a lower-triangular y with diagonal > diagShift; returns it and d. */
  #matrix(what: string, y: unknown): [Float64Array, number] {
    const v = toPoint(what, "y", y);
    const d = Math.round(Math.sqrt(v.length));
    if (d * d !== v.length) {
      throw new TypeError(
        `${what} as y must be a d × d matrix (d² values, row-major): current length is ${v.length}`,
      );
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const e = v[i * d + j]!, at = `y[${i * d + j}]`;
        if (j > i && e !== 0) {
          throw new RangeError(
            `${what} as ${at} (row ${i}, column ${j}) must be 0 above the diagonal: current value is ${
              show(e)
            }`,
          );
        }
        if (j === i && !(e > this.diagShift && e < Infinity)) {
          throw new RangeError(
            `${what} as ${at} (row ${i}, column ${i}) must be a finite number > diagShift = ${this.diagShift}: current value is ${
              show(e)
            }`,
          );
        }
        if (j < i && !Number.isFinite(e)) {
          throw new RangeError(`${what} as ${at} must be finite: current value is ${show(e)}`);
        }
      }
    }
    return [v, d];
  }

  /** The d × d lower-triangular matrix, flat row-major. */
  forward(x: number): number;
  /** The d × d lower-triangular matrix, flat row-major. */
  forward(x: ArrayLike<number>): Float64Array;
  /**
   * The d × d lower-triangular matrix, flat row-major.
   *
   * @throws {TypeError} If `x` is not an array of d(d + 1)/2 numbers.
   * @throws {RangeError} If an entry is NaN.
   */
  forward(x: number | ArrayLike<number>): number | Float64Array {
    const [v, d] = this.#vector(`Cannot compute ${this.name}.forward`, x);
    const out = new Float64Array(d * d);
    let k = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) out[i * d + j] = v[k++]!;
      out[i * d + i] = softplusUnchecked(v[k++]!) + this.diagShift;
    }
    return out;
  }

  /** The vector of the lower triangle, the diagonal through softplus⁻¹. */
  inverse(y: number): number;
  /** The vector of the lower triangle, the diagonal through softplus⁻¹. */
  inverse(y: ArrayLike<number>): Float64Array;
  /**
   * The vector of the lower triangle, the diagonal through softplus⁻¹.
   *
   * @throws {TypeError} If `y` is not an array of d² numbers.
   * @throws {RangeError} If y is not lower-triangular with finite entries
   *   and a diagonal > diagShift.
   */
  inverse(y: number | ArrayLike<number>): number | Float64Array {
    const [v, d] = this.#matrix(`Cannot compute ${this.name}.inverse`, y);
    const out = new Float64Array((d * (d + 1)) / 2);
    let k = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) out[k++] = v[i * d + j]!;
      out[k++] = softplusInverseUnchecked(v[i * d + i]! - this.diagShift);
    }
    return out;
  }

  /**
   * Σᵢ log σ(xᵢᵢ) = −Σᵢ softplus(−xᵢᵢ).
   *
   * @throws {TypeError} If `x` is not an array of d(d + 1)/2 numbers.
   * @throws {RangeError} If an entry is NaN.
   */
  forwardLogDetJacobian(x: number | ArrayLike<number>): number {
    const [v, d] = this.#vector(`Cannot compute ${this.name}.forwardLogDetJacobian`, x);
    let s = 0;
    for (let i = 0; i < d; i++) s -= softplusUnchecked(-v[((i + 1) * (i + 2)) / 2 - 1]!);
    return s;
  }

  /**
   * −Σᵢ log(1 − exp(−(Lᵢᵢ − diagShift))).
   *
   * @throws {TypeError} If `y` is not an array of d² numbers.
   * @throws {RangeError} If y is outside the range.
   */
  inverseLogDetJacobian(y: number | ArrayLike<number>): number {
    const [v, d] = this.#matrix(`Cannot compute ${this.name}.inverseLogDetJacobian`, y);
    let s = 0;
    for (let i = 0; i < d; i++) s -= log1mexpUnchecked(-(v[i * d + i]! - this.diagShift));
    return s;
  }

  /** Whether y is a lower-triangular matrix with finite entries and a diagonal > diagShift. */
  inRange(y: number | ArrayLike<number>): boolean {
    try {
      this.#matrix("", y);
      return true;
    } catch {
      return false;
    }
  }
}
