// The tensor layer's stable math: every formula of lib/tensor that needs
// log1p, expm1, softplus, log(1 − e⁻ʸ), a log-sum-exp or x log y takes it
// from here, never from tfjs directly (tests/tensor/stable_test.ts checks
// the sources). Each function is accurate to a few float32 roundings
// relative to its result on every backend, for every float32 input:
//
// - tfjs's kernels differ by backend. The cpu backend computes in float64
//   and rounds once. tfjs-wasm's `log1p` is `log(1 + x)` in float32
//   (log1p(1e-9) = 0) and its `softplus` switches to eˣ below −13.9 (4·10⁻⁷
//   off there); WebGL's `log1p`, `expm1` and `softplus` are the naive forms
//   in float32, and its `log` may be off by 2⁻²¹ absolutely near 1.
// - So a function uses a backend's own kernel only where that kernel was
//   measured accurate (`NATIVE`), and elsewhere a form built from +, −, ×,
//   ÷, exp and log away from 1, which every backend computes well.
//
// float32 also overflows early (exp(89) = ∞) and cancels early (7 digits):
// each piece is written so that finite inputs never meet 0·∞ or ∞ − ∞, and
// quantities that are ≥ 0 in exact arithmetic stay ≥ 0 after rounding. A
// branch of a tf.where gets its input clamped to its own side where the
// branch not taken would pass a NaN into a gradient; the branch a NaN falls
// to takes the input unclamped (backends clamp NaN differently), so NaN in
// gives NaN out. A branch is chosen with greaterEqual, the one comparison
// tfjs can differentiate through, except inside a custom gradient.
import { tf } from "./_tf.ts";
import { offsetOf, uninitialised, wasmKernels } from "./_wasm_kernels.ts";

/** The kernels of each backend measured accurate to float32 rounding. */
const NATIVE: Readonly<Record<string, ReadonlySet<string>>> = {
  cpu: new Set(["log", "log1p", "expm1", "max"]),
  wasm: new Set(["log", "expm1", "max"]),
};

/** Whether the active backend's own kernel for `op` is accurate. */
function native(op: string): boolean {
  return NATIVE[tf.getBackend()]?.has(op) ?? false;
}

/** Σₖ c[k] xᵏ by Horner's rule (c of length ≥ 2). */
function horner(x: tf.Tensor, c: readonly number[]): tf.Tensor {
  let s = tf.add(tf.mul(x, c[c.length - 1]!), c[c.length - 2]!);
  for (let k = c.length - 3; k >= 0; k--) s = tf.add(tf.mul(s, x), c[k]!);
  return s;
}

/** 1, 1/3, 1/5, … , 1/9: the series of atanh(t)/t in t², to t⁸. */
const ATANH_OVER_T = [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9];
/** 1/n! for n = 1 … 10: the series of expm1(x)/x, to x⁹. */
const EXPM1_OVER_X = Array.from({ length: 10 }, (_, n) => {
  let f = 1;
  for (let k = 2; k <= n + 1; k++) f *= k;
  return 1 / f;
});

/**
 * A function whose value is computed by `value` and whose gradient is
 * dy · `derivative(x)`: for forms with branches, whose autodiff would be
 * the derivative of an approximation (or NaN from a branch not taken).
 */
function withDerivative(
  value: (x: tf.Tensor) => tf.Tensor,
  derivative: (x: tf.Tensor) => tf.Tensor,
): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return {
      value: value(x),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        tf.mul(dy as tf.Tensor, derivative(saved[0]!)),
      ],
    };
  }) as (x: tf.Tensor) => tf.Tensor;
}

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

/**
 * softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}), with the
 * gradient σ(x) written out (½ at 0, where an autodiff of the max would
 * give 0 or 1). On wasm, one SIMD pass over the values.
 *
 * @param x Values.
 * @returns softplus(x) > 0, elementwise.
 */
export const softplus: (x: tf.Tensor) => tf.Tensor = withDerivative(
  (x) => softplusValue(x),
  (x) => tf.sigmoid(x),
);

/**
 * softplus(x) as a value only, with no gradient recorded: for the forward
 * pass of an op whose gradient is written by hand (inside `tf.customGrad`).
 * On the wasm backend one SIMD pass (exact to a few float32 roundings down to
 * e⁻⁸⁷, the least normal float32, below which it gives e⁻⁸⁷), against
 * tfjs-wasm's own scalar loop, 2.4 times slower; elsewhere
 * max(x, 0) + {@linkcode log1p}(e^{−|x|}).
 */
export function softplusValue(x: tf.Tensor): tf.Tensor {
  const k = wasmKernels();
  if (k === undefined || x.dtype !== "float32" || x.size < 4) {
    return tf.tidy(() => tf.add(tf.relu(x), log1p(tf.exp(tf.neg(tf.abs(x))))));
  }
  const out = uninitialised(x.shape);
  k.softplus(offsetOf(x), offsetOf(out), x.size);
  return out;
}

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
 * log σ(x) = −softplus(−x), the log-probability of a logit.
 *
 * @param x Values.
 * @returns log σ(x) < 0, elementwise.
 */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(softplus(tf.neg(x))));
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
 * softplus⁻¹(y) = log(eʸ − 1) = y + log(1 − e^{−y}) for y > 0: no overflow
 * for large y, no cancellation for small y; NaN for y < 0.
 *
 * @param y Values > 0.
 * @returns softplus⁻¹(y), elementwise.
 */
export function softplusInverse(y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(y, log1mexp(tf.neg(y))));
}

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
