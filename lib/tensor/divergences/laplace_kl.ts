import { tf } from "../_tf.ts";
import { expm1MinusX, logRatio } from "../_stable.ts";
import { Laplace } from "../distributions/laplace.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(Laplace(μ₀, b₀) ‖ Laplace(μ₁, b₁)), as two terms that are each ≥ 0;
 * the twin of the core's `klLaplace`. With r = b₀/b₁, ρ = log r and
 * z = |μ₀ − μ₁|/b₀:
 *
 * ```text
 * KL = log(b₁/b₀) + |μ₀ − μ₁|/b₁ + (b₀/b₁) e^{−|μ₀ − μ₁|/b₀} − 1
 *    = (e^ρ − 1 − ρ) + r (e^{−z} − 1 + z)
 * ```
 *
 * @param p Laplace(μ₀, b₀).
 * @param q Laplace(μ₁, b₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Laplace of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { klLaplace, Laplace, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // Same scale, shifted by one scale: e^{−1} − 1 + 1
 * const kl = (await klLaplace(new Laplace(0, 1), new Laplace(1, 1)).data())[0]!;
 * assert.ok(Math.abs(kl - Math.exp(-1)) < 1e-6);
 * ```
 */
export function klLaplace(p: Laplace, q: Laplace): tf.Tensor {
  checkPair("klLaplace", p, q, [[Laplace], [Laplace]]);
  return tf.tidy(() => {
    const rho = logRatio(p.scale, q.scale);
    const z = tf.div(tf.abs(tf.sub(p.loc, q.loc)), p.scale);
    return tf.add(expm1MinusX(rho), tf.mul(tf.exp(rho), expm1MinusX(tf.neg(z))));
  });
}
