// The elementary functions of the stable math (lib/tensor/_stable.ts): log,
// log1p, expm1 and the forms built on them, accurate on every backend.
import { tf } from "../_tf.ts";
import { horner, native, withDerivative } from "./native.ts";

/** 1, 1/3, 1/5, … , 1/9: the series of atanh(t)/t in t², to t⁸. */
const ATANH_OVER_T = [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9];
/** 1/n! for n = 1 … 10: the series of expm1(x)/x, to x⁹. */
const EXPM1_OVER_X = Array.from({ length: 10 }, (_, n) => {
  let f = 1;
  for (let k = 2; k <= n + 1; k++) f *= k;
  return 1 / f;
});

const log1pForm = withDerivative(
  (x) => {
    // |x| < ¼: log(1 + x) = 2 atanh t, t = x/(2 + x), |t| ≤ 1/7, whose
    // series to t⁹ leaves 2·10⁻⁸; beyond, 1 + x is rounded by at most
    // 2⁻²⁴ (1 + x), a few ulps of log(1 + x) ≥ 0.22 in size.
    const xs = tf.clipByValue(x, -0.25, 0.25);
    const t = tf.div(xs, tf.add(xs, 2));
    const near = tf.mul(tf.mul(2, t), horner(tf.square(t), ATANH_OVER_T));
    return tf.where(tf.less(tf.abs(x), 0.25), near, log(tf.add(x, 1)));
  },
  (x) => tf.reciprocal(tf.add(x, 1)),
);

/** 1, 1/3, 1/5, … , 1/15: the series of atanh(t)/t in t², to t¹⁴. */
const ATANH_TO_15 = Array.from({ length: 8 }, (_, k) => 1 / (2 * k + 1));

/**
 * The natural log, to float32 rounding relative to its value on every
 * backend: GLSL's `log` (webgl) is accurate only to 2⁻²¹ absolutely on
 * [½, 2] (GLSL ES 3.0 §4.5.1), which is no digit at all of log(1 − 10⁻⁷).
 * There it is the series of log x = 2 atanh t, t = (x − 1)/(x + 1) ∈ [−⅓, ⅓]
 * (x − 1 is exact), to t¹⁵, whose next term is below 10⁻⁹ relative:
 *
 * ```text
 * ½ ≤ x ≤ 2:   2t (1 + t²/3 + t⁴/5 + … + t¹⁴/15)
 * otherwise:   log x
 * ```
 *
 * The backend's own kernel on cpu and wasm, where it is accurate.
 *
 * @param x Values ≥ 0.
 * @returns log x, elementwise; its gradient is 1/x.
 */
export function log(x: tf.Tensor): tf.Tensor {
  return native("log") ? tf.log(x) : logForm(x);
}

const logForm = withDerivative(
  (x) => {
    const xs = tf.clipByValue(x, 0.5, 2);
    const t = tf.div(tf.sub(xs, 1), tf.add(xs, 1));
    const near = tf.mul(tf.mul(2, t), horner(tf.square(t), ATANH_TO_15));
    // x ∈ [½, 2] ⟺ |x − 1.25| ≤ 0.75; a NaN x falls to the unclamped branch.
    return tf.where(tf.less(tf.abs(tf.sub(x, 1.25)), 0.75), near, tf.log(x));
  },
  (x) => tf.reciprocal(x),
);

/**
 * log(1 + x) for x ≥ −1, to float32 rounding relative to its value also
 * where x is tiny (−∞ at −1, NaN below):
 *
 * ```text
 * |x| < ¼:  2 atanh(t) = 2t (1 + t²/3 + t⁴/5 + t⁶/7 + t⁸/9),   t = x/(2 + x)
 * |x| ≥ ¼:  log(1 + x)
 * ```
 *
 * The cpu backend's own kernel (float64) where it runs.
 *
 * @param x Values ≥ −1.
 * @returns log(1 + x), elementwise; its gradient is 1/(1 + x).
 */
export function log1p(x: tf.Tensor): tf.Tensor {
  return native("log1p") ? tf.log1p(x) : log1pForm(x);
}

const expm1Form = withDerivative(
  (x) => {
    // |x| < ½: x Σ xⁿ/(n + 1)!, whose next term is below 10⁻⁹ relative;
    // beyond, eˣ − 1 loses at most a bit (eˣ ≤ 0.61 or ≥ 1.65).
    const xs = tf.clipByValue(x, -0.5, 0.5);
    const near = tf.mul(xs, horner(xs, EXPM1_OVER_X));
    return tf.where(tf.less(tf.abs(x), 0.5), near, tf.sub(tf.exp(x), 1));
  },
  (x) => tf.exp(x),
);

/**
 * eˣ − 1, to float32 rounding relative to its value also where x is tiny:
 *
 * ```text
 * |x| < ½:  x (1 + x/2! + x²/3! + … + x⁹/10!)
 * |x| ≥ ½:  eˣ − 1
 * ```
 *
 * The backend's own kernel on cpu and wasm, where it is accurate.
 *
 * @param x Values.
 * @returns eˣ − 1, elementwise; its gradient is eˣ.
 */
