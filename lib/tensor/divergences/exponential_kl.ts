import { tf } from "../_tf.ts";
import { expm1MinusX } from "../_stable.ts";
import type { Exponential } from "../distributions/exponential.ts";

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
 */
export function klExponential(p: Exponential, q: Exponential): tf.Tensor {
  return tf.tidy(() => {
    const delta = tf.sub(q.logRate, p.logRate);
    return expm1MinusX(delta);
  });
}
