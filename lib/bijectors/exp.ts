import { ElementwiseBijector } from "./elementwise.ts";

/**
 * The exponential map onto the positive reals, coordinate by coordinate:
 * what turns a Normal into a LogNormal.
 *
 * ```text
 * y = eˣ,   x = log y,   log |dy/dx| = x,   log |dx/dy| = −log y        range (0, ∞)
 * ```
 *
 * @example
 * ```ts
 * import { Exp } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new Exp();
 * assert.equal(b.forward(0), 1);
 * assert.equal(b.inverse(Math.E), 1);
 * assert.equal(b.forwardLogDetJacobian([1, 2]), 3);
 * assert.equal(b.inRange(-1), false);
 * ```
 */
export class Exp extends ElementwiseBijector {
  /** "Exp". */
  readonly name: string = "Exp";
  /** "(0, ∞)". */
  readonly range: string = "(0, ∞)";

  /** The scalar map. */
  protected f(x: number): number {
    return Math.exp(x);
  }
  /** Its inverse. */
  protected fInverse(y: number): number {
    return Math.log(y);
  }
  /** log |f′(x)|. */
  protected fLogDerivative(x: number): number {
    return x;
  }
  /** log |(f⁻¹)′(y)|. */
  protected fInverseLogDerivative(y: number): number {
    return -Math.log(y);
  }
  /** Whether y is in the range. */
  protected contains(y: number): boolean {
    return y > 0 && y < Infinity;
  }
}
