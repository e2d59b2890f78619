import { tf } from "../_tf.ts";
import { klConcentrations } from "../distributions/_concentration.ts";
import { Beta } from "../distributions/beta.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(Beta(a₀, b₀) ‖ Beta(a₁, b₁)), the Dirichlet divergence with K = 2;
 * the twin of the core's `klBeta`. With s = a₀ + b₀, t = a₁ + b₁:
 *
 * ```text
 * KL = log B(a₁, b₁) − log B(a₀, b₀) + (a₀ − a₁) ψ(a₀) + (b₀ − b₁) ψ(b₀) + (t − s) ψ(s)
 *    = t · KL(Bernoulli(a₁/t) ‖ Bernoulli(a₀/s)) + D_h(a₀ → a₁) + D_h(b₀ → b₁) − D_h(s → t)
 * ```
 *
 * @param p Beta(a₀, b₀).
 * @param q Beta(a₁, b₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Beta of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { Beta, klBeta, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // KL(Beta(2, 1) ‖ Beta(1, 1)) = E[log 2x] = log 2 − ½
 * const kl = (await klBeta(new Beta(2, 1), new Beta(1, 1)).data())[0]!;
 * assert.ok(Math.abs(kl - (Math.LN2 - 0.5)) < 1e-6);
 * ```
 */
export function klBeta(p: Beta, q: Beta): tf.Tensor {
  checkPair("klBeta", p, q, [[Beta], [Beta]]);
  return tf.tidy(() => {
    const shape = tf.backend_util.assertAndGetBroadcastShape(p.batchShape, q.batchShape);
    const stack = (a: tf.Tensor, b: tf.Tensor) =>
      tf.stack([tf.broadcastTo(a, shape), tf.broadcastTo(b, shape)], -1);
    return klConcentrations(stack(p.alpha, p.beta), stack(q.alpha, q.beta));
  });
}
