import { tf } from "../_tf.ts";
import { expm1, expm1MinusX, log1pmx, softplus } from "../_stable.ts";
import { Bernoulli } from "../distributions/bernoulli.ts";
import { checkPair, sameEvent } from "./_check.ts";

/**
 * KL between Bernoulli vectors, summed over the event axis, in logits a (of
 * p) and b (of q); the twin of the core's `klBernoulli`. Per coordinate it is
 * the Bregman divergence of softplus; with δ = b − a and, by the symmetry
 * KL(p ‖ q) = KL(1 − p ‖ 1 − q), s = min(p, 1 − p) and Δ = ±δ to match:
 *
 * ```text
 * KL = softplus(b) − softplus(a) − σ(a) (b − a)
 *    = [log(1 + y) − y] + s [e^Δ − 1 − Δ],   y = s (e^Δ − 1)      (|Δ| < 1)
 * ```
 *
 * For |Δ| < 1 the two bracketed terms, each computed without cancellation,
 * cannot cancel by more than a bit (s ≤ ½), so a near-identical pair keeps
 * its digits and the KL is never negative; for |Δ| ≥ 1 the first line. A
 * probability of exactly 0 or 1 in p (a = ∓∞) leaves only its one term.
 *
 * @param p Bernoulli with logits a.
 * @param q Bernoulli with logits b.
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a Bernoulli of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @throws {TypeError} If p and q differ in event shape.
 */
export function klBernoulli(p: Bernoulli, q: Bernoulli): tf.Tensor {
  checkPair("klBernoulli", p, q, [[Bernoulli], [Bernoulli]]);
  sameEvent("klBernoulli", p, q);
  return tf.tidy(() => {
    const a = p.logits, b = q.logits;
    const aFinite = tf.isFinite(a), bFinite = tf.isFinite(b);
    // Keep infinities out of the general branches (where() would pass their NaN gradients on).
    const aSafe = tf.where(aFinite, a, tf.zerosLike(a));
    const bSafe = tf.where(bFinite, b, tf.zerosLike(b));
    // Flip to the side where a ≤ 0 (s ≤ ½): KL is the same for (−a, −b). Only
    // greaterEqual among tfjs's comparisons has a gradient, so the tests use it.
    const sign = tf.where(tf.greaterEqual(0, aSafe), tf.onesLike(aSafe), tf.fill(aSafe.shape, -1));
    const a0 = tf.mul(sign, aSafe), b0 = tf.mul(sign, bSafe), delta = tf.sub(b0, a0);
    const s = tf.sigmoid(a0);
    const dNear = tf.clipByValue(delta, -1, 1);
    const near = tf.add(log1pmx(tf.mul(s, expm1(dNear))), tf.mul(s, expm1MinusX(dNear)));
    const far = tf.sub(tf.sub(softplus(b0), softplus(a0)), tf.mul(s, delta));
    const general = tf.where(tf.greaterEqual(tf.abs(delta), 1), far, near);
    // q = 0 or 1 where p is not: +∞. p = 0 (a = −∞): −log(1 − q) = softplus(b);
    // p = 1 (a = +∞): −log q = softplus(−b).
    const inner = tf.where(bFinite, general, tf.fill(general.shape, Infinity));
    const edge = tf.where(tf.greaterEqual(0, a), softplus(b), softplus(tf.neg(b)));
    return tf.sum(tf.where(aFinite, inner, edge), -1);
  });
}