export function expm1(x: tf.Tensor): tf.Tensor {
  return native("expm1") ? tf.expm1(x) : expm1Form(x);
}

/**
 * f(t) = eᵗ − 1 − t ≥ 0, accurate to float32 rounding for every t: a Taylor
 * series for |t| < ½ (where expm1(t) − t cancels), expm1(t) − t up to 30, and
 * eᵗ beyond (where t is below eᵗ's last bit, and ∞ − ∞ cannot occur). Its
 * gradient f′(t) = expm1(t) is written out, so no branch can make it NaN.
 */
export const expm1MinusX: (t: tf.Tensor) => tf.Tensor = withDerivative(
  (t) => {
    const small = tf.clipByValue(t, -0.5, 0.5);
    // t²/2 · (1 + t/3 · (1 + t/4 · (1 + … t/9))): the series to t⁹, whose
    // next term is below float32 rounding for |t| ≤ ½.
    let poly: tf.Tensor = tf.onesLike(small);
    for (let n = 9; n >= 3; n--) poly = tf.add(1, tf.mul(tf.div(small, n), poly));
    const series = tf.mul(tf.mul(0.5, tf.square(small)), poly);
    const mid = tf.minimum(t, 30);
    const middle = tf.sub(expm1(mid), mid);
    return tf.where(
      tf.less(tf.abs(t), 0.5),
      series,
      tf.where(tf.less(t, 30), middle, tf.exp(t)),
    );
  },
  (t) => expm1(t),
);

// t²/3 + t⁴/5 + … of log1pmx, as a polynomial in t², to t¹⁶ (t² ≤ 1/9).
const ATANH_SERIES = Array.from({ length: 8 }, (_, k) => 1 / (2 * k + 3));

/**
 * log(1 + y) − y ≤ 0 for y > −1, without cancellation near 0: with
 * t = y/(2 + y) and S = Σₖ≥₁ t²ᵏ/(2k + 1), it is t (2S − y) for |y| < ½
 * (log(1 + y) = 2 atanh t, whose terms never cancel), log1p(y) − y beyond.
 *
 * @param y Values > −1.
 * @returns log(1 + y) − y, elementwise.
 */
export function log1pmx(y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const ys = tf.clipByValue(y, -0.5, 0.5);
    const t = tf.div(ys, tf.add(ys, 2)), t2 = tf.square(t);
    const s = tf.mul(t2, horner(t2, ATANH_SERIES));
    const near = tf.mul(t, tf.sub(tf.mul(2, s), ys));
    const far = tf.sub(log1p(y), y);
    // (A NaN y falls to the unclamped branch.)
    return tf.where(tf.greaterEqual(0.5, tf.abs(y)), near, far);
  });
}

/**
 * log(a/b) for positive a, b, the twin of the core's `logRatio`: accurate
 * when a ≈ b, where a − b is exact (Sterbenz's lemma) and log1p keeps its
 * digits, and free of overflow when they are far apart:
 *
 * ```text
 * b/2 ≤ a ≤ 2b:  log1p((a − b)/b)
 * otherwise:     log a − log b
 * ```
 *
 * @param a Values > 0.
 * @param b Values > 0.
 * @returns log(a/b), elementwise (broadcast).
 */
export function logRatio(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const near = log1p(tf.div(tf.sub(a, b), b));
    const far = tf.sub(log(a), log(b));
    return tf.where(
      tf.greaterEqual(tf.mul(2, b), a),
      tf.where(tf.greaterEqual(tf.mul(2, a), b), near, far),
      far,
    );
  });
}

/**
 * log(1 − eˣ) for x ≤ 0 (−∞ at 0, NaN above), the twin of the core's
 * `log1mexp`, in Mächler's two forms:
 *
 * ```text
 * x ≥ −log 2:  log(−expm1(x))
 * x < −log 2:  log1p(−eˣ)
 * ```
 *
 * @param x Values ≤ 0.
 * @returns log(1 − eˣ) < 0, elementwise.
 */
export function log1mexp(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.where(
      tf.greaterEqual(-Math.LN2, x),
      log1p(tf.neg(tf.exp(tf.minimum(x, -Math.LN2)))),
      log(tf.neg(expm1(x))),
    )
  );
}

/**
 * x log y, with 0 where x = 0 (also where y = 0, as 0 log 0 = 0 in an
 * entropy), broadcast.
 *
 * @param x Values.
 * @param y Values ≥ 0.
 * @returns x log y, elementwise.
 */
export function xlogy(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const zero = tf.equal(x, 0);
    const safe = tf.where(zero, tf.onesLike(y), y);
    return tf.where(zero, tf.zerosLike(safe), tf.mul(x, log(safe)));
  });
}
