import { tf } from "../_tf.ts";
import { expm1MinusX } from "../_stable.ts";
import { Exponential } from "../distributions/exponential.ts";
import { checkPair } from "./_check.ts";

/**
 * KL between exponential distributions with rates λ₀ (p) and λ₁ (q); the
 * twin of the core's `klExponential`:
 *
 * ```text
 * KL = λ₁/λ₀ − 1 − log(λ₁/λ₀) = f(δ),   δ = log λ₁ − log λ₀,   f(t) = eᵗ − 1 − t
 * ```
 *
 * with f computed without cancellation, so that the KL of near-identical
 * rates is accurate and never negative.
 *
 * @param p Rate λ₀.
 * @param q Rate λ₁.
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not an Exponential of this module (or is disposed), or their
 *   batch shapes do not broadcast.
 */
export function klExponential(p: Exponential, q: Exponential): tf.Tensor {
  checkPair("klExponential", p, q, [[Exponential], [Exponential]]);
  return tf.tidy(() => {
    const delta = tf.sub(q.logRate, p.logRate);
    return expm1MinusX(delta);
  });
}
