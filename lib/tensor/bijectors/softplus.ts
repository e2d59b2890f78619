import { tf } from "../_tf.ts";
import { log1mexp, softplus, softplusInverse } from "../_stable.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/**
 * The softplus map onto the positive reals, elementwise: the tensor twin of
 * the core's `Softplus`, the usual way to keep a scale positive, gentler
 * than `Exp` for large x.
 *
 * ```text
 * y = softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|})
 * x = log(eʸ − 1) = y + log(−expm1(−y))
 * log |dy/dx| = log σ(x) = −softplus(−x),   log |dx/dy| = −log(1 − e⁻ʸ)      range (0, ∞)
 * ```
 *
 * Each is computed in a form that neither overflows nor cancels in float32,
 * and the gradient of softplus is σ(x) everywhere (½ at 0).
 *
 * @example
 * ```ts
 * import { Softplus, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new Softplus(), x = tf.tensor1d([0, 1e4, -3]);
 * const y = b.forward(x), back = b.inverse(y);
 * const [y0, y1] = await y.data();
 * assert.ok(Math.abs(y0! - Math.LN2) < 1e-7);
 * assert.equal(y1, 1e4);
 * assert.ok(Math.abs((await back.data())[2]! + 3) < 1e-5);
 * tf.dispose([x, y, back]);
 * ```
 */
export class Softplus extends ElementwiseBijector {
  /** "Softplus". */
  readonly name: string = "Softplus";

  /** softplus(x). */
  protected f(x: tf.Tensor): tf.Tensor {
    return softplus(x);
  }
  /** y + log(−expm1(−y)). */
  protected fInverse(y: tf.Tensor): tf.Tensor {
    return softplusInverse(y);
  }
  /** −softplus(−x). */
  protected fLogDerivative(x: tf.Tensor): tf.Tensor {
    return tf.neg(softplus(tf.neg(x)));
  }
  /** −log(1 − e⁻ʸ). */
  protected fInverseLogDerivative(y: tf.Tensor): tf.Tensor {
    return tf.neg(log1mexp(tf.neg(y)));
  }
}
