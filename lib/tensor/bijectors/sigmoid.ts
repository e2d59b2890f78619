import { tf } from "../_tf.ts";
import { log, log1p, softplus } from "../_stable.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/**
 * The logistic sigmoid onto (0, 1), elementwise: the tensor twin of the
 * core's `Sigmoid`, for latents that are probabilities.
 *
 * ```text
 * y = σ(x) = 1/(1 + e⁻ˣ),   x = log y − log(1 − y)
 * log |dy/dx| = log σ(x) + log σ(−x) = −softplus(−x) − softplus(x)
 * log |dx/dy| = −log y − log(1 − y)                                      range (0, 1)
 * ```
 *
 * In float32 the sigmoid rounds to 1 for x ≳ 17 (and to 0 below x ≈ −104):
 * such a y has no finite inverse, though the forward log-derivative stays
 * exact.
 *
 * @example
 * ```ts
 * import { Sigmoid, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new Sigmoid(), x = tf.tensor1d([0, -800]);
 * const y = b.forward(x), ldj = b.forwardLogDetJacobian(x, 0);
 * assert.equal((await y.data())[0], 0.5);
 * const [l0, l1] = await ldj.data();
 * assert.ok(Math.abs(l0! - Math.log(0.25)) < 1e-6);
 * assert.equal(l1, -800);
 * tf.dispose([x, y, ldj]);
 * ```
 */
export class Sigmoid extends ElementwiseBijector {
  /** "Sigmoid". */
  readonly name: string = "Sigmoid";

  /** σ(x). */
  protected f(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
  /** log y − log1p(−y). */
  protected fInverse(y: tf.Tensor): tf.Tensor {
    return tf.sub(log(y), log1p(tf.neg(y)));
  }
  /** −softplus(−x) − softplus(x). */
  protected fLogDerivative(x: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(softplus(tf.neg(x)), softplus(x)));
  }
  /** −log y − log1p(−y). */
  protected fInverseLogDerivative(y: tf.Tensor): tf.Tensor {
    return tf.neg(tf.add(log(y), log1p(tf.neg(y))));
  }
}
