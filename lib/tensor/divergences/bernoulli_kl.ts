import { tf } from "../_tf.ts";
import { expm1, log1p, softplus } from "../_stable.ts";
import type { Bernoulli } from "../distributions/bernoulli.ts";
import { sameEvent } from "./_check.ts";

/**
 * KL between Bernoulli vectors, summed over the event axis, in logits a (of
 * p) and b (of q); the twin of the core's `klBernoulli`. With δ = b − a,
 * s = σ(a) and t = σ(−a) = 1 − s, the KL of one coordinate is
 * A(b) − A(a) − A′(a) δ for A = softplus, written three ways so that float32
 * never subtracts two nearly equal numbers:
 *
 * ```text
 * |δ| < 1/20:    st δ²/2 + st(t − s) δ³/6 + st(1 − 6st) δ⁴/24 + st(t − s)(1 − 12st) δ⁵/120
 * |δ| ≤ 1:       log1p(s expm1(δ)) − s δ        (a ≤ 0)
 *                log1p(t expm1(−δ)) + t δ       (a > 0)
 * otherwise:     softplus(b) − softplus(a) − s δ   (a ≤ 0)
 *                softplus(−b) − softplus(−a) + t δ  (a > 0)
 * ```
 *
 * The series is the Taylor expansion of A about a (A″ = st, A‴ = st(t − s),
 * …), whose next term is below float32 rounding; the other forms multiply
 * by the smaller of s and t, which keeps their terms of one size. A
 * probability of exactly 0 or 1 in p (a = ∓∞) leaves only its one term.
 *
 * @param p Bernoulli with logits a.
 * @param q Bernoulli with logits b.
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p and q differ in event shape.
 */
export function klBernoulli(p: Bernoulli, q: Bernoulli): tf.Tensor {
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
    const s = tf.sigmoid(a0), t = tf.sigmoid(tf.neg(a0)), st = tf.mul(s, t);
    const dSeries = tf.clipByValue(delta, -0.05, 0.05);
    const d2 = tf.square(dSeries), ts = tf.sub(t, s), st6 = tf.mul(6, st);
    // st δ²/2 · (1 + (t − s) δ/3 · (1 + (1 − 12st) δ/20 / … )): Horner in δ.
    const c3 = tf.div(ts, 3), c4 = tf.div(tf.sub(1, st6), 12);
    const c5 = tf.div(tf.mul(ts, tf.sub(1, tf.mul(2, st6))), 60);
    const poly = tf.add(
      1,
      tf.mul(dSeries, tf.add(c3, tf.mul(dSeries, tf.add(c4, tf.mul(dSeries, c5))))),
    );
    const series = tf.mul(tf.mul(0.5, tf.mul(st, d2)), poly);
    const dNear = tf.clipByValue(delta, -1, 1);
    const near = tf.sub(log1p(tf.mul(s, expm1(dNear))), tf.mul(s, dNear));
    const far = tf.sub(tf.sub(softplus(b0), softplus(a0)), tf.mul(s, delta));
    const absD = tf.abs(delta);
    const general = tf.where(
      tf.greaterEqual(absD, 0.05),
      tf.where(tf.greaterEqual(1, absD), near, far),
      series,
    );
    // q = 0 or 1 where p is not: +∞. p = 0 (a = −∞): −log(1 − q) = softplus(b);
    // p = 1 (a = +∞): −log q = softplus(−b).
    const inner = tf.where(bFinite, general, tf.fill(general.shape, Infinity));
    const edge = tf.where(tf.greaterEqual(0, a), softplus(b), softplus(tf.neg(b)));
    return tf.sum(tf.where(aFinite, inner, edge), -1);
  });
}
