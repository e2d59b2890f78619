import { HALF_LOG_2PI } from "../math/_constants.ts";
import { assertEventLength, assertFinite, show } from "../math/_validate.ts";
import type { LatentModel } from "./latent_model.ts";

/** The worked example of {@linkcode exponentialGaussianModel}: its log-joint in z, for a scalar x. */
export interface ExponentialGaussianModel extends LatentModel<number> {
  /** ∇_z log p(x, z) = −1 + (x − z). */
  gradLogJoint(x: number, z: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** The optimum of q = N(μ, 1): μ* = x − 1. */
  optimalLoc(x: number): number;
}

/**
 * A worked variational example with a closed-form optimum:
 *
 * ```text
 * p(z) ∝ e^{−z},   p(x | z) = N(x; z, 1),   q(z) = N(μ, 1)
 * log p(x, z) = −z − ½ log 2π − ½ (x − z)²
 * KL(q ‖ p(x, z)) = μ + ½ (x − μ)² + const   ⇒   μ* = x − 1
 * ```
 *
 * log p(z) = −z is used on all of ℝ, ignoring the support z ≥ 0: the
 * log-joint is unnormalised, so the ELBO here is −KL(q ‖ p(x, z)), not a
 * bound on a normalised evidence.
 *
 * @returns The model (latent size 1; x is a finite number, z an array of one
 *   finite number — each method throws a TypeError or RangeError otherwise).
 *
 * @example
 * ```ts
 * import { exponentialGaussianModel } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const m = exponentialGaussianModel();
 * assert.equal(m.optimalLoc(3), 2);
 * assert.equal(m.gradLogJoint(3, [2])[0], 0);
 * assert.throws(() => m.logJoint(NaN, [0]), RangeError);
 * ```
 */
export function exponentialGaussianModel(): ExponentialGaussianModel {
  const what = "exponentialGaussianModel";
  return {
    latentSize: 1,
    logJoint(x: number, z: ArrayLike<number>): number {
      assertFinite(`Cannot compute ${what}.logJoint`, "x", x);
      assertEventLength(what, "z", z, 1);
      const zz = z[0]!;
      return -zz - HALF_LOG_2PI - 0.5 * (x - zz) ** 2;
    },
    gradLogJoint(x: number, z: ArrayLike<number>, out?: Float64Array): Float64Array {
      assertFinite(`Cannot compute ${what}.gradLogJoint`, "x", x);
      assertEventLength(what, "z", z, 1);
      if (out === undefined) out = new Float64Array(1);
      else if (!(out instanceof Float64Array) || out.length !== 1) {
        throw new TypeError(
          `${what} expects out to be a Float64Array of length 1: current value is ${show(out)}`,
        );
      }
      out[0] = -1 + (x - z[0]!);
      return out;
    },
    optimalLoc(x: number): number {
      assertFinite(`Cannot compute ${what}.optimalLoc`, "x", x);
      return x - 1;
    },
  };
}
