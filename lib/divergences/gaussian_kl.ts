import { DiagNormal } from "../distributions/diag_normal.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { Normal } from "../distributions/normal.ts";
import { expm1mx, logRatio, standardize } from "../math/_stable.ts";
import { className } from "../math/_pair_registry.ts";
import { checkPair } from "./_check.ts";

/**
 * KL between univariate Gaussians, as two non-negative terms:
 * ½ z² + ½ (e^{2Δ} − 1 − 2Δ), z = (μ₀ − μ₁)/σ₁, Δ = log(σ₀/σ₁).
 */
function klUnivariate(mu0: number, sigma0: number, mu1: number, sigma1: number): number {
  const z = standardize(mu0, mu1, sigma1);
  return 0.5 * z * z + 0.5 * expm1mx(2 * logRatio(sigma0, sigma1));
}

/**
 * KL(N(μ₀, σ₀²) ‖ N(μ₁, σ₁²)) as a sum of two terms that are each ≥ 0, with
 * Δ = log(σ₀/σ₁) (no cancellation when σ₀ ≈ σ₁, so a near-identical pair
 * gets a small positive KL with its digits, never a negative one):
 *
 * ```text
 * KL = ½ ((μ₀ − μ₁)/σ₁)² + ½ (e^{2Δ} − 1 − 2Δ)
 * ```
 *
 * e^{2Δ} − 1 − 2Δ is summed as a series for small Δ.
 *
 * @param p N(μ₀, σ₀²).
 * @param q N(μ₁, σ₁²).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Normal}.
 *
 * @example
 * ```ts
 * import { klNormal, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * // ½ (σ² + μ² − 1 − log σ²) against the standard normal
 * const kl = klNormal(new Normal(1, 2), new Normal(0, 1));
 * assert.ok(Math.abs(kl - 0.5 * (4 + 1 - 1 - Math.log(4))) < 1e-15);
 * // Near-identical scales: KL ≈ Δ², not 0 and not negative.
 * assert.ok(Math.abs(klNormal(new Normal(0, 1 + 1e-12), new Normal(0, 1)) / 1e-24 - 1) < 1e-3);
 * ```
 */
export function klNormal(p: Normal, q: Normal): number {
  checkPair("klNormal", p, q, [Normal]);
  return klUnivariate(p.loc, p.scale, q.loc, q.scale);
}

/**
 * KL between Gaussians with independent coordinates: the sum of the
 * univariate divergences of {@linkcode klNormal}.
 *
 * ```text
 * KL = Σⱼ ½ ((μ₀ⱼ − μ₁ⱼ)/σ₁ⱼ)² + ½ (e^{2Δⱼ} − 1 − 2Δⱼ),   Δⱼ = log(σ₀ⱼ/σ₁ⱼ)
 * ```
 *
 * @param p N(μ₀, diag σ₀²).
 * @param q N(μ₁, diag σ₁²).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode DiagNormal}, or
 *   the sizes differ.
 *
 * @example
 * ```ts
 * import { DiagNormal, klDiagNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = new DiagNormal([0, 1], [1, 2]);
 * assert.equal(klDiagNormal(p, p), 0);
 * ```
 */
export function klDiagNormal(p: DiagNormal, q: DiagNormal): number {
  checkPair("klDiagNormal", p, q, [DiagNormal]);
  let kl = 0;
  for (let j = 0; j < p.eventSize; j++) {
    kl += klUnivariate(p.loc[j]!, p.scale[j]!, q.loc[j]!, q.scale[j]!);
  }
  return kl;
}

/**
 * The VAE regulariser KL(N(μ, diag σ²) ‖ N(0, I)) (Kingma & Welling 2014,
 * appendix B), with σ² − 1 − log σ² summed without cancellation:
 *
 * ```text
 * KL = ½ Σⱼ (μⱼ² + σⱼ² − 1 − log σⱼ²)
 * ```
 *
 * @param q The approximate posterior.
 * @returns KL(q ‖ N(0, I)) ≥ 0.
 * @throws {TypeError} If `q` is not a {@linkcode DiagNormal}.
 *
 * @example
 * ```ts
 * import { DiagNormal, klStandardNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(klStandardNormal(new DiagNormal([0, 0], [1, 1])), 0);
 * assert.equal(klStandardNormal(new DiagNormal([3], [1])), 4.5);
 * ```
 */
export function klStandardNormal(q: DiagNormal): number {
  if (!(q instanceof DiagNormal)) {
    throw new TypeError(
      `Cannot compute klStandardNormal as q must be a DiagNormal: current value is ${className(q)}`,
    );
  }
  let kl = 0;
  for (let j = 0; j < q.eventSize; j++) {
    const mu = q.loc[j]!;
    kl += 0.5 * (mu * mu + expm1mx(2 * q.logScale[j]!));
  }
  return kl;
}

/** Views a DiagNormal as a MultivariateNormal with L = diag(σ). */
export function asMultivariate(p: DiagNormal | MultivariateNormal): MultivariateNormal {
  if (p instanceof MultivariateNormal) return p;
  const d = p.eventSize, L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) L[j * d + j] = p.scale[j]!;
  return new MultivariateNormal(p.loc, L);
}

