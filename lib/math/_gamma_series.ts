// Internal pieces of log Γ and ψ, each accurate to a few ulps relative to its
// own value, from which the families build formulas that do not cancel.
//
// With L = log 2π, Stirling's formula splits log Γ into a closed part and a
// small positive remainder c(x); ψ splits the same way:
//
//   log Γ(x) = (x − ½) log x − x + ½ L + c(x),    c(x) ≈ 1/(12x)
//   ψ(x)     = log x − r(x),                       r(x) ≈ 1/(2x)
//   ψ′(x)    = 1/x + k(x)/x²,                      k(x) ≈ ½
//
// With h(x) = c(x) − ½ log x, r = −h′ and k = x² h″ > 0, so h is convex, and
// every KL of the Gamma, Beta and Dirichlet families has a Bregman divergence
// of h in it (see bregmanH). For x ≥ 10 each piece is its asymptotic series
// (Abramowitz & Stegun 6.1.40, 6.3.18, 6.4.12); below, a recurrence in x ↦ x + 1
// whose steps are all ≥ 0, so nothing cancels.
import { log1pmx, logRatio } from "./_stable.ts";
import { BERNOULLI_2K, GAUSS_NODES, GAUSS_WEIGHTS, LOG_GAMMA_2 } from "./_special_coefficients.ts";

/** Where the asymptotic series take over. */
const SERIES_FROM = 10;

/** c(x) for x ≥ 10: Σₖ B₂ₖ / (2k (2k − 1) x²ᵏ⁻¹). */
function stirlingSeries(x: number): number {
  const y = 1 / (x * x);
  let s = 0;
  for (let k = BERNOULLI_2K.length; k >= 1; k--) {
    s = s * y + BERNOULLI_2K[k - 1]! / (2 * k * (2 * k - 1));
  }
  return s / x;
}

/** r(x) − 1/(2x) for x ≥ 10: Σₖ B₂ₖ / (2k x²ᵏ). */
function digammaSeries(x: number): number {
  const y = 1 / (x * x);
  let s = 0;
  for (let k = BERNOULLI_2K.length; k >= 1; k--) s = s * y + BERNOULLI_2K[k - 1]! / (2 * k);
  return s * y;
}

/** k(x) − ½ for x ≥ 10: Σₖ B₂ₖ / x²ᵏ⁻¹. */
function trigammaSeries(x: number): number {
  const y = 1 / (x * x);
  let s = 0;
  for (let k = BERNOULLI_2K.length; k >= 1; k--) s = s * y + BERNOULLI_2K[k - 1]!;
  return s / x;
}

/**
 * c(x) − c(x + 1) = (x + ½) log(1 + 1/x) − 1 ≥ 0; with u = 1/(2x + 1) it is
 * the series u²/3 + u⁴/5 + u⁶/7 + …, whose terms are all positive.
 */
function stirlingStep(x: number): number {
  if (x < 0.5) return (x + 0.5) * Math.log1p(1 / x) - 1;
  const u = 1 / (2 * x + 1), u2 = u * u;
  let term = u2, s = 0;
  for (let j = 3; j < 80; j += 2) {
    s += term / j;
    term *= u2;
    if (term < 1e-18 * s) break;
  }
  return s;
}

/**
 * c(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π for x > 0 (+∞ gives 0):
 * the remainder of Stirling's formula, positive and decreasing.
 */
export function stirlingRemainder(x: number): number {
  let s = 0;
  while (x < SERIES_FROM) {
    s += stirlingStep(x);
    x += 1;
  }
  return s + stirlingSeries(x);
}

/** r(x) = log x − ψ(x) > 0 for x > 0 (≈ 1/(2x) for large x, ≈ 1/x for small). */
export function digammaRemainder(x: number): number {
  let s = 0;
  while (x < SERIES_FROM) {
    const u = 1 / x;
    // r(x) − r(x + 1) = 1/x − log(1 + 1/x) ≥ 0
    s += u > 0.5 ? u - Math.log1p(u) : -log1pmx(u);
    x += 1;
  }
  return s + 0.5 / x + digammaSeries(x);
}

/**
 * k(x) = x² (ψ′(x) − 1/x) = x² h″(x), in (½, 1] for x > 0: bounded where
 * ψ′ itself overflows. Recurrence k(x) = (x/(x+1))² k(x + 1) + 1/(x + 1).
 */
export function scaledTrigammaRemainder(x: number): number {
  const n = x < SERIES_FROM ? Math.ceil(SERIES_FROM - x) : 0;
  let k = 0.5 + trigammaSeries(x + n);
  for (let i = n - 1; i >= 0; i--) {
    const next = x + (i + 1), ratio = (x + i) / next;
    k = ratio * ratio * k + 1 / next;
  }
  return k;
}

/**
 * The Bregman divergence of the convex h(x) = c(x) − ½ log x,
 * h(x₁) − h(x₀) − (x₁ − x₀) h′(x₀) ≥ 0, for x₀, x₁ > 0. When x₁ is within
 * a factor 1.5 of x₀ it is δ² ∫₀¹ (1 − τ) h″(x₀ + τδ) dτ (δ = x₁ − x₀), by a
 * 10-point Gauss–Legendre rule on a positive integrand: small and positive
 * with all its digits, where the difference of h values would cancel.
 * `d` is x₁ − x₀ when it is known more exactly than their rounded
 * difference (a difference of sums).
 */
export function bregmanH(x0: number, x1: number, d: number = x1 - x0): number {
  if (d === 0) return 0;
  if (Math.abs(d) <= 0.5 * Math.min(x0, x1)) {
    let s = 0;
    for (let j = 0; j < GAUSS_NODES.length; j++) {
      const t = GAUSS_NODES[j]!, x = x0 + t * d, ratio = d / x;
      s += GAUSS_WEIGHTS[j]! * (1 - t) * ratio * ratio * scaledTrigammaRemainder(x);
    }
    return s;
  }
  const b = -0.5 * logRatio(x1, x0) + stirlingRemainder(x1) - stirlingRemainder(x0) +
    d * digammaRemainder(x0);
  return b > 0 ? b : 0;
}

/** log Γ(2 + ε) for |ε| ≤ ½, by its Taylor series (coefficients ζ(k) − 1). */
export function logGammaNear2(e: number): number {
  let s = 0;
  for (let k = LOG_GAMMA_2.length - 1; k >= 0; k--) s = s * e + LOG_GAMMA_2[k]!;
  return s * e;
}
