// Numerically careful pieces shared by the tensor layer's formulas. float32
// overflows early (exp(89) = ∞) and cancels early (7 digits), so each piece
// is written so that finite inputs never meet 0·∞ or ∞ − ∞, and so that
// quantities that are ≥ 0 in exact arithmetic stay ≥ 0 after rounding.
import { tf } from "./_tf.ts";

/** Sums a broadcast gradient back to the shape of its input. */
function sumTo(g: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, g.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(g, axes) : g, shape);
}

/**
 * z = d · exp(−½ logVar), with logVar replaced by 0 where d = 0: there z = 0
 * whatever σ, where the plain product would be 0·∞ once exp overflows.
 * Returns z and the factor used.
 */
function standardize(d: tf.Tensor, logVar: tf.Tensor): [tf.Tensor, tf.Tensor] {
  // 0 ≥ |d| is d = 0 (and false for NaN).
  const safe = tf.where(tf.greaterEqual(0, tf.abs(d)), tf.zerosLike(d), logVar);
  const s = tf.exp(tf.mul(-0.5, safe));
  return [tf.mul(d, s), s];
}

/**
 * ((x − μ)/σ)² = d² exp(−logVar) for d = x − μ, never 0·∞, with its gradient
 * written out (∂/∂d = 2 d/σ², ∂/∂logVar = −d²/σ²), each summed back over
 * the axes that were broadcast.
 */
export const standardizedSquare = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [d, logVar, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([d, logVar]);
  return {
    value: tf.square(standardize(d, logVar)[0]),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [ds, ls] = saved as [tf.Tensor, tf.Tensor];
      const [z, s] = standardize(ds, ls);
      const g = dy as tf.Tensor;
      return [
        sumTo(tf.mul(g, tf.mul(2, tf.mul(z, s))), ds.shape),
        sumTo(tf.neg(tf.mul(g, tf.square(z))), ls.shape),
      ];
    },
  };
}) as (d: tf.Tensor, logVar: tf.Tensor) => tf.Tensor;

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