/**
 * KL between full-covariance Gaussians, computed from the Cholesky factors
 * L₀, L₁ so that no inverse or determinant is formed, and written as a sum
 * of terms that are each ≥ 0. With M = L₁⁻¹ L₀ (lower triangular, so
 * Mᵢᵢ = L₀ᵢᵢ/L₁ᵢᵢ), tr(Σ₁⁻¹Σ₀) = ‖M‖²_F and log det(Σ₁⁻¹Σ₀) = 2 Σᵢ log Mᵢᵢ:
 *
 * ```text
 * KL(N₀ ‖ N₁) = ½ [ tr(Σ₁⁻¹ Σ₀) − d − log det(Σ₁⁻¹ Σ₀) + ‖L₁⁻¹ (μ₁ − μ₀)‖² ]
 *             = ½ [ Σᵢ (e^{2Δᵢ} − 1 − 2Δᵢ) + Σᵢ>ⱼ Mᵢⱼ² + ‖L₁⁻¹ (μ₁ − μ₀)‖² ]
 *   Δᵢ = log(L₀ᵢᵢ / L₁ᵢᵢ),   Mᵢⱼ = (L₁⁻¹ (L₀ − L₁))ᵢⱼ  (i > j)
 * ```
 *
 * Taking M − I = L₁⁻¹ (L₀ − L₁) from the difference of the factors keeps the
 * digits of a near-identical pair, whose KL is then small and positive
 * rather than lost to rounding (or negative).
 *
 * Either argument may be a {@linkcode DiagNormal}.
 *
 * @param p N₀.
 * @param q N₁.
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a Gaussian of these classes, or
 *   the sizes differ.
 *
 * @example
 * ```ts
 * import { klMultivariateNormal, MultivariateNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = MultivariateNormal.fromCovariance([0, 0], [[2, 1], [1, 2]]);
 * const q = MultivariateNormal.fromCovariance([0, 0], [[1, 0], [0, 1]]);
 * // ½ (tr Σ₀ − 2 − log det Σ₀) = ½ (4 − 2 − log 3)
 * assert.ok(Math.abs(klMultivariateNormal(p, q) - 0.5 * (2 - Math.log(3))) < 1e-15);
 * ```
 */
export function klMultivariateNormal(
  p: MultivariateNormal | DiagNormal,
  q: MultivariateNormal | DiagNormal,
): number {
  checkPair("klMultivariateNormal", p, q, [MultivariateNormal, DiagNormal]);
  const d = p.eventSize;
  if (p instanceof DiagNormal && q instanceof DiagNormal) return klDiagNormal(p, q);
  const L0 = asMultivariate(p).scaleTril, L1 = asMultivariate(q).scaleTril;
  let sum = twiceKL(d, L0, L1, p.loc, q.loc);
  if (!Number.isFinite(sum)) {
    // KL is unchanged when both Gaussians are scaled by one factor: where
    // L₀ − L₁ or μ₁ − μ₀ overflowed, bring huge parameters down by a power
    // of two and compute again.
    let big = 0;
    for (const a of [L0, L1, p.loc, q.loc]) {
      for (let i = 0; i < a.length; i++) {
        const v = Math.abs(a[i]!);
        if (v > big) big = v;
      }
    }
    if (big > 2 ** 600) {
      const down = (a: Float64Array) => a.map((v) => v * 2 ** -600);
      sum = twiceKL(d, down(L0), down(L1), down(p.loc), down(q.loc));
    }
  }
  // Every term is ≥ 0, so a NaN can only come from ∞ − ∞ after some entry
  // of M or L₁⁻¹(μ₁ − μ₀) overflowed — and then its square, and the KL, are ∞.
  return Number.isNaN(sum) ? Infinity : 0.5 * sum;
}

/**
 * 2 KL of two Gaussians from their Cholesky factors: Σᵢ expm1mx(2 log(L₀ᵢᵢ/L₁ᵢᵢ))
 * + ‖strict lower triangle of L₁⁻¹(L₀ − L₁)‖² + ‖L₁⁻¹(μ₁ − μ₀)‖², every term
 * ≥ 0 and formed from differences, so that near-identical Gaussians keep
 * their digits. Not finite where a difference overflows.
 */
function twiceKL(
  d: number,
  L0: Float64Array,
  L1: Float64Array,
  mu0: Float64Array,
  mu1: Float64Array,
): number {
  let sum = 0;
  for (let i = 0; i < d; i++) sum += expm1mx(2 * logRatio(L0[i * d + i]!, L1[i * d + i]!));
  // X = L₁⁻¹ (L₀ − L₁), column by column; its strict lower triangle is M's.
  const x = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = j; i < d; i++) {
      let s = L0[i * d + j]! - L1[i * d + j]!;
      for (let k = j; k < i; k++) s -= L1[i * d + k]! * x[k]!;
      x[i] = s / L1[i * d + i]!;
      if (i > j) sum += x[i]! * x[i]!;
    }
  }
  for (let i = 0; i < d; i++) {
    let s = mu1[i]! - mu0[i]!;
    for (let k = 0; k < i; k++) s -= L1[i * d + k]! * x[k]!;
    x[i] = s / L1[i * d + i]!;
    sum += x[i]! * x[i]!;
  }
  return sum;
}
