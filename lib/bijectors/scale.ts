import { assertFinite, MIN_NORMAL, show, toFiniteVector } from "../math/_validate.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/**
 * Multiplies by a non-zero scale, one number for every coordinate or one per
 * coordinate (negative scales are allowed: |det| is what counts).
 *
 * ```text
 * y = a x,   x = y/a,   log |dy/dx| = log |a|                            range ℝ
 * ```
 *
 * @example
 * ```ts
 * import { Scale } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new Scale(2).forward(3), 6);
 * assert.equal(new Scale(-4).inverse(2), -0.5);
 * assert.equal(new Scale([2, 3]).forwardLogDetJacobian([0, 0]), Math.log(6));
 * ```
 */
export class Scale extends ElementwiseBijector {
  /** "Scale". */
  readonly name: string = "Scale";
  /** "[-∞, ∞]": every number but NaN. */
  readonly range: string = "[-∞, ∞]";
  /** The scale of each coordinate (one entry when it is the same for all). */
  readonly scale: Float64Array;
  /** log |a| of each coordinate. */
  readonly logAbsScale: Float64Array;
  /** The number of coordinates of the parameter (0 for one number). */
  override readonly size: number;

  /**
   * Creates a {@linkcode Scale}.
   *
   * @param scale A finite number with |a| ≥ 2⁻¹⁰²², or an array of them (one
   *   per coordinate).
   * @throws {TypeError} If `scale` is not a number or a non-empty array of
   *   numbers.
   * @throws {RangeError} If an entry is not finite, or is 0 or subnormal
   *   (1/a would overflow).
   */
  constructor(scale: number | ArrayLike<number>) {
    super();
    const what = "Cannot construct Scale";
    if (typeof scale === "number") {
      assertFinite(what, "scale", scale);
      this.scale = Float64Array.of(scale);
      this.size = 0;
    } else {
      this.scale = toFiniteVector(what, "scale", scale);
      this.size = this.scale.length;
    }
    this.scale.forEach((a, i) => {
      if (!(Math.abs(a) >= MIN_NORMAL)) {
        const name = this.size === 0 ? "scale" : `scale[${i}]`;
        throw new RangeError(
          `${what} as ${name} must be non-zero, with |${name}| ≥ ${MIN_NORMAL}: current value is ${
            show(a)
          }`,
        );
      }
    });
    this.logAbsScale = this.scale.map((a) => Math.log(Math.abs(a)));
  }

  #j(j: number): number {
    return this.size === 0 ? 0 : j;
  }
  /** The scalar map. */
  protected f(x: number, j: number): number {
    return this.scale[this.#j(j)]! * x;
  }
  /** Its inverse. */
  protected fInverse(y: number, j: number): number {
    return y / this.scale[this.#j(j)]!;
  }
  /** log |f′(x)|. */
  protected fLogDerivative(_x: number, j: number): number {
    return this.logAbsScale[this.#j(j)]!;
  }
  /** log |(f⁻¹)′(y)|. */
  protected fInverseLogDerivative(_y: number, j: number): number {
    return -this.logAbsScale[this.#j(j)]!;
  }
  /** Whether y is in the range. */
  protected contains(): boolean {
    return true;
  }
}
