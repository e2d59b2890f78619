// The pieces of log Γ and ψ on float32 tensors from which the families build
// formulas that do not cancel — the twin of lib/math/_gamma_series.ts. With
// L = log 2π, Stirling's formula splits log Γ into a closed part and a small
// positive remainder c(x); ψ and ψ′ split the same way:
//
//   log Γ(x) = (x − ½) log x − x + ½ L + c(x),    c(x) ≈ 1/(12x)
//   ψ(x)     = log x − r(x),                       r(x) ≈ 1/(2x)
//   ψ′(x)    = 1/x + k(x)/x²,                      k(x) ≈ ½
//
// With h(x) = c(x) − ½ log x, r = −h′ and k = x² h″ > 0, so h is convex, and
// every KL of the Gamma, Beta and Dirichlet families has a Bregman divergence
// of h in it (see bregmanH). For x ≥ 8 each remainder is its asymptotic
// series (Abramowitz & Stegun 6.1.40, 6.3.18, 6.4.12), below a recurrence in
// x ↦ x + 1 whose steps are all ≥ 0. The recurrence runs along a new last
// axis of 8 shifts, masked, so a call costs a fixed few dozen kernels
// whatever the values. Every branch gets an input clipped to its own domain,
// so that the branches tf.where discards pass no NaN into a gradient. Among
// tfjs's comparisons only greaterEqual has a gradient (the others throw when
// autodiff meets them), so every condition here is an a ≥ b, with the
// branches of tf.where in that order.
import { tf } from "./_tf.ts";
import { log, log1p, log1pmx } from "./_stable.ts";
import { BERNOULLI_2K, GAUSS_NODES, GAUSS_WEIGHTS } from "../math/_special_coefficients.ts";
import { stirlingRemainder as stirlingRemainder64 } from "../math/_gamma_series.ts";

/** Where the asymptotic series take over; also the number of recurrence steps. */
export const SERIES_FROM = 8;

/** Σₖ c[k] xᵏ by Horner's rule. */
export function horner(x: tf.Tensor, c: readonly number[]): tf.Tensor {
  let s: tf.Tensor = tf.fill(x.shape, c[c.length - 1]!);
  for (let k = c.length - 2; k >= 0; k--) s = tf.add(tf.mul(s, x), c[k]!);
  return s;
}

// Four terms of each asymptotic series: the fifth is below 10⁻¹⁰ at x = 8.
const STIRLING = BERNOULLI_2K.slice(0, 4).map((b, i) => b / ((2 * i + 2) * (2 * i + 1)));
const DIGAMMA = BERNOULLI_2K.slice(0, 4).map((b, i) => b / (2 * i + 2));
const TRIGAMMA = BERNOULLI_2K.slice(0, 4);
// u²/3 + u⁴/5 + … as a polynomial in u², to u³² (u² ≤ 1/4 where it is used).
const ATANH_STEP = Array.from({ length: 16 }, (_, k) => 1 / (2 * k + 3));

/** c(w) for w ≥ 8: Σₖ B₂ₖ / (2k (2k − 1) w²ᵏ⁻¹). */
export function stirlingSeries(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(horner(tf.reciprocal(tf.square(w)), STIRLING), w));
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
 * k(x) = x² (ψ′(x) − 1/x) = x² h″(x) ∈ (½, 1] for x > 0, bounded where ψ′
 * itself overflows: ½ + Σₖ B₂ₖ / x²ᵏ⁻¹ from 8 on, and below, with
 * w = x + n the first shift past 8, the recurrence
 * k(x) = (x/(x + 1))² k(x + 1) + 1/(x + 1) unrolled (its products telescope):
 *
 * ```text
 * k(x) = (x/w)² k(w) + Σ_{i<n} x² / ((x + i)² (x + i + 1))
 * ```
 *
 * @param x Values > 0.
 * @returns k(x), elementwise.
 */
export function scaledTrigammaRemainder(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { z, past } = shifts(x);
    const x2 = tf.expandDims(tf.square(x), -1);
    const step = tf.div(x2, tf.mul(tf.square(z), tf.add(z, 1)));
    const steps = tf.sum(tf.where(past, tf.zerosLike(step), step), -1);
    const w = shifted(x), y = tf.reciprocal(tf.square(w));
    const kw = tf.add(0.5, tf.div(tf.mul(y, horner(y, TRIGAMMA)), tf.reciprocal(w)));
    return tf.add(tf.mul(tf.square(tf.div(x, w)), kw), steps);
  });
}

/** h(x) = c(x) − ½ log x, the convex function behind the concentration families' KLs. */
export function stirlingH(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(stirlingRemainder(x), tf.mul(0.5, log(x))));
}

/**
 * The Bregman divergence of the convex h(x) = c(x) − ½ log x,
 * D_h(x₀ → x₁) = h(x₁) − h(x₀) − (x₁ − x₀) h′(x₀) ≥ 0, elementwise; the twin
 * of the core's `bregmanH`. Where x₁ is within a factor 1.5 of x₀ it is
 *
 * ```text
 * D_h = δ² ∫₀¹ (1 − τ) h″(x₀ + τδ) dτ = Σⱼ wⱼ (1 − τⱼ) (δ/xⱼ)² k(xⱼ),   xⱼ = x₀ + τⱼ δ
 * ```
 *
 * by a 10-point Gauss–Legendre rule on a positive integrand: small and
 * positive with all its digits, where the difference of h values would
 * cancel (near-identical arguments). Beyond, the difference itself
 * (clamped at 0, as the core clamps it).
 *
 * @param x0 Values > 0.
 * @param x1 Values > 0.
 * @param d x₁ − x₀ when it is known more exactly than the difference of the
 *   rounded x₁ and x₀ (a difference of sums); default x₁ − x₀.
 * @returns D_h(x₀ → x₁) ≥ 0, elementwise.
 */
export function bregmanH(x0: tf.Tensor, x1: tf.Tensor, d?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const delta = d ?? tf.sub(x1, x0);
    const lim = tf.mul(0.5, tf.minimum(x0, x1));
    const dq = tf.expandDims(tf.minimum(tf.maximum(delta, tf.neg(lim)), lim), -1);
    const nodes = tf.tensor1d(GAUSS_NODES as number[], "float32");
    const xj = tf.add(tf.expandDims(x0, -1), tf.mul(nodes, dq));
    const weights = tf.tensor1d(GAUSS_WEIGHTS.map((w, j) => w * (1 - GAUSS_NODES[j]!)));
    const quad = tf.sum(
      tf.mul(tf.mul(weights, tf.square(tf.div(dq, xj))), scaledTrigammaRemainder(xj)),
      -1,
    );
    const far = tf.relu(
      tf.add(
        tf.sub(stirlingRemainder(x1), stirlingRemainder(x0)),
        tf.sub(tf.mul(delta, digammaRemainder(x0)), tf.mul(0.5, log(tf.div(x1, x0)))),
      ),
    );
    return tf.where(tf.greaterEqual(lim, tf.abs(delta)), quad, far);
  });
}
