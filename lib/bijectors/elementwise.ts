import { assertNotNaN, show } from "../math/_validate.ts";
import { checkSize, toPoint } from "./_check.ts";
import type { Bijector } from "./bijector.ts";

/**
 * The base of the bijectors that act coordinate by coordinate (`Exp`,
 * `Softplus`, `Sigmoid`, `Shift`, `Scale`): a subclass gives the scalar map,
 * its inverse, their log-derivatives and its range, and this class applies
 * them to numbers and arrays, checks every input, and sums the
 * log-derivatives of an array.
 *
 * @example A bijector of one's own
 * ```ts
 * import { ElementwiseBijector } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * class Cube extends ElementwiseBijector {
 *   readonly name = "Cube";
 *   readonly range = "(-∞, ∞)";
 *   protected f(x: number): number { return x ** 3; }
 *   protected fInverse(y: number): number { return Math.cbrt(y); }
 *   protected fLogDerivative(x: number): number { return Math.log(3 * x * x); }
 *   protected fInverseLogDerivative(y: number): number { return -Math.log(3 * Math.cbrt(y) ** 2); }
 *   protected contains(y: number): boolean { return Number.isFinite(y); }
 * }
 * const c = new Cube();
 * assert.equal(c.forward(2), 8);
 * assert.equal(c.inverse(8), 2);
 * assert.deepEqual(c.forward([1, 2]), new Float64Array([1, 8]));
 * ```
 */
export abstract class ElementwiseBijector implements Bijector {
  /** The name, for messages. */
  abstract readonly name: string;
  /** The range of the scalar map, for messages, such as "(0, ∞)". */
  abstract readonly range: string;
  /**
   * The number of coordinates the parameters fix (a `Shift` by a vector),
   * or 0 when any number of coordinates is taken.
   */
  readonly size: number = 0;

  /** The scalar map at coordinate `j`. */
  protected abstract f(x: number, j: number): number;
  /** Its inverse at coordinate `j` (y in the range). */
  protected abstract fInverse(y: number, j: number): number;
  /** log |f′(x)| at coordinate `j`. */
  protected abstract fLogDerivative(x: number, j: number): number;
  /** log |(f⁻¹)′(y)| at coordinate `j` (y in the range). */
  protected abstract fInverseLogDerivative(y: number, j: number): number;
  /** Whether y is in the open range of the scalar map. */
  protected abstract contains(y: number): boolean;

  #points(what: string, name: string, v: unknown): Float64Array | number {
    if (typeof v === "number" && this.size <= 1) {
      assertNotNaN(what, name, v);
      return v;
    }
    return toPoint(what, name, v, this.size > 0 ? this.size : undefined);
  }

  #inRange(what: string, v: unknown): Float64Array | number {
    const y = this.#points(what, "y", v);
    if (typeof y === "number") {
      if (!this.contains(y)) {
        throw new RangeError(
          `${what} as y must be in ${this.range}: current value is ${show(y)}`,
        );
      }
      return y;
    }
    y.forEach((yi, i) => {
      if (!this.contains(yi)) {
        throw new RangeError(
          `${what} as y[${i}] must be in ${this.range}: current value is ${show(yi)}`,
        );
      }
    });
    return y;
  }

  /**
   * The same size: the map acts coordinate by coordinate.
   *
   * @throws {TypeError} If `size` is not an integer ≥ 1, or differs from the
   *   size of the parameters.
   */
  forwardEventSize(size: number): number {
    const what = `Cannot compute ${this.name}.forwardEventSize`;
    checkSize(what, size);
    if (this.size > 1 && size !== this.size) {
      throw new TypeError(
        `${what} as size must be ${this.size}, the length of the parameters: current value is ${size}`,
      );
    }
    return size;
  }

  /** The same size (see {@linkcode forwardEventSize}). */
  inverseEventSize(size: number): number {
    return this.forwardEventSize(size);
  }

  /** f(x), coordinate by coordinate. */
  forward(x: number): number;
  /** f(x), coordinate by coordinate. */
  forward(x: ArrayLike<number>): Float64Array;
  /**
   * f(x), coordinate by coordinate.
   *
   * @throws {TypeError} If `x` is not a number or an array of numbers (of
   *   the parameters' length, if they fix one).
   * @throws {RangeError} If an entry is NaN.
   */
  forward(x: number | ArrayLike<number>): number | Float64Array {
    const v = this.#points(`Cannot compute ${this.name}.forward`, "x", x);
    return typeof v === "number" ? this.f(v, 0) : v.map((xi, j) => this.f(xi, j));
  }

  /** f⁻¹(y), coordinate by coordinate. */
  inverse(y: number): number;
  /** f⁻¹(y), coordinate by coordinate. */
  inverse(y: ArrayLike<number>): Float64Array;
  /**
   * f⁻¹(y), coordinate by coordinate.
   *
   * @throws {TypeError} If `y` is not a number or an array of numbers.
   * @throws {RangeError} If an entry is NaN or outside the range.
   */
  inverse(y: number | ArrayLike<number>): number | Float64Array {
    const v = this.#inRange(`Cannot compute ${this.name}.inverse`, y);
    return typeof v === "number" ? this.fInverse(v, 0) : v.map((yi, j) => this.fInverse(yi, j));
  }

  /**
   * Σⱼ log |f′(xⱼ)|.
   *
   * @throws {TypeError} If `x` is not a number or an array of numbers.
   * @throws {RangeError} If an entry is NaN.
   */
  forwardLogDetJacobian(x: number | ArrayLike<number>): number {
    const v = this.#points(`Cannot compute ${this.name}.forwardLogDetJacobian`, "x", x);
    if (typeof v === "number") return this.fLogDerivative(v, 0);
    let s = 0;
    v.forEach((xi, j) => s += this.fLogDerivative(xi, j));
    return s;
  }

  /**
   * Σⱼ log |(f⁻¹)′(yⱼ)|.
   *
   * @throws {TypeError} If `y` is not a number or an array of numbers.
   * @throws {RangeError} If an entry is NaN or outside the range.
   */
  inverseLogDetJacobian(y: number | ArrayLike<number>): number {
    const v = this.#inRange(`Cannot compute ${this.name}.inverseLogDetJacobian`, y);
    if (typeof v === "number") return this.fInverseLogDerivative(v, 0);
    let s = 0;
    v.forEach((yi, j) => s += this.fInverseLogDerivative(yi, j));
    return s;
  }

  /**
   * Whether every coordinate of y is in the range (false for a point of the
   * wrong shape, or with NaN).
   */
  inRange(y: number | ArrayLike<number>): boolean {
    try {
      this.#inRange("", y);
      return true;
    } catch {
      return false;
    }
  }
}
