import { assertFinite, toFiniteVector } from "../math/_validate.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/**
 * Adds a shift, one number for every coordinate or one per coordinate.
 *
 * ```text
 * y = x + s,   x = y − s,   log |dy/dx| = 0                              range ℝ
 * ```
 *
 * @example
 * ```ts
 * import { Shift } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new Shift(2).forward(1), 3);
 * assert.deepEqual(new Shift([1, -1]).inverse([1, 1]), new Float64Array([0, 2]));
 * assert.equal(new Shift(2).forwardLogDetJacobian([1, 2, 3]), 0);
 * ```
 */
export class Shift extends ElementwiseBijector {
  /** "Shift". */
  readonly name: string = "Shift";
  /** "[-∞, ∞]": every number but NaN. */
  readonly range: string = "[-∞, ∞]";
  /** The shift of each coordinate (one entry when it is the same for all). */
  readonly shift: Float64Array;
  /** The number of coordinates of the parameter (0 for one number). */
  override readonly size: number;

  /**
   * Creates a {@linkcode Shift}.
   *
   * @param shift A finite number, or an array of finite numbers (one per
   *   coordinate).
   * @throws {TypeError} If `shift` is not a number or a non-empty array of
   *   numbers.
   * @throws {RangeError} If an entry is not finite.
   */
  constructor(shift: number | ArrayLike<number>) {
    super();
    const what = "Cannot construct Shift";
    if (typeof shift === "number") {
      assertFinite(what, "shift", shift);
      this.shift = Float64Array.of(shift);
      this.size = 0;
    } else {
      this.shift = toFiniteVector(what, "shift", shift);
      this.size = this.shift.length;
    }
  }

  #s(j: number): number {
    return this.size === 0 ? this.shift[0]! : this.shift[j]!;
  }
  /** The scalar map. */
  protected f(x: number, j: number): number {
    return x + this.#s(j);
  }
  /** Its inverse. */
  protected fInverse(y: number, j: number): number {
    return y - this.#s(j);
  }
  /** log |f′(x)|. */
  protected fLogDerivative(): number {
    return 0;
  }
  /** log |(f⁻¹)′(y)|. */
  protected fInverseLogDerivative(): number {
    return 0;
  }
  /** Whether y is in the range. */
  protected contains(): boolean {
    return true;
  }
}
