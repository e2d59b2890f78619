import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import type { TensorInput } from "../distributions/distribution.ts";
import { toParam } from "../distributions/_params.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/**
 * Multiplies by a non-zero scale, elementwise, broadcasting against the
 * points: the tensor twin of the core's `Scale` (negative scales are
 * allowed: |det| is what counts).
 *
 * ```text
 * y = a x,   x = y/a,   log |dy/dx| = log |a|                            range ℝ
 * ```
 *
 * A tensor scale is the caller's and may be a `tf.Variable`: gradients of
 * every method, the log-determinants included, reach it. Its values are not
 * checked (a zero gives ∞ and NaN); numbers and arrays are.
 *
 * @example
 * ```ts
 * import { Scale, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new Scale([2, 3]), x = tf.zeros([4, 2]);
 * const ldj = b.forwardLogDetJacobian(x, 1); // log 2 + log 3 for each of 4 points
 * for (const v of await ldj.data()) assert.ok(Math.abs(v - Math.log(6)) < 1e-6);
 * tf.dispose([x, ldj]);
 * b.dispose();
 * ```
 */
export class Scale extends ElementwiseBijector {
  /** "Scale". */
  readonly name: string = "Scale";
  /** The scale a, broadcast against the points. */
  readonly scale: tf.Tensor;

  /**
   * Creates a {@linkcode Scale}.
   *
   * @param scale a: a tensor, a number or an array (finite, non-zero, and
   *   |a| ≥ 2⁻¹²⁶ so that 1/a is finite in float32).
   * @throws {TypeError} If `scale` is not a tensor or numbers.
   * @throws {RangeError} If a number is not finite, or is 0 or too small.
   */
  constructor(scale: TensorInput) {
    super();
    try {
      this.scale = toParam("Cannot construct Scale", "scale", scale, "nonzero", (t) => this.own(t));
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** a x. */
  protected f(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.scale);
  }
  /** y / a. */
  protected fInverse(y: tf.Tensor): tf.Tensor {
    return tf.div(y, this.scale);
  }
  /** log |a|. */
  protected fLogDerivative(): tf.Tensor {
    return log(tf.abs(this.scale));
  }
  /** −log |a|. */
  protected fInverseLogDerivative(): tf.Tensor {
    return tf.neg(log(tf.abs(this.scale)));
  }
}
