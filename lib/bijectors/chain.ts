import { assertArrayLike, show } from "../math/_validate.ts";
import { checkSize } from "./_check.ts";
import { type Bijector, isBijector } from "./bijector.ts";

type Point = number | Float64Array;
// The overloads of Bijector, seen as one signature.
type Map = (v: number | ArrayLike<number>) => Point;

/**
 * The composition of bijectors, applied right to left as in TensorFlow
 * Probability: `new Chain([f, g])` maps x to f(g(x)). Its log-Jacobians
 * are the sums along the way:
 *
 * ```text
 * y = f₁(f₂(⋯ fₙ(x)))
 * log |det ∂y/∂x| = Σᵢ log |det ∂fᵢ/∂x|  at the point fᵢ sees on the way forward
 * ```
 *
 * An empty chain is the identity.
 *
 * @example A latent in (2, 5): shift and scale a sigmoid
 * ```ts
 * import { Chain, Scale, Shift, Sigmoid } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new Chain([new Shift(2), new Scale(3), new Sigmoid()]);
 * assert.equal(b.forward(0), 3.5);
 * assert.equal(b.inverse(3.5), 0);
 * assert.ok(Math.abs(b.forwardLogDetJacobian(0) - Math.log(0.75)) < 1e-15);
 * ```
 */
export class Chain implements Bijector {
  /** The bijectors, outermost first. */
  readonly bijectors: readonly Bijector[];
  /** "Chain([…])", with the names of the bijectors. */
  readonly name: string;

  /**
   * Creates a {@linkcode Chain}.
   *
   * @param bijectors The bijectors, outermost first (applied last to first).
   * @throws {TypeError} If `bijectors` is not an array of bijectors.
   */
  constructor(bijectors: readonly Bijector[]) {
    const what = "Cannot construct Chain";
    const arr = assertArrayLike(what, "bijectors", bijectors, "an array of bijectors");
    const list: Bijector[] = [];
    for (let i = 0; i < arr.length; i++) {
      const b = arr[i];
      if (!isBijector(b)) {
        throw new TypeError(
          `${what} as bijectors[${i}] must be a bijector (with forward, inverse, their log-Jacobians, inRange and the event sizes): current value is ${
            show(b)
          }`,
        );
      }
      list.push(b);
    }
    this.bijectors = Object.freeze(list);
    this.name = `Chain([${list.map((b) => String(b.name)).join(", ")}])`;
  }

  /** The size after every bijector, last to first. */
  forwardEventSize(size: number): number {
    checkSize(`Cannot compute ${this.name}.forwardEventSize`, size);
    for (let i = this.bijectors.length - 1; i >= 0; i--) {
      size = this.bijectors[i]!.forwardEventSize(size);
    }
    return size;
  }

  /** The size before every bijector, first to last. */
  inverseEventSize(size: number): number {
    checkSize(`Cannot compute ${this.name}.inverseEventSize`, size);
    for (const b of this.bijectors) size = b.inverseEventSize(size);
    return size;
  }

  /** f₁(⋯ fₙ(x)). */
  forward(x: number): number;
  /** f₁(⋯ fₙ(x)). */
  forward(x: ArrayLike<number>): Float64Array;
  /**
   * f₁(⋯ fₙ(x)).
   *
   * @throws {TypeError} If `x` is not a point a bijector takes.
   * @throws {RangeError} If an entry is NaN.
   */
  forward(x: number | ArrayLike<number>): Point {
    let v: number | ArrayLike<number> = x;
    for (let i = this.bijectors.length - 1; i >= 0; i--) {
      v = (this.bijectors[i]!.forward as Map)(v);
    }
    return this.bijectors.length ? v as Point : copy(v);
  }

  /** fₙ⁻¹(⋯ f₁⁻¹(y)). */
  inverse(y: number): number;
  /** fₙ⁻¹(⋯ f₁⁻¹(y)). */
  inverse(y: ArrayLike<number>): Float64Array;
  /**
   * fₙ⁻¹(⋯ f₁⁻¹(y)).
   *
   * @throws {TypeError} If `y` is not a point the bijectors give.
   * @throws {RangeError} If y is outside the range.
   */
  inverse(y: number | ArrayLike<number>): Point {
    let v: number | ArrayLike<number> = y;
    for (const b of this.bijectors) v = (b.inverse as Map)(v);
    return this.bijectors.length ? v as Point : copy(v);
  }

  /** Σᵢ log |det ∂fᵢ| along the forward pass. */
  forwardLogDetJacobian(x: number | ArrayLike<number>): number {
    let v: number | ArrayLike<number> = x, s = 0;
    for (let i = this.bijectors.length - 1; i >= 0; i--) {
      const b = this.bijectors[i]!;
      s += b.forwardLogDetJacobian(v);
      v = (b.forward as Map)(v);
    }
    return s;
  }

  /** Σᵢ log |det ∂fᵢ⁻¹| along the inverse pass. */
  inverseLogDetJacobian(y: number | ArrayLike<number>): number {
    let v: number | ArrayLike<number> = y, s = 0;
    for (const b of this.bijectors) {
      s += b.inverseLogDetJacobian(v);
      v = (b.inverse as Map)(v);
    }
    return s;
  }

  /** Whether y is in the range of f₁ and each fᵢ⁻¹ lands in the range of fᵢ₊₁. */
  inRange(y: number | ArrayLike<number>): boolean {
    let v: number | ArrayLike<number> = y;
    for (const b of this.bijectors) {
      if (!b.inRange(v)) return false;
      v = (b.inverse as Map)(v);
    }
    return true;
  }
}

function copy(v: number | ArrayLike<number>): Point {
  return typeof v === "number" ? v : Float64Array.from(v);
}
