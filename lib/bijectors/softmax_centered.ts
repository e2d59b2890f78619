import { logSumExp } from "../math/log_sum_exp.ts";
import { checkSimplex } from "../distributions/_simplex.ts";
import { show } from "../math/_validate.ts";
import { checkSize, toPoint } from "./_check.ts";
import type { Bijector } from "./bijector.ts";

/**
 * Maps ℝᴷ⁻¹ onto the interior of the probability simplex of K coordinates,
 * by a softmax with the last logit pinned at 0 (TensorFlow Probability's
 * `SoftmaxCentered`): for latents that are probability vectors.
 *
 * ```text
 * y = softmax([x₁, …, xₖ₋₁, 0]),   xᵢ = log yᵢ − log yₖ
 * log |det ∂(y₁…yₖ₋₁)/∂x| = Σᵢ₌₁ᴷ log yᵢ = Σᵢ xᵢ − K log(1 + Σᵢ exp xᵢ)
 * ```
 *
 * (the Jacobian of the first K − 1 coordinates is diag(y) − y yᵀ, whose
 * determinant is Πᵢ₌₁ᴷ yᵢ). Its range is the points with every yᵢ > 0
 * summing to 1 within 10⁻¹⁰.
 *
 * @example
 * ```ts
 * import { SoftmaxCentered } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new SoftmaxCentered();
 * assert.deepEqual(Array.from(b.forward([0, 0])), [1 / 3, 1 / 3, 1 / 3]);
 * const [x0] = b.inverse([0.2, 0.3, 0.5]);
 * assert.ok(Math.abs(x0! - Math.log(0.4)) < 1e-15);
 * ```
 */
export class SoftmaxCentered implements Bijector {
  /** "SoftmaxCentered". */
  readonly name: string = "SoftmaxCentered";

  /**
   * K for a vector of K − 1 entries.
   *
   * @throws {TypeError} If `size` is not an integer ≥ 1.
   */
  forwardEventSize(size: number): number {
    checkSize(`Cannot compute ${this.name}.forwardEventSize`, size);
    return size + 1;
  }

  /**
   * K − 1 for a point of K ≥ 2 entries.
   *
   * @throws {TypeError} If `size` is not an integer ≥ 2.
   */
  inverseEventSize(size: number): number {
    const what = `Cannot compute ${this.name}.inverseEventSize`;
    checkSize(what, size);
    if (size < 2) {
      throw new TypeError(`${what} as size must be ≥ 2: current value is ${size}`);
    }
    return size - 1;
  }

  #logits(what: string, x: unknown): Float64Array {
    const v = toPoint(what, "x", x);
    v.forEach((xi, i) => {
      if (!Number.isFinite(xi)) {
        throw new RangeError(`${what} as x[${i}] must be finite: current value is ${show(xi)}`);
      }
    });
    const l = new Float64Array(v.length + 1);
    l.set(v);
    return l;
  }

  #simplex(what: string, y: unknown): Float64Array {
    const v = toPoint(what, "y", y);
    if (v.length < 2) {
      throw new TypeError(`${what} as y must have at least 2 entries: current length is 1`);
    }
    checkSimplex(what, "y", v, 0, v.length);
    v.forEach((yi, i) => {
      if (!(yi > 0)) {
        throw new RangeError(
          `${what} as y[${i}] must be > 0 (the open simplex): current value is ${show(yi)}`,
        );
      }
    });
    return v;
  }

  /** softmax([x, 0]). */
  forward(x: number): number;
  /** softmax([x, 0]). */
  forward(x: ArrayLike<number>): Float64Array;
  /**
   * softmax([x, 0]).
   *
   * @throws {TypeError} If `x` is not a non-empty array of numbers.
   * @throws {RangeError} If an entry is not finite.
   */
  forward(x: number | ArrayLike<number>): number | Float64Array {
    const l = this.#logits(`Cannot compute ${this.name}.forward`, x), lse = logSumExp(l);
    return l.map((v) => Math.exp(v - lse));
  }

  /** log yᵢ − log yₖ for i < K. */
  inverse(y: number): number;
  /** log yᵢ − log yₖ for i < K. */
  inverse(y: ArrayLike<number>): Float64Array;
  /**
   * log yᵢ − log yₖ for i < K.
   *
   * @throws {TypeError} If `y` is not an array of at least 2 numbers.
   * @throws {RangeError} If y is not in the open simplex.
   */
  inverse(y: number | ArrayLike<number>): number | Float64Array {
    const v = this.#simplex(`Cannot compute ${this.name}.inverse`, y), k = v.length;
    const last = Math.log(v[k - 1]!);
    return v.subarray(0, k - 1).map((yi) => Math.log(yi) - last);
  }

  /**
   * Σᵢ₌₁ᴷ log yᵢ = Σᵢ xᵢ − K log(1 + Σᵢ exp xᵢ).
   *
   * @throws {TypeError} If `x` is not a non-empty array of numbers.
   * @throws {RangeError} If an entry is not finite.
   */
  forwardLogDetJacobian(x: number | ArrayLike<number>): number {
    const l = this.#logits(`Cannot compute ${this.name}.forwardLogDetJacobian`, x);
    const lse = logSumExp(l);
    let s = 0;
    for (const v of l) s += v - lse;
    return s;
  }

  /**
   * −Σᵢ₌₁ᴷ log yᵢ.
   *
   * @throws {TypeError} If `y` is not an array of at least 2 numbers.
   * @throws {RangeError} If y is not in the open simplex.
   */
  inverseLogDetJacobian(y: number | ArrayLike<number>): number {
    const v = this.#simplex(`Cannot compute ${this.name}.inverseLogDetJacobian`, y);
    let s = 0;
    for (const yi of v) s -= Math.log(yi);
    return s;
  }

  /** Whether y is a point of the open simplex (every yᵢ > 0, Σ = 1 within 10⁻¹⁰). */
  inRange(y: number | ArrayLike<number>): boolean {
    try {
      this.#simplex("", y);
      return true;
    } catch {
      return false;
    }
  }
}
