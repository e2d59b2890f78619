// Among tfjs's comparisons only greaterEqual has a gradient, so every
// condition is an a ≥ b with the branches of tf.where in that order.
import { tf } from "../_tf.ts";
import { expm1MinusX, logRatio } from "../_stable.ts";
import { Poisson } from "../distributions/poisson.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(Poisson(λ₀) ‖ Poisson(λ₁)); the twin of the core's `klPoisson`. With
 * δ = log(λ₁/λ₀):
 *
 * ```text
 * KL = λ₀ log(λ₀/λ₁) + λ₁ − λ₀ = λ₀ (e^δ − 1 − δ)
 * ```
 *
 * with e^δ − 1 − δ computed without cancellation for small δ, and the
 * first form for δ > 1, where e^δ could overflow.
 *
 * @param p Poisson(λ₀).
 * @param q Poisson(λ₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Poisson of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { klPoisson, Poisson, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const kl = (await klPoisson(new Poisson(2), new Poisson(1)).data())[0]!;
 * assert.ok(Math.abs(kl - (2 * Math.log(2) - 1)) < 1e-6);
 * ```
 */
export function klPoisson(p: Poisson, q: Poisson): tf.Tensor {
  checkPair("klPoisson", p, q, [[Poisson], [Poisson]]);
  return tf.tidy(() => {
    const l0 = p.rate, l1 = q.rate, d = logRatio(l1, l0);
    const near = tf.mul(l0, expm1MinusX(tf.minimum(d, 1)));
    const far = tf.sub(tf.sub(l1, l0), tf.mul(l0, d));
    return tf.where(tf.greaterEqual(1, d), near, far);
  });
}
