// Softplus and its inverse on tensors, in forms that neither overflow nor
// cancel in float32, with gradients that are right everywhere (an autodiff
// of max(x, 0) + log1p(e^{−|x|}) gives 0 instead of ½ at x = 0).
import { tf } from "../_tf.ts";

/**
 * softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}), with the
 * gradient σ(x) written out.
 */
export const softplus: (x: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    const value = tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        tf.mul(dy as tf.Tensor, tf.sigmoid(saved[0]!)),
      ],
    };
  },
) as (x: tf.Tensor) => tf.Tensor;

/**
 * softplus⁻¹(y) = log(eʸ − 1) = y + log(−expm1(−y)) for y > 0: no overflow
 * for large y, no cancellation for small y; NaN for y < 0.
 */
export function softplusInverse(y: tf.Tensor): tf.Tensor {
  return tf.add(y, log1mexpNeg(y));
}

/**
 * log(1 − e^{−y}) for y > 0 (−∞ at 0, NaN below), in Mächler's two forms:
 * log(−expm1(−y)) for y ≤ log 2, log1p(−e^{−y}) above. Each branch gets an
 * input clamped to its own side, so the branch not taken has a finite
 * gradient. The branch is chosen with `greaterEqual`, the one comparison
 * tfjs can differentiate through, so a y that depends on variables is fine.
 */
export function log1mexpNeg(y: tf.Tensor): tf.Tensor {
  const near = tf.minimum(y, Math.LN2), far = tf.maximum(y, Math.LN2);
  return tf.where(
    tf.greaterEqual(Math.LN2, y), // (tfjs has no gradient for LessEqual)
    tf.log(tf.neg(tf.expm1(tf.neg(near)))),
    tf.log1p(tf.neg(tf.exp(tf.neg(far)))),
  );
}
