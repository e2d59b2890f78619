import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/**
 * The exponential map onto the positive reals, elementwise: the tensor twin
 * of the core's `Exp`, what turns a Normal into a LogNormal.
 *
 * ```text
 * y = eˣ,   x = log y,   log |dy/dx| = x,   log |dx/dy| = −log y        range (0, ∞)
 * ```
 *
 * In float32, eˣ overflows to ∞ above x ≈ 88.7 and underflows to 0 below
 * x ≈ −103.
 *
 * @example
 * ```ts
 * import { Exp, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new Exp(), x = tf.tensor2d([[0, 1], [2, 3]]);
 * const y = b.forward(x), ldj = b.forwardLogDetJacobian(x, 1);
 * assert.equal((await y.data())[0], 1);
 * assert.deepEqual(Array.from(await ldj.data()), [1, 5]); // Σ x per row
 * tf.dispose([x, y, ldj]);
 * ```
 */
export class Exp extends ElementwiseBijector {
  /** "Exp". */
  readonly name: string = "Exp";

  /** eˣ. */
  protected f(x: tf.Tensor): tf.Tensor {
    return tf.exp(x);
  }
  /** log y. */
  protected fInverse(y: tf.Tensor): tf.Tensor {
    return log(y);
  }
  /** x. */
  protected fLogDerivative(x: tf.Tensor): tf.Tensor {
    return tf.clone(x);
  }
  /** −log y. */
  protected fInverseLogDerivative(y: tf.Tensor): tf.Tensor {
    return tf.neg(log(y));
  }
}
