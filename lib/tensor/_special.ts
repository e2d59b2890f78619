// Special functions on float32 tensors, built from tfjs ops so that autodiff
// differentiates them (tfjs 4.22 has no lgamma or digamma): log Γ, ψ, log B
// and the pieces the families' stable formulas are written in — the float32
// twins of lib/math/special.ts and lib/math/_gamma_series.ts.
//
// With L = log 2π, Stirling's formula splits log Γ into a closed part and a
// small positive remainder c(x); ψ splits the same way:
//
//   log Γ(x) = (x − ½) log x − x + ½ L + c(x),    c(x) ≈ 1/(12x)
//   ψ(x)     = log x − r(x),                       r(x) ≈ 1/(2x)
//
// For x ≥ 8 each remainder is its asymptotic series (Abramowitz & Stegun
// 6.1.40, 6.3.18), below a recurrence in x ↦ x + 1 whose steps are all ≥ 0.
// The recurrence runs along a new last axis of 8 shifts, masked, so a call
// costs a fixed few dozen kernels whatever the values. Every branch gets an
// input clipped to its own domain, so that the branches tf.where discards
// pass no NaN into a gradient. Among tfjs's comparisons only greaterEqual
// has a gradient (the others throw when autodiff meets them), so every
// condition here is an a ≥ b, with the branches of tf.where in that order.
import { tf } from "./_tf.ts";
import { log1p } from "./_stable.ts";
import { HALF_LOG_2PI } from "../math/_constants.ts";
import {
  BERNOULLI_2K,
  DIGAMMA_AT_ROOT,
  DIGAMMA_ROOT,
  LOG_GAMMA_2,
} from "../math/_special_coefficients.ts";
import { stirlingRemainder as stirlingRemainder64 } from "../math/_gamma_series.ts";

/** Where the asymptotic series take over; also the number of recurrence steps. */
const SERIES_FROM = 8;

/** Σₖ c[k] xᵏ by Horner's rule. */
function horner(x: tf.Tensor, c: readonly number[]): tf.Tensor {
  let s: tf.Tensor = tf.fill(x.shape, c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) s = tf.add(tf.mul(s, x), c[k]!);
  return s;
}

// Four terms of each asymptotic series: the fifth is below 10⁻¹⁰ at x = 8.
const STIRLING = BERNOULLI_2K.slice(0, 4).map((b, i) => b / ((2 * i + 2) * (2 * i + 1)));
const DIGAMMA = BERNOULLI_2K.slice(0, 4).map((b, i) => b / (2 * i + 2));
// log Γ(2 + ε) for |ε| ≤ ½: terms beyond the 14th are below 10⁻¹⁰.
const NEAR_2 = [0, ...LOG_GAMMA_2.slice(0, 14)];
// ψ(x₀ + δ) for |δ| < 0.2: terms beyond the 12th are below 10⁻¹⁰.
const AT_ROOT = DIGAMMA_AT_ROOT.slice(0, 12);
const ROOT_HEAD = Math.fround(DIGAMMA_ROOT), ROOT_TAIL = DIGAMMA_ROOT - ROOT_HEAD;
// u²/3 + u⁴/5 + … as a polynomial in u², to u³² (u² ≤ 1/4 where it is used).
const ATANH_STEP = Array.from({ length: 16 }, (_, k) => 1 / (2 * k + 3));
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
 * `value`, but NaN where x is NaN: the clamps that keep each branch in its
 * domain turn a NaN into a number on some backends (wasm's min and max).
 */
function keepNaN(x: tf.Tensor, value: tf.Tensor): tf.Tensor {
  return tf.where(tf.isNaN(x), x, value);
}

/** x + i for i = 0 … 7 along a new last axis, and where each shift is past 8. */
function shifts(x: tf.Tensor): { z: tf.Tensor; past: tf.Tensor } {
  const z = tf.add(tf.expandDims(x, -1), tf.range(0, SERIES_FROM, 1, "float32"));
  return { z, past: tf.greaterEqual(z, SERIES_FROM) };
}

/** The first shift of x at or above 8: x + ⌈8 − x⌉ (x itself from 8 on). */
function shifted(x: tf.Tensor): tf.Tensor {
  return tf.add(x, tf.relu(tf.ceil(tf.sub(SERIES_FROM, x))));
}

/**
 * Stirling's remainder c(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π > 0,
 * for x > 0: Σₖ B₂ₖ / (2k (2k − 1) x²ᵏ⁻¹) from 8 on, and below the
 * recurrence c(x) = c(x + 1) + (x + ½) log(1 + 1/x) − 1, whose step is the
 * positive series u²/3 + u⁴/5 + … in u = 1/(2x + 1) (for x ≥ ½).
 *
 * @param x Values > 0.
 * @returns c(x), elementwise.
 */
export function stirlingRemainder(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { z, past } = shifts(x);
    const u = tf.reciprocal(tf.add(tf.mul(2, z), 1));
    const u2 = tf.square(tf.minimum(u, 0.5));
    const series = tf.mul(u2, horner(u2, ATANH_STEP));
    const zLow = tf.minimum(z, 0.5);
    const direct = tf.sub(tf.mul(tf.add(zLow, 0.5), log1p(tf.reciprocal(zLow))), 1);
    const step = tf.where(tf.greaterEqual(z, 0.5), series, direct);
    const steps = tf.sum(tf.where(past, tf.zerosLike(step), step), -1);
    const w = shifted(x);
    return tf.add(steps, tf.div(horner(tf.reciprocal(tf.square(w)), STIRLING), w));
  });
}

