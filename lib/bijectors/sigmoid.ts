import { ElementwiseBijector } from "./elementwise.ts";
import { softplusUnchecked } from "./softplus.ts";

/**
 * The logistic sigmoid onto (0, 1), coordinate by coordinate: for latents
 * that are probabilities.
 *
 * ```text
 * y = σ(x) = 1/(1 + e⁻ˣ),   x = log y − log(1 − y)
 * log |dy/dx| = log σ(x) + log σ(−x) = −softplus(−x) − softplus(x)
 * log |dx/dy| = −log y − log(1 − y)                                      range (0, 1)
 * ```
 *
 * For |x| ≳ 37 the sigmoid rounds to 0 or 1, the ends of its range: such a
 * y has no inverse in float64.
 *
 * @example
 * ```ts
 * import { Sigmoid } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new Sigmoid();
 * assert.equal(b.forward(0), 0.5);
 * assert.equal(b.inverse(0.5), 0);
 * assert.ok(Math.abs(b.forwardLogDetJacobian(0) - Math.log(0.25)) < 1e-15);
 * assert.equal(b.forwardLogDetJacobian(-800), -800);
 * ```
 */
export class Sigmoid extends ElementwiseBijector {
  /** "Sigmoid". */
  readonly name: string = "Sigmoid";
  /** "(0, 1)". */
  readonly range: string = "(0, 1)";

  /** The scalar map. */
  protected f(x: number): number {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  }
  /** Its inverse. */
  protected fInverse(y: number): number {
    return Math.log(y) - Math.log1p(-y);
  }
  /** log |f′(x)|. */
  protected fLogDerivative(x: number): number {
    return -softplusUnchecked(-x) - softplusUnchecked(x);
  }
  /** log |(f⁻¹)′(y)|. */
  protected fInverseLogDerivative(y: number): number {
    return -Math.log(y) - Math.log1p(-y);
  }
  /** Whether y is in the range. */
  protected contains(y: number): boolean {
    return y > 0 && y < 1;
  }
}
