// Among tfjs's comparisons only greaterEqual has a gradient, so every
// condition is an a ≥ b with the branches of tf.where in that order.
import { tf } from "../_tf.ts";
import { logRatio } from "../_stable.ts";
import { Uniform } from "../distributions/uniform.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(U(a₀, b₀) ‖ U(a₁, b₁)); the twin of the core's `klUniform`: the log of
 * the ratio of the widths when [a₀, b₀] ⊆ [a₁, b₁], +∞ otherwise (q is 0
 * where p is not).
 *
 * ```text
 * KL = log((b₁ − a₁) / (b₀ − a₀))     if a₁ ≤ a₀ and b₀ ≤ b₁;   +∞ otherwise
 * ```
 *
 * Rounding keeps the widths ordered like the intervals, so the ratio is
 * ≥ 1 and the KL ≥ 0 without a clamp; the log of the ratio is taken from
 * the widths' exact difference where they are close.
 *
 * @param p U(a₀, b₀).
 * @param q U(a₁, b₁).
 * @returns KL(p ‖ q) ≥ 0, or +∞, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Uniform of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { klUniform, Uniform, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const [inside] = await klUniform(new Uniform(0, 1), new Uniform(-1, 3)).data();
 * assert.ok(Math.abs(inside! - Math.log(4)) < 1e-6);
 * assert.equal((await klUniform(new Uniform(-1, 3), new Uniform(0, 1)).data())[0], Infinity);
 * ```
 */
export function klUniform(p: Uniform, q: Uniform): tf.Tensor {
  checkPair("klUniform", p, q, [[Uniform], [Uniform]]);
  return tf.tidy(() => {
    const kl = logRatio(tf.sub(q.high, q.low), tf.sub(p.high, p.low));
    const inf = tf.fill(kl.shape, Infinity);
    return tf.where(
      tf.greaterEqual(p.low, q.low),
      tf.where(tf.greaterEqual(q.high, p.high), kl, inf),
      inf,
    );
  });
}
