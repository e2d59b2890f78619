import { log1mexpUnchecked } from "../math/special.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/** softplus(x) = log(1 + eˣ), stable for any x. */
export function softplusUnchecked(x: number): number {
  return (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * softplus⁻¹(y) = log(eʸ − 1) for y > 0, without overflow or cancellation:
 * log(expm1(y)) up to y = 30, y + log(1 − e⁻ʸ) above.
 */
export function softplusInverseUnchecked(y: number): number {
  return y <= 30 ? Math.log(Math.expm1(y)) : y + Math.log1p(-Math.exp(-y));
}

/**
 * The softplus map onto the positive reals, coordinate by coordinate: the
 * usual way to keep a scale positive, gentler than `Exp` for large x.
 *
 * ```text
 * y = log(1 + eˣ),   x = log(eʸ − 1)
 * log |dy/dx| = log σ(x) = −softplus(−x),   log |dx/dy| = −log(1 − e⁻ʸ)       range (0, ∞)
 * ```
 *
 * Each is computed in a form that neither overflows nor cancels (log(eʸ − 1)
 * as y + log(1 − e⁻ʸ) for large y, log(1 − e⁻ʸ) by `log1mexp`).
 *
 * @example
 * ```ts
 * import { Softplus } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new Softplus();
 * assert.ok(Math.abs(b.forward(0) - Math.LN2) < 1e-16);
 * assert.equal(b.forward(1e4), 1e4);
 * assert.ok(Math.abs(b.inverse(b.forward(-3)) + 3) < 1e-13);
 * ```
 */
export class Softplus extends ElementwiseBijector {
  /** "Softplus". */
  readonly name: string = "Softplus";
  /** "(0, ∞)". */
  readonly range: string = "(0, ∞)";

  /** The scalar map. */
  protected f(x: number): number {
    return softplusUnchecked(x);
  }
  /** Its inverse. */
  protected fInverse(y: number): number {
    return softplusInverseUnchecked(y);
  }
  /** log |f′(x)|. */
  protected fLogDerivative(x: number): number {
    return -softplusUnchecked(-x);
  }
  /** log |(f⁻¹)′(y)|. */
  protected fInverseLogDerivative(y: number): number {
    return -log1mexpUnchecked(-y);
  }
  /** Whether y is in the range. */
  protected contains(y: number): boolean {
    return y > 0 && y < Infinity;
  }
}
