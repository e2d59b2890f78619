// Special functions on float32 tensors, built from tfjs ops so that autodiff
// differentiates them (tfjs 4.22 has no lgamma or digamma): log Γ, ψ and
// log B — the float32 twins of lib/math/special.ts, from the remainders of
// lib/tensor/_gamma_series.ts.
import { tf } from "./_tf.ts";
import { HALF_LOG_2PI } from "../math/_constants.ts";
import { DIGAMMA_AT_ROOT, DIGAMMA_ROOT, LOG_GAMMA_2 } from "../math/_special_coefficients.ts";
import { log, log1p } from "./_stable.ts";
import {
  digammaRemainder,
  horner,
  SERIES_FROM,
  stirlingH,
  stirlingSeries,
} from "./_gamma_series.ts";

// log Γ(2 + ε) for |ε| ≤ ½: terms beyond the 14th are below 10⁻¹⁰.
const NEAR_2 = [0, ...LOG_GAMMA_2.slice(0, 14)];
// ψ(x₀ + δ) for |δ| < 0.2: terms beyond the 12th are below 10⁻¹⁰.
const AT_ROOT = DIGAMMA_AT_ROOT.slice(0, 12);
const ROOT_HEAD = Math.fround(DIGAMMA_ROOT), ROOT_TAIL = DIGAMMA_ROOT - ROOT_HEAD;

/**
 * `value`, but NaN where x is NaN: the clamps that keep each branch in its
 * domain turn a NaN into a number on some backends (wasm's min and max).
 */
function keepNaN(x: tf.Tensor, value: tf.Tensor): tf.Tensor {
  return tf.where(tf.isNaN(x), x, value);
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
    const logProduct = log(
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
      tf.neg(tf.add(log1p(tiny), log(tiny))),
      below(1.5, tf.neg(log1p(tf.sub(low, 1))), below(2.5, tf.zerosLike(x), logProduct)),
    );
    const near = tf.add(horner(tf.clipByValue(eps, -0.5, 0.5), NEAR_2), fix);
    const big = tf.maximum(x, SERIES_FROM);
    const stirling = tf.add(
      tf.sub(tf.mul(tf.sub(big, 0.5), log(big)), big),
      tf.add(HALF_LOG_2PI, stirlingSeries(big)),
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
    const general = tf.sub(log(x), digammaRemainder(x));
    return keepNaN(x, tf.where(tf.greaterEqual(tf.abs(d), 0.2), general, root));
  });
}

/**
 * Σ_{j ≠ i} αⱼ for each i over the last axis, summed from the others (row i
 * of α (1 − I)): s − αᵢ would lose its digits where αᵢ dominates.
 *
 * @param alpha `[..., K]`.
 * @returns `[..., K]`.
 */
export function sumOfOthers(alpha: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const others = tf.sub(1, tf.eye(alpha.shape[alpha.rank - 1]!));
    return tf.sum(tf.mul(tf.expandDims(alpha, -2), others), -1);
  });
}

/**
 * log B(α) = Σᵢ log Γ(αᵢ) − log Γ(Σᵢ αᵢ) over the last axis, with s = Σ αᵢ
 * and h(x) = c(x) − ½ log x, in the form that subtracts no terms of size
 * α log α, and with log(αᵢ/s) = −log1p((s − αᵢ)/αᵢ) from the sum of the
 * others (a ratio near 1 keeps its digits):
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
    const logShare = tf.neg(log1p(tf.div(sumOfOthers(alpha), alpha)));
    const first = tf.sum(tf.mul(alpha, logShare), -1);
    const hs = tf.sub(tf.sum(stirlingH(alpha), -1), tf.squeeze(stirlingH(s), [-1]));
    return tf.add(tf.add(first, hs), (k - 1) * HALF_LOG_2PI);
  });
}
