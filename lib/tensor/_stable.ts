// Numerically careful pieces shared by the tensor layer's formulas. float32
// overflows early (exp(89) = ∞) and cancels early (7 digits), so each piece
// is written so that finite inputs never meet 0·∞ or ∞ − ∞, and so that
// quantities that are ≥ 0 in exact arithmetic stay ≥ 0 after rounding.
import { tf } from "./_tf.ts";
import { offsetOf, uninitialised, wasmKernels } from "./_wasm_kernels.ts";

/**
 * f(t) = eᵗ − 1 − t ≥ 0, accurate to float32 rounding for every t: a Taylor
 * series for |t| < ½ (where expm1(t) − t cancels), expm1(t) − t up to 30, and
 * eᵗ beyond (where t is below eᵗ's last bit, and ∞ − ∞ cannot occur). Its
 * gradient f′(t) = expm1(t) is written out, so no branch can make it NaN.
 */
export const expm1MinusX = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [t, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
  save([t]);
  const small = tf.clipByValue(t, -0.5, 0.5);
  // t²/2 · (1 + t/3 · (1 + t/4 · (1 + … t/9))): the series to t⁹, whose
  // next term is below float32 rounding for |t| ≤ ½.
  let poly: tf.Tensor = tf.onesLike(small);
  for (let n = 9; n >= 3; n--) poly = tf.add(1, tf.mul(tf.div(small, n), poly));
  const series = tf.mul(tf.mul(0.5, tf.square(small)), poly);
  const mid = tf.minimum(t, 30);
  const middle = tf.sub(tf.expm1(mid), mid);
  const value = tf.where(
    tf.less(tf.abs(t), 0.5),
    series,
    tf.where(tf.greater(t, 30), tf.exp(t), middle),
  );
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
      tf.mul(dy as tf.Tensor, tf.expm1(saved[0]!)),
    ],
  };
}) as (t: tf.Tensor) => tf.Tensor;

/**
 * log Σᵢ exp(aᵢ) over one axis, with the maximum taken out first so that no
 * term overflows. Where every term is −∞ the result is −∞ (tf.logSumExp
 * gives NaN there: −∞ − (−∞)).
 *
 * @param a Log-values.
 * @param axis A non-negative axis of `a` (the caller checks it).
 * @returns The log-sum-exp, without that axis.
 */
export function logSumExp(a: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => {
    const m = tf.max(a, axis, true);
    const shift = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    return tf.add(tf.squeeze(shift, [axis]), tf.log(tf.sum(tf.exp(tf.sub(a, shift)), axis)));
  });
}

/**
 * log (1/k) Σᵢ exp(aᵢ) over one axis of k entries: {@linkcode logSumExp}
 * minus log k, the inner quantity of an importance-weighted bound.
 *
 * @param a Log-values.
 * @param axis A non-negative axis of `a` with at least one entry.
 * @returns The log-mean-exp, without that axis.
 */
export function logMeanExp(a: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => tf.sub(logSumExp(a, axis), Math.log(a.shape[axis]!)));
}

/**
 * softplus(x) = log(1 + eˣ) as a value only, with no gradient recorded: for
 * the forward pass of an op whose gradient is written by hand (inside
 * `tf.customGrad`). On the wasm backend one SIMD pass (within 1.3·10⁻⁷ of
 * the exact value, against tfjs's own scalar loop, 2.4 times slower);
 * elsewhere `tf.softplus`.
 */
export function softplusValue(x: tf.Tensor): tf.Tensor {
  const k = wasmKernels();
  if (k === undefined || x.dtype !== "float32" || x.size < 4) return tf.softplus(x);
  const out = uninitialised(x.shape);
  k.softplus(offsetOf(x), offsetOf(out), x.size);
  return out;
}
