import { tf } from "../_tf.ts";
import type { Bernoulli } from "../distributions/bernoulli.ts";

/**
 * KL between Bernoulli vectors, summed over the event axis, in logits a (of
 * p) and b (of q); the twin of the core's `klBernoulli`:
 *
 * ```text
 * KL = Σⱼ softplus(bⱼ) − softplus(aⱼ) − σ(aⱼ)(bⱼ − aⱼ)
 *    = Σⱼ log1p(σ(aⱼ) expm1(δⱼ)) − σ(aⱼ) δⱼ,     δⱼ = bⱼ − aⱼ
 * ```
 *
 * The second form is used where |δ| ≤ 1, so that near-identical
 * distributions do not lose their KL to cancellation; the first elsewhere.
 * A probability of exactly 0 or 1 in p (a = ∓∞) leaves only its one term.
 *
 * @param p Bernoulli with logits a.
 * @param q Bernoulli with logits b.
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 */
export function klBernoulli(p: Bernoulli, q: Bernoulli): tf.Tensor {
  if (p.eventShape.join() !== q.eventShape.join()) {
    throw new TypeError(
      `Cannot compute klBernoulli as p and q differ in event shape: p is [${p.eventShape}], q is [${q.eventShape}]`,
    );
  }
  return tf.tidy(() => {
    const a = p.logits, b = q.logits;
    const aFinite = tf.isFinite(a), bFinite = tf.isFinite(b);
    // Keep infinities out of the general branch (where() would pass their NaN gradients on).
    const aSafe = tf.where(aFinite, a, tf.zerosLike(a));
    const bSafe = tf.where(bFinite, b, tf.zerosLike(b));
    const s = tf.sigmoid(aSafe), delta = tf.sub(bSafe, aSafe);
    const dNear = tf.clipByValue(delta, -1, 1);
    const small = tf.sub(tf.log1p(tf.mul(s, tf.expm1(dNear))), tf.mul(s, dNear));
    const large = tf.sub(tf.sub(tf.softplus(bSafe), tf.softplus(aSafe)), tf.mul(s, delta));
    const general = tf.where(tf.lessEqual(tf.abs(delta), 1), small, large);
    // q = 0 or 1 where p is not: +∞. p = 0 (a = −∞): −log(1 − q) = softplus(b);
    // p = 1 (a = +∞): −log q = softplus(−b).
    const inner = tf.where(bFinite, general, tf.fill(general.shape, Infinity));
    const edge = tf.where(tf.greater(a, 0), tf.softplus(tf.neg(b)), tf.softplus(b));
    return tf.sum(tf.where(aFinite, inner, edge), -1);
  });
}
