// The concentration families (Dirichlet, and Beta as its K = 2) on tensors:
// their KL as a Bregman divergence of log B split into parts that keep their
// digits, and their entropy from it — the twin of the core's
// lib/divergences/_concentration_kl.ts.
import { tf } from "../_tf.ts";
import { expm1MinusX, log1p, logRatio } from "../_stable.ts";
import { bregmanH } from "../_gamma_series.ts";

/**
 * KL(Dir(α) ‖ Dir(β)) over the last axis, with s = Σ αᵢ, t = Σ βᵢ; the twin
 * of the core's `klConcentrations`. KL is the Bregman divergence of
 * F = log B at (β, α); with log B(α) = Σ αᵢ log(αᵢ/s) + Σ h(αᵢ) − h(s) +
 * const (h(x) = c(x) − ½ log x, c Stirling's remainder) it splits as
 *
 * ```text
 * KL = Σᵢ βᵢ (e^{−wᵢ} − 1 + wᵢ) + Σᵢ D_h(αᵢ → βᵢ) − D_h(s → t),   wᵢ = log(βᵢ/αᵢ) − log(t/s)
 * ```
 *
 * every term but the last ≥ 0 and none a difference of large numbers, so
 * near-identical pairs keep their digits: log(t/s) and D_h(s → t) are taken
 * from Σ (βᵢ − αᵢ), whose terms are exact when the pairs are close, not
 * from the rounded sums. βᵢ e^{−wᵢ} = αᵢ t/s where |wᵢ| ≥ 1, so that it
 * cannot overflow. The sum is ≥ 0 up to rounding, and clamped there.
 *
 * @param alpha α > 0, `[..., K]`.
 * @param beta β > 0, broadcasting with α.
 * @returns KL ≥ 0, without the last axis.
 */
export function klConcentrations(alpha: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const s = tf.sum(alpha, -1, true), t = tf.sum(beta, -1, true);
    const dSum = tf.sum(tf.sub(beta, alpha), -1, true), ratio = tf.div(dSum, s);
    const close = tf.greaterEqual(tf.mul(0.5, s), tf.abs(dSum));
    const logTS = tf.where(close, log1p(tf.clipByValue(ratio, -0.5, 0.5)), logRatio(t, s));
    const w = tf.sub(logRatio(beta, alpha), logTS);
    const near = tf.mul(beta, expm1MinusX(tf.neg(tf.clipByValue(w, -1, 1))));
    const ats = tf.where(close, tf.add(alpha, tf.mul(alpha, ratio)), tf.mul(t, tf.div(alpha, s)));
    const far = tf.add(tf.mul(beta, tf.sub(w, 1)), ats);
    const first = tf.where(tf.greaterEqual(tf.abs(w), 1), far, near);
    const each = tf.sum(tf.add(first, bregmanH(alpha, beta)), -1);
    return tf.relu(tf.sub(each, tf.squeeze(bregmanH(s, t, dSum), [-1])));
  });
}

/**
 * The entropy of a Dirichlet over the last axis of α (a Beta for K = 2), as
 * minus its KL to the uniform Dir(1, …, 1), whose density is Γ(K):
 *
 * ```text
 * H = −log Γ(K) − KL(Dir(α) ‖ Dir(1))
 * ```
 *
 * so that it keeps its digits near α = 1, where a Beta's entropy crosses 0
 * (its sum of terms of size 1 would leave 10⁻⁷ there).
 *
 * @param alpha α > 0, `[..., K]`.
 * @returns H, without the last axis.
 */
export function concentrationEntropy(alpha: tf.Tensor): tf.Tensor {
  const k = alpha.shape[alpha.rank - 1]!;
  let logGammaK = 0;
  for (let j = 2; j < k; j++) logGammaK += Math.log(j);
  return tf.tidy(() => tf.sub(tf.neg(klConcentrations(alpha, tf.onesLike(alpha))), logGammaK));
}
