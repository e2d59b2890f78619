// The KL divergence of two Dirichlets (two Betas for K = 2), as a Bregman
// divergence of log B split into parts that keep their digits.
import { bregmanH } from "../math/_gamma_series.ts";
import { expm1mx, logRatio } from "../math/_stable.ts";

/**
 * KL(Dir(α) ‖ Dir(β)) with s = Σ αᵢ, t = Σ βᵢ. KL is the Bregman divergence
 * of F = log B at (β, α); with log B(α) = Σ αᵢ log(αᵢ/s) + Σ h(αᵢ) − h(s) +
 * const (h(x) = c(x) − ½ log x, c Stirling's remainder) it splits as
 *
 * ```text
 * KL = t · KL(Cat(β/t) ‖ Cat(α/s)) + Σᵢ D_h(αᵢ → βᵢ) − D_h(s → t)
 *    = Σᵢ βᵢ (e^{−wᵢ} − 1 + wᵢ) + Σᵢ D_h(αᵢ → βᵢ) − D_h(s → t),   wᵢ = log(βᵢ/αᵢ) − log(t/s)
 * ```
 *
 * with D_h(x → y) = h(y) − h(x) − (y − x) h′(x) ≥ 0: every term but the
 * last is ≥ 0 and none is a difference of large numbers, so near-identical
 * pairs keep their digits. The sum is ≥ 0 up to rounding, and clamped there.
 */
export function klConcentrations(alpha: ArrayLike<number>, beta: ArrayLike<number>): number {
  const k = alpha.length;
  let s = 0, t = 0, dSum = 0;
  for (let i = 0; i < k; i++) {
    s += alpha[i]!;
    t += beta[i]!;
    dSum += beta[i]! - alpha[i]!;
  }
  // log(t/s) from the exact-ish difference of the sums: the sum of the first
  // terms is off by t η²/2 for a relative error η in t/s, so η must be small
  // relative to (t − s)/s, not merely to 1.
  const near = Math.abs(dSum) < 0.5 * s;
  const logTS = near ? Math.log1p(dSum / s) : logRatio(t, s);
  let kl = -bregmanH(s, t, dSum);
  for (let i = 0; i < k; i++) {
    const a = alpha[i]!, b = beta[i]!, w = logRatio(b, a) - logTS;
    // βᵢ e^{−wᵢ} = αᵢ t/s, formed so that it cannot overflow
    kl += Math.abs(w) < 1
      ? b * expm1mx(-w)
      : b * (w - 1) + (near ? a + a * (dSum / s) : t * (a / s));
    kl += bregmanH(a, b);
  }
  return kl > 0 ? kl : 0;
}
