// Special functions of the float64 core: log Γ, ψ, log B and log(1 − eˣ).
import { HALF_LOG_2PI } from "./_constants.ts";
import { digammaRemainder, logGammaNear2, stirlingRemainder } from "./_gamma_series.ts";
import { DIGAMMA_AT_ROOT, DIGAMMA_ROOT } from "./_special_coefficients.ts";
import { assertNotNaN, assertPositive, show } from "./_validate.ts";

function assertGammaArgument(what: string, x: unknown): asserts x is number {
  assertNotNaN(what, "x", x);
  if (!(x > 0)) throw new RangeError(`${what} as x must be > 0: current value is ${show(x)}`);
}

/** log Γ(x) for x > 0, unchecked (see {@linkcode logGamma}). */
export function logGammaUnchecked(x: number): number {
  if (x >= 10) {
    return x === Infinity ? Infinity : (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI +
      stirlingRemainder(x);
  }
  if (x >= 2.5) {
    // Down to [1.5, 2.5) by Γ(x) = (x − 1) Γ(x − 1); x − n is exact.
    const n = Math.floor(x - 1.5), y = x - n;
    let prod = 1;
    for (let j = 0; j < n; j++) prod *= y + j;
    return logGammaNear2(y - 2) + Math.log(prod);
  }
  if (x >= 1.5) return logGammaNear2(x - 2);
  if (x >= 0.5) return logGammaNear2(x - 1) - Math.log1p(x - 1);
  // Γ(x) = Γ(x + 2) / (x (x + 1)); log Γ(x + 2) is 0 to the last bit for tiny x.
  return logGammaNear2(x) - Math.log1p(x) - Math.log(x);
}

/**
 * The log-gamma function log Γ(x) for x > 0, accurate to about 2 × 10⁻¹⁶
 * relative to its value (also next to its zeros at 1 and 2, and for tiny
 * and huge x).
 *
 * ```text
 * x < 2.5:   log Γ(2 + ε) = (1 − γ) ε + Σₖ≥₂ (−1)ᵏ (ζ(k) − 1) εᵏ / k,   |ε| ≤ ½,
 *            with Γ(x + 1) = x Γ(x) to reach it
 * x < 10:    the recurrence down to [1.5, 2.5)
 * x ≥ 10:    (x − ½) log x − x + ½ log 2π + Σₖ B₂ₖ / (2k (2k − 1) x²ᵏ⁻¹)   (Stirling)
 * ```
 *
 * @param x A number > 0 (+∞ gives +∞).
 * @returns log Γ(x); +∞ where it overflows (x ≳ 2.5 × 10³⁰⁵).
 * @throws {TypeError} If `x` is not a number.
 * @throws {RangeError} If `x` is NaN or ≤ 0.
 *
 * @example
 * ```ts
 * import { logGamma } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(logGamma(1), 0);
 * assert.ok(Math.abs(logGamma(5) - Math.log(24)) < 1e-15);
 * assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-15);
 * ```
 */
export function logGamma(x: number): number {
  assertGammaArgument("Cannot compute logGamma", x);
  return logGammaUnchecked(x);
}

/** ψ(x) for x > 0, unchecked (see {@linkcode digamma}). */
export function digammaUnchecked(x: number): number {
  if (x === Infinity) return Infinity;
  const d = x - DIGAMMA_ROOT;
  if (Math.abs(d) < 0.2) {
    let s = 0;
    for (let n = DIGAMMA_AT_ROOT.length - 1; n >= 0; n--) s = s * d + DIGAMMA_AT_ROOT[n]!;
    return s;
  }
  // ψ(x) = −1/x − γ + O(x) below; 1/x overflows for subnormal x.
  if (x < 1e-300) return -1 / x - 0.5772156649015329;
  return Math.log(x) - digammaRemainder(x);
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x) for x > 0, accurate to a few
 * ulps relative to its value (also next to its zero at x₀ ≈ 1.4616).
 *
 * ```text
 * ψ(x)  = log x − 1/(2x) − Σₖ B₂ₖ / (2k x²ᵏ)          x ≥ 10
 * ψ(x)  = ψ(x + 1) − 1/x                              below, upwards
 * ψ(x₀ + δ) = Σₙ (−1)ⁿ⁺¹ ζ(n + 1, x₀) δⁿ               |δ| < 0.2
 * ```
 *
 * @param x A number > 0 (+∞ gives +∞).
 * @returns ψ(x); −∞ where −1/x overflows (x < 5.6 × 10⁻³⁰⁹).
 * @throws {TypeError} If `x` is not a number.
 * @throws {RangeError} If `x` is NaN or ≤ 0.
 *
 * @example
 * ```ts
 * import { digamma } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const eulerGamma = 0.5772156649015329;
 * assert.ok(Math.abs(digamma(1) + eulerGamma) < 1e-15);
 * assert.ok(Math.abs(digamma(2) - (1 - eulerGamma)) < 1e-15);
 * ```
 */
export function digamma(x: number): number {
  assertGammaArgument("Cannot compute digamma", x);
  return digammaUnchecked(x);
}

/** log B(a, b) for finite a, b > 0, unchecked (see {@linkcode logBeta}). */
export function logBetaUnchecked(a: number, b: number): number {
  const p = Math.min(a, b), q = Math.max(a, b);
  if (q < 10) return logGammaUnchecked(p) + logGammaUnchecked(q) - logGammaUnchecked(p + q);
  const rho = p / q, l1 = Math.log1p(rho);
  if (p < 10) {
    // log Γ(q) − log Γ(p + q) by Stirling, without forming either.
    const corr = stirlingRemainder(q) - stirlingRemainder(p + q);
    return logGammaUnchecked(p) + corr + p - p * (Math.log(q) + l1) - (q - 0.5) * l1;
  }
  const corr = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(p + q);
  return -0.5 * Math.log(q) + HALF_LOG_2PI + corr + (p - 0.5) * (Math.log(rho) - l1) - q * l1;
}

/**
 * The log of the beta function, log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b),
 * without the cancellation of that difference when a or b is large (the
 * form of R's `lbeta`: Stirling's formula with its remainders, Didonato &
 * Morris 1992):
 *
 * ```text
 * p = min(a, b), q = max(a, b), ρ = p/q, c(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π
 * p ≥ 10:          −½ log q + ½ log 2π + c(p) + c(q) − c(p + q) + (p − ½) log(ρ/(1 + ρ)) − q log(1 + ρ)
 * p < 10 ≤ q:      log Γ(p) + c(q) − c(p + q) + p − p log(p + q) − (q − ½) log(1 + ρ)
 * q < 10:          log Γ(p) + log Γ(q) − log Γ(p + q)
 * ```
 *
 * @param a A finite number > 0.
 * @param b A finite number > 0.
 * @returns log B(a, b).
 * @throws {TypeError} If an argument is not a number.
 * @throws {RangeError} If an argument is not finite and > 0.
 *
 * @example
 * ```ts
 * import { logBeta } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(logBeta(2, 3) - Math.log(1 / 12)) < 1e-15);
 * // B(1, b) = 1/b even where log Γ(b) is ~2 × 10¹⁶
 * assert.ok(Math.abs(logBeta(1, 1e15) + Math.log(1e15)) < 1e-13);
 * ```
 */
export function logBeta(a: number, b: number): number {
  assertPositive("Cannot compute logBeta", "a", a);
  assertPositive("Cannot compute logBeta", "b", b);
  return logBetaUnchecked(a, b);
}

/**
 * log(1 − eˣ) for x ≤ 0, without the cancellation of 1 − eˣ near x = 0 or
 * the loss of eˣ beside 1 for very negative x (Mächler 2012):
 *
 * ```text
 * log1mexp(x) = log(−expm1(x))    −log 2 < x ≤ 0
 *             = log1p(−exp(x))    x ≤ −log 2
 * ```
 *
 * @param x A number ≤ 0 (0 gives −∞, −∞ gives 0).
 * @returns log(1 − eˣ) ≤ 0.
 * @throws {TypeError} If `x` is not a number.
 * @throws {RangeError} If `x` is NaN or > 0.
 *
 * @example
 * ```ts
 * import { log1mexp } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(log1mexp(-1e-20) - Math.log(1e-20)) < 1e-13);
 * assert.equal(log1mexp(-50), Math.log1p(-Math.exp(-50)));
 * assert.equal(log1mexp(0), -Infinity);
 * ```
 */
export function log1mexp(x: number): number {
  assertNotNaN("Cannot compute log1mexp", "x", x);
  if (!(x <= 0)) {
    throw new RangeError(`Cannot compute log1mexp as x must be ≤ 0: current value is ${show(x)}`);
  }
  return log1mexpUnchecked(x);
}

/** log(1 − eˣ) for x ≤ 0, unchecked. */
export function log1mexpUnchecked(x: number): number {
  // + 0 turns log1p(−0) = −0 at x = −∞ into 0.
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x)) + 0;
}