// c(k) for the integers k = 0 … 15 (c(0) = +∞ is never used), from the core.
const STIRLING_AT_INTEGERS = Array.from(
  { length: 16 },
  (_, k) => k === 0 ? 0 : stirlingRemainder64(k),
);

/**
 * Stirling's remainder c(k) at integers k ≥ 1 (as float32 values): a table
 * below 16, the four-term series from there; much cheaper than
 * {@linkcode stirlingRemainder}, for the Poisson log-mass. Its gradient is
 * zero (k is a count), which also keeps autodiff off the table lookup.
 *
 * @param k Integers ≥ 1.
 * @returns c(k), elementwise.
 */
export const stirlingRemainderAtIntegers: (k: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const k = args[0] as tf.Tensor;
    const table = tf.gather(
      tf.tensor1d(STIRLING_AT_INTEGERS, "float32"),
      tf.cast(tf.clipByValue(k, 0, 15), "int32"),
    );
    const w = tf.maximum(k, 16);
    const series = tf.div(horner(tf.reciprocal(tf.square(w)), STIRLING), w);
    return {
      value: tf.where(tf.greaterEqual(k, 16), series, table),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
    };
  },
) as (k: tf.Tensor) => tf.Tensor;

/**
 * The digamma remainder r(x) = log x − ψ(x) > 0 for x > 0:
 * 1/(2x) + Σₖ B₂ₖ / (2k x²ᵏ) from 8 on, and below the recurrence
 * r(x) = r(x + 1) + 1/x − log(1 + 1/x), each step ≥ 0.
 *
 * @param x Values > 0.
 * @returns r(x), elementwise.
 */
export function digammaRemainder(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { z, past } = shifts(x);
    const v = tf.reciprocal(z);
    const step = tf.where(
      tf.greaterEqual(0.5, v),
      tf.neg(log1pmx(tf.minimum(v, 0.5))),
      tf.sub(v, log1p(v)),
    );
    const steps = tf.sum(tf.where(past, tf.zerosLike(step), step), -1);
    const w = shifted(x), y = tf.reciprocal(tf.square(w));
    return tf.add(steps, tf.add(tf.div(0.5, w), tf.mul(y, horner(y, DIGAMMA))));
  });
}

/**
 * The log-gamma function log Γ(x) for x > 0, to float32 rounding relative
 * to its value (also next to its zeros at 1 and 2), differentiable by
 * autodiff (its gradient is {@linkcode digamma}):
 *
 * ```text
 * x < 2.5:   log Γ(2 + ε) = (1 − γ) ε + Σₖ≥₂ (−1)ᵏ (ζ(k) − 1) εᵏ / k,   |ε| ≤ ½,
 *            with Γ(x + 1) = x Γ(x) to reach it
 * x < 8:     the recurrence down to [1.5, 2.5)
 * x ≥ 8:     (x − ½) log x − x + ½ log 2π + c(x)     (Stirling)
 * ```
 *
 * @param x Values > 0.
 * @returns log Γ(x), elementwise.
 */
