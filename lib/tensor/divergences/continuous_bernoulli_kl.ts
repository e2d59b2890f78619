import { tf } from "../_tf.ts";
import {
  ContinuousBernoulli,
  logSinhc,
  logSinhcPrime,
  logSinhcSecond,
} from "../distributions/continuous_bernoulli.ts";
import { checkPair, sameEvent } from "./_check.ts";
import { GAUSS } from "../../distributions/continuous_bernoulli.ts";

/** 12-point Gauss–Legendre on [0, 1] (the core's): nodes s and weights w·(1 − s). */
const NODES = GAUSS.nodes;
const WEIGHTS = GAUSS.weights.map((w, i) => w * (1 - NODES[i]!));

/**
 * KL(p ‖ q) between continuous Bernoullis, the core's
 * `klContinuousBernoulli` on tensors: the Bregman divergence of S(u) =
 * log(sinh u / u) at u = η/2,
 *
 * ```text
 * KL = Σⱼ D_S(b, a),  a = η_p/2, b = η_q/2
 * D_S(b, a) = (b − a)² ∫₀¹ (1 − s) S″(a + s(b − a)) ds    (|b − a| ≤ 1: 12-point Gauss–Legendre)
 *           = S(b) − S(a) − (b − a) S′(a)                   (else)
 * ```
 *
 * The integral form keeps near-identical pairs to float32's relative
 * precision, where the difference cancels; the KL is never negative.
 *
 * @param p A continuous Bernoulli.
 * @param q One of the same event shape.
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a ContinuousBernoulli of this module
 *   (or is disposed), their batch shapes do not broadcast, or their event shapes differ.
 */
export function klContinuousBernoulli(p: ContinuousBernoulli, q: ContinuousBernoulli): tf.Tensor {
  checkPair("klContinuousBernoulli", p, q, [[ContinuousBernoulli], [ContinuousBernoulli]]);
  sameEvent("klContinuousBernoulli", p, q);
  return tf.tidy(() => {
    const a = tf.div(p.logits, 2), b = tf.div(q.logits, 2), d = tf.sub(b, a);
    // Each branch with its own d: the other's would pass a NaN gradient through where().
    const near = tf.greaterEqual(1, tf.abs(d));
    const dNear = tf.clipByValue(d, -1, 1);
    const s = tf.tensor1d([...NODES]), w = tf.tensor1d(WEIGHTS);
    const points = tf.add(tf.expandDims(a, -1), tf.mul(tf.expandDims(dNear, -1), s));
    const integral = tf.mul(tf.square(dNear), tf.sum(tf.mul(logSinhcSecond(points), w), -1));
    const direct = tf.sub(tf.sub(logSinhc(b), logSinhc(a)), tf.mul(d, logSinhcPrime(a)));
    const kl = tf.where(near, integral, tf.maximum(direct, 0));
    return tf.sum(kl, -1);
  });
}
