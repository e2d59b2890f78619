import { tf } from "../_tf.ts";
import { expm1MinusX, logRatio } from "../_stable.ts";
import { bregmanH } from "../_gamma_series.ts";
import { Exponential } from "../distributions/exponential.ts";
import { Gamma } from "../distributions/gamma.ts";
import { checkPair } from "./_check.ts";

/** KL(Gamma(a, b) ‖ Gamma(c, d)) = c (e^{−v} − 1 + v) + D_h(a → c), v = log((c/d)/(a/b)). */
function klGammaParams(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor): tf.Tensor {
  const v = tf.sub(logRatio(c, a), logRatio(d, b));
  return tf.add(tf.mul(c, expm1MinusX(tf.neg(v))), bregmanH(a, c));
}

/**
 * KL(Gamma(α₀, β₀) ‖ Gamma(α₁, β₁)) elementwise over the broadcast batch;
 * the twin of the core's `klGamma`, in its form of two terms that are each
 * ≥ 0:
 *
 * ```text
 * KL = (α₀ − α₁) ψ(α₀) − log Γ(α₀) + log Γ(α₁) + α₁ log(β₀/β₁) + α₀ (β₁ − β₀)/β₀
 *    = α₁ (e^{−v} − 1 + v) + D_h(α₀ → α₁),     v = log((α₁/β₁) / (α₀/β₀))
 * ```
 *
 * where D_h(x → y) = h(y) − h(x) − (y − x) h′(x) ≥ 0 is the Bregman
 * divergence of the convex h(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π − ½ log x.
 *
 * @param p Gamma(α₀, β₀).
 * @param q Gamma(α₁, β₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Gamma of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { Gamma, klGamma, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // Same shape: KL = α (β₁/β₀ − 1 − log(β₁/β₀))
 * const kl = (await klGamma(new Gamma(3, 1), new Gamma(3, 2)).data())[0]!;
 * assert.ok(Math.abs(kl - 3 * (1 - Math.log(2))) < 1e-6);
 * ```
 */
export function klGamma(p: Gamma, q: Gamma): tf.Tensor {
  checkPair("klGamma", p, q, [[Gamma], [Gamma]]);
  return tf.tidy(() => klGammaParams(p.concentration, p.rate, q.concentration, q.rate));
}

/**
 * KL(Exponential(λ) ‖ Gamma(α, β)), the Gamma KL with shape 1 on the left
 * (Exponential(λ) = Gamma(1, λ)); the twin of the core's
 * `klExponentialGamma`, computed as the two terms of {@linkcode klGamma}:
 *
 * ```text
 * KL = −1 + log λ + log Γ(α) − α log β + (α − 1)(log λ + γ) + β/λ
 * ```
 *
 * @param p Exponential(λ).
 * @param q Gamma(α, β).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p is not an Exponential or q not a Gamma of this module (or one is
 *   disposed), or their batch shapes do not broadcast.
 * @example
 * ```ts
 * import { Exponential, Gamma, klExponentialGamma, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const kl = (await klExponentialGamma(new Exponential(1), new Gamma(2, 1)).data())[0]!;
 * assert.ok(Math.abs(kl - 0.5772156649015329) < 1e-6); // Euler's γ
 * ```
 */
export function klExponentialGamma(p: Exponential, q: Gamma): tf.Tensor {
  checkPair("klExponentialGamma", p, q, [[Exponential], [Gamma]]);
  return tf.tidy(() => klGammaParams(tf.onesLike(p.rate), p.rate, q.concentration, q.rate));
}
