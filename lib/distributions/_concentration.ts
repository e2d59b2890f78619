// Internal formulas shared by Beta and Dirichlet, written around Stirling's
// remainders so that large concentrations lose no digits. With s = Σ αᵢ,
// c(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π, r(x) = log x − ψ(x) and
// h(x) = c(x) − ½ log x:
//
//   log B(α) = Σ αᵢ log(αᵢ/s) + Σ h(αᵢ) − h(s) + (K − 1)/2 · log 2π
//
// whose first sum has no cancellation (all terms ≤ 0) and whose h terms are
// of size log α, not α log α.
import { LOG_2PI } from "../math/_constants.ts";
import { digammaRemainder, stirlingRemainder } from "../math/_gamma_series.ts";
import { logRatio } from "../math/_stable.ts";
import { logGammaUnchecked } from "../math/special.ts";
import { bd0, productError } from "./_deviance.ts";

/** h(x) = c(x) − ½ log x. */
export function stirlingH(x: number): number {
  return stirlingRemainder(x) - 0.5 * Math.log(x);
}

/** The log-normaliser log B(α) and what the log-density needs of it. */
export interface Normaliser {
  /** s = Σ αᵢ, rounded. */
  sum: number;
  /** log B(α), for concentrations below 10. */
  logBeta: number;
  /** Σ h(αᵢ) − h(s) + (K − 1)/2 · log 2π, for the stable log-density. */
  hPart: number;
  /** Whether the stable log-density is used (some αᵢ ≥ 10). */
  large: boolean;
}

/** The normaliser of a Dirichlet (or Beta) with concentrations α (sum finite). */
export function normaliser(alpha: ArrayLike<number>): Normaliser {
  let s = 0, max = 0, lg = 0, hp = 0;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    s += a;
    if (a > max) max = a;
  }
  const large = max >= 10;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!;
    if (large) hp += stirlingH(a);
    else lg += logGammaUnchecked(a);
  }
  if (large) hp += -stirlingH(s) + 0.5 * (alpha.length - 1) * LOG_2PI;
  else lg -= logGammaUnchecked(s);
  return { sum: s, logBeta: lg, hPart: hp, large };
}

/**
 * log p(x) of a Dirichlet at a point x of the simplex with every xᵢ > 0, given
 * as x[i] + xError[i] (xError carries the rounding of a 1 − x). For large α it
 * uses, with λᵢ = s xᵢ,
 *
 * ```text
 * log p(x) = −Σ bd0(αᵢ, λᵢ) + s (Σ xᵢ − 1) − Σ log xᵢ − Σ h(αᵢ) + h(s) − (K − 1)/2 · log 2π
 * ```
 *
 * with each λᵢ − αᵢ taken with the rounding error of s·xᵢ, so that a density
 * of concentrations ~10¹⁰ keeps the digits its point allows. `logX[i]` is
 * log xᵢ (log1p(−x) for the complement of a Beta).
 */
export function logDensity(
  alpha: ArrayLike<number>,
  n: Normaliser,
  x: ArrayLike<number>,
  xError: ArrayLike<number> | undefined,
  logX: ArrayLike<number>,
  sumMinusOne: number,
): number {
  if (!n.large) {
    let lp = -n.logBeta;
    for (let i = 0; i < alpha.length; i++) {
      const a = alpha[i]!;
      if (a !== 1) lp += (a - 1) * logX[i]!;
    }
    return lp;
  }
  const s = n.sum;
  let lp = s * sumMinusOne - n.hPart;
  for (let i = 0; i < alpha.length; i++) {
    const a = alpha[i]!, xi = x[i]!, lambda = s * xi;
    const err = productError(s, xi, lambda) + (xError ? s * xError[i]! : 0);
    lp -= bd0(a, lambda, Math.log(s) + logX[i]!, err) + logX[i]!;
  }
  return lp;
}

/**
 * The entropy of a Dirichlet (a Beta for K = 2), with no cancellation for
 * any concentrations:
 *
 * ```text
 * H = log B(α) + (s − K) ψ(s) − Σ (αᵢ − 1) ψ(αᵢ)
 *   = ½ Σ log(αᵢ/s) − (K − 1)/2 · (log s − log 2π) + Σ c(αᵢ) − c(s) + Σ (αᵢ − 1) r(αᵢ) − (s − K) r(s)
 * ```
 */
export function concentrationEntropy(alpha: ArrayLike<number>, s: number): number {
  const k = alpha.length;
  let h = -0.5 * (k - 1) * (Math.log(s) - LOG_2PI) - stirlingRemainder(s) -
    (s - k) * digammaRemainder(s);
  for (let i = 0; i < k; i++) {
    const a = alpha[i]!;
    h += 0.5 * logRatio(a, s) + stirlingRemainder(a) + (a - 1) * digammaRemainder(a);
  }
  return h;
}
