// The reductions of the stable math (lib/tensor/_stable.ts): the largest
// value, log-sum-exp, log-mean-exp and log softmax over an axis.
import { tf } from "../_tf.ts";
import { log, log1p } from "./elementary.ts";
import { native } from "./native.ts";

/**
 * The largest value over one axis, right on every backend: tfjs-webgl's
 * max reduction starts from −10²⁰, not −∞, so a row whose values are all
 * below −10²⁰ gives −10²⁰. Off cpu and wasm, such rows take the maximum of
 * the values scaled by 2⁻⁶⁴ (exactly: a power of 2) into the range it
 * handles, scaled back.
 *
 * @param a Values.
 * @param axis An axis of `a` (negative counts from the end).
 * @param keepDims Whether to keep the axis, of size 1.
 * @returns The maximum over the axis.
 */
export function maxOf(a: tf.Tensor, axis: number, keepDims = false): tf.Tensor {
  if (native("max")) return tf.max(a, axis, keepDims);
  return tf.tidy(() => {
    const m = tf.max(a, axis, keepDims);
    const scaled = tf.mul(tf.max(tf.mul(a, 2 ** -64), axis, keepDims), 2 ** 64);
    return tf.where(tf.greaterEqual(-1e20, m), scaled, m);
  });
}

/**
 * log Σᵢ exp(aᵢ) over one axis, with the maximum taken out first so that no
 * term overflows. Where every term is −∞ the result is −∞ (tf.logSumExp
 * gives NaN there: −∞ − (−∞)).
 *
 * @param a Log-values.
 * @param axis An axis of `a` (negative counts from the end; the caller checks it).
 * @returns The log-sum-exp, without that axis.
 */
export function logSumExp(a: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => {
    const m = maxOf(a, axis, true);
    const shift = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    const s = tf.sum(tf.exp(tf.sub(a, shift)), axis);
    // Σ = 0 only where every term is −∞: the answer is −∞ there. (webgl's max
    // starts from −10²⁰ rather than −∞, and GLSL leaves log 0 undefined.)
    const empty = tf.greaterEqual(0, s);
    const lse = tf.add(tf.squeeze(shift, [axis]), log(tf.where(empty, tf.onesLike(s), s)));
    return tf.where(empty, tf.fill(lse.shape, -Infinity), lse);
  });
}

/**
 * log (1/k) Σᵢ exp(aᵢ) over one axis of k entries: {@linkcode logSumExp}
 * minus log k, the inner quantity of an importance-weighted bound.
 *
 * @param a Log-values.
 * @param axis An axis of `a` with at least one entry (negative counts from the end).
 * @returns The log-mean-exp, without that axis.
 */
export function logMeanExp(a: tf.Tensor, axis: number): tf.Tensor {
  const k = a.shape[axis < 0 ? a.rank + axis : axis]!;
  return tf.tidy(() => tf.sub(logSumExp(a, axis), Math.log(k)));
}

/**
 * log softmax over the last axis, log pᵢ = ℓᵢ − log Σⱼ e^{ℓⱼ}, in the form
 * that keeps the digits of the largest probability's log when it is near
 * 0 (a confident categorical: log p = −2·10⁻⁹ for logits [0, 20], which
 * ℓ − logSumExp(ℓ) rounds to 0 in float32): with t the first largest
 * logit,
 *
 * ```text
 * log pᵢ = (ℓᵢ − ℓ_t) − log1p(Σ_{j ≠ t} e^{ℓⱼ − ℓ_t})
 * ```
 *
 * Its gradient is written out: dℓ = dy − p Σ dy.
 *
 * @param logits `[..., K]`, finite or −∞ (at least one finite per row).
 * @returns log p, `[..., K]`.
 */
export const logSoftmax: (logits: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [l, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    const k = l.shape[l.rank - 1]!;
    const shifted = tf.sub(l, maxOf(l, -1, true));
    // The first largest logit, as a mask (tf.oneHot refuses k = 1: one category).
    const top = tf.equal(tf.range(0, k, 1, "int32"), tf.expandDims(tf.argMax(l, -1), -1));
    const rest = tf.sum(tf.where(top, tf.zerosLike(shifted), tf.exp(shifted)), -1);
    const value = tf.sub(shifted, tf.expandDims(log1p(rest), -1));
    save([value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const g = dy as tf.Tensor;
        return [tf.sub(g, tf.mul(tf.exp(saved[0]!), tf.sum(g, -1, true)))];
      },
    };
  },
) as (logits: tf.Tensor) => tf.Tensor;