export function logGamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // [2.5, 8): x = y + n with y ∈ [1.5, 2.5), log Γ(x) = log Γ(y) + log Π_{j<n} (y + j).
    const mid = tf.clipByValue(x, 2.5, SERIES_FROM);
    const n = tf.floor(tf.sub(mid, 1.5)), y = tf.sub(mid, n);
    const j = tf.range(0, 6, 1, "float32");
    const factors = tf.add(tf.expandDims(y, -1), j);
    const unused = tf.greaterEqual(j, tf.expandDims(n, -1));
    const logProduct = tf.log(
      tf.prod(tf.where(unused, tf.onesLike(factors), factors), factors.rank - 1),
    );
    // Below 2.5: ε for log Γ(2 + ε), and what turns log Γ(2 + ε) into log Γ(x).
    const tiny = tf.clipByValue(x, 0, 0.5), low = tf.clipByValue(x, 0.5, 1.5);
    // Each piece for x below b, then the rest: b ≤ x.
    const below = (b: number, lower: tf.Tensor, rest: tf.Tensor) =>
      tf.where(tf.greaterEqual(x, b), rest, lower);
    const eps = below(
      0.5,
      tiny,
      below(1.5, tf.sub(low, 1), below(2.5, tf.sub(x, 2), tf.sub(y, 2))),
    );
    const fix = below(
      0.5,
      tf.neg(tf.add(log1p(tiny), tf.log(tiny))),
      below(1.5, tf.neg(log1p(tf.sub(low, 1))), below(2.5, tf.zerosLike(x), logProduct)),
    );
    const near = tf.add(horner(tf.clipByValue(eps, -0.5, 0.5), NEAR_2), fix);
    const big = tf.maximum(x, SERIES_FROM);
    const stirling = tf.add(
      tf.sub(tf.mul(tf.sub(big, 0.5), tf.log(big)), big),
      tf.add(HALF_LOG_2PI, tf.div(horner(tf.reciprocal(tf.square(big)), STIRLING), big)),
    );
    return keepNaN(x, tf.where(tf.greaterEqual(x, SERIES_FROM), stirling, near));
  });
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x) for x > 0, differentiable by
 * autodiff (its gradient is the trigamma function):
 *
 * ```text
 * ψ(x)      = log x − r(x)                         (r as in digammaRemainder)
 * ψ(x₀ + δ) = Σₙ (−1)ⁿ⁺¹ ζ(n + 1, x₀) δⁿ,   |δ| < 0.2,   x₀ ≈ 1.4616 the root of ψ
 * ```
 *
 * @param x Values > 0.
 * @returns ψ(x), elementwise.
 */
export function digamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // x − x₀ with x₀ as a float32 head (x minus it is exact) and a tail.
    const d = tf.sub(tf.sub(x, ROOT_HEAD), ROOT_TAIL);
    const root = horner(tf.clipByValue(d, -0.2, 0.2), AT_ROOT);
    const general = tf.sub(tf.log(x), digammaRemainder(x));
    return keepNaN(x, tf.where(tf.greaterEqual(tf.abs(d), 0.2), general, root));
  });
}

/** h(x) = c(x) − ½ log x, the convex function behind the concentration families' KLs. */
export function stirlingH(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(stirlingRemainder(x), tf.mul(0.5, tf.log(x))));
}

/**
 * log B(α) = Σᵢ log Γ(αᵢ) − log Γ(Σᵢ αᵢ) over the last axis, with s = Σ αᵢ
 * and h(x) = c(x) − ½ log x, in the form that subtracts no terms of size
 * α log α:
 *
 * ```text
 * log B(α) = Σᵢ αᵢ log(αᵢ/s) + Σᵢ h(αᵢ) − h(s) + (K − 1)/2 · log 2π
 * ```
 *
 * @param alpha Concentrations > 0, `[..., K]`.
 * @returns log B(α), `[...]`.
 */
export function logMultivariateBeta(alpha: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const k = alpha.shape[alpha.rank - 1]!;
    const s = tf.sum(alpha, -1, true);
    const first = tf.sum(tf.mul(alpha, tf.log(tf.div(alpha, s))), -1);
    const hs = tf.sub(tf.sum(stirlingH(alpha), -1), tf.squeeze(stirlingH(s), [-1]));
    return tf.add(tf.add(first, hs), (k - 1) * HALF_LOG_2PI);
  });
}
