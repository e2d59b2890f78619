import { DiagNormal } from "../distributions/diag_normal.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import type { Normal } from "../distributions/normal.ts";

function sameSize(what: string, p: { eventSize: number }, q: { eventSize: number }): void {
  if (p.eventSize !== q.eventSize) {
    throw new TypeError(
      `Cannot compute ${what} as p and q differ in size: p has ${p.eventSize} coordinates, q has ${q.eventSize}`,
    );
  }
}

/** KL between univariate Gaussians given by location and log-scale. */
function klUnivariate(
  mu0: number,
  logSigma0: number,
  mu1: number,
  sigma1: number,
  logSigma1: number,
): number {
  const delta = logSigma0 - logSigma1;
  const z = (mu0 - mu1) / sigma1;
  return 0.5 * z * z + 0.5 * Math.expm1(2 * delta) - delta;
}

/**
 * KL(N(μ₀, σ₀²) ‖ N(μ₁, σ₁²)) in the stable form of MATH.md §2, with
 * Δ = log σ₀ − log σ₁ (no cancellation when σ₀ ≈ σ₁):
 *
 * ```text
 * KL = ½ ((μ₀ − μ₁)/σ₁)² + ½ expm1(2Δ) − Δ
 * ```
 *
 * @param p N(μ₀, σ₀²).
 * @param q N(μ₁, σ₁²).
 * @returns KL(p ‖ q) ≥ 0.
 *
 * @example
 * ```ts
 * import { klNormal, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * // ½ (σ² + μ² − 1 − log σ²) against the standard normal
 * const kl = klNormal(new Normal(1, 2), new Normal(0, 1));
 * assert.ok(Math.abs(kl - 0.5 * (4 + 1 - 1 - Math.log(4))) < 1e-15);
 * ```
 */
export function klNormal(p: Normal, q: Normal): number {
  return klUnivariate(p.loc, p.logScale, q.loc, q.scale, q.logScale);
}

/**
 * KL between Gaussians with independent coordinates: the sum of the
 * univariate divergences of {@linkcode klNormal}.
 *
 * ```text
 * KL = Σⱼ ½ ((μ₀ⱼ − μ₁ⱼ)/σ₁ⱼ)² + ½ expm1(2Δⱼ) − Δⱼ,   Δⱼ = log σ₀ⱼ − log σ₁ⱼ
 * ```
 *
 * @param p N(μ₀, diag σ₀²).
 * @param q N(μ₁, diag σ₁²).
 * @returns KL(p ‖ q).
 * @throws {TypeError} If the sizes differ.
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
  sameSize("klDiagNormal", p, q);
  let kl = 0;
  for (let j = 0; j < p.eventSize; j++) {
    kl += klUnivariate(p.loc[j]!, p.logScale[j]!, q.loc[j]!, q.scale[j]!, q.logScale[j]!);
  }
  return kl;
}

/**
 * The VAE regulariser KL(N(μ, diag σ²) ‖ N(0, I)) (MATH.md §2, seeds 001 and
 * 004), with σ² − 1 − log σ² written as expm1(2 log σ) − 2 log σ:
 *
 * ```text
 * KL = ½ Σⱼ (σⱼ² + μⱼ² − 1 − log σⱼ²)
 * ```
 *
 * @param q The approximate posterior.
 * @returns KL(q ‖ N(0, I)).
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
  let kl = 0;
  for (let j = 0; j < q.eventSize; j++) {
    const ls = q.logScale[j]!, mu = q.loc[j]!;
    kl += 0.5 * (mu * mu + Math.expm1(2 * ls)) - ls;
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
 * KL between full-covariance Gaussians (MATH.md §2, via the trace trick of
 * seed 000), computed from the Cholesky factors L₀, L₁ so that no inverse or
 * determinant is formed:
 *
 * ```text
 * KL(N₀ ‖ N₁) = ½ [ tr(Σ₁⁻¹ Σ₀) + (μ₁ − μ₀)ᵀ Σ₁⁻¹ (μ₁ − μ₀) − d + log(det Σ₁ / det Σ₀) ]
 *   tr(Σ₁⁻¹ Σ₀)            = ‖L₁⁻¹ L₀‖²_F
 *   (μ₁ − μ₀)ᵀ Σ₁⁻¹ (μ₁ − μ₀) = ‖L₁⁻¹ (μ₁ − μ₀)‖²
 *   log(det Σ₁ / det Σ₀)   = 2 Σᵢ (log L₁ᵢᵢ − log L₀ᵢᵢ)
 * ```
 *
 * Either argument may be a {@linkcode DiagNormal}.
 *
 * @param p N₀.
 * @param q N₁.
 * @returns KL(p ‖ q).
 * @throws {TypeError} If the sizes differ.
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
  sameSize("klMultivariateNormal", p, q);
  const d = p.eventSize;
  if (p instanceof DiagNormal && q instanceof DiagNormal) return klDiagNormal(p, q);
  const L0 = asMultivariate(p).scaleTril, L1 = asMultivariate(q).scaleTril;
  // tr(Σ₁⁻¹Σ₀) = ‖L₁⁻¹L₀‖²_F, solving L₁ Y = L₀ column by column.
  let trace = 0;
  const y = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      let s = L0[i * d + j]!;
      for (let k = j; k < i; k++) s -= L1[i * d + k]! * y[k]!;
      y[i] = i < j ? 0 : s / L1[i * d + i]!;
      trace += y[i]! * y[i]!;
    }
  }
  let maha = 0;
  for (let i = 0; i < d; i++) {
    let s = q.loc[i]! - p.loc[i]!;
    for (let k = 0; k < i; k++) s -= L1[i * d + k]! * y[k]!;
    y[i] = s / L1[i * d + i]!;
    maha += y[i]! * y[i]!;
  }
  let logDetRatio = 0;
  for (let i = 0; i < d; i++) logDetRatio += Math.log(L1[i * d + i]!) - Math.log(L0[i * d + i]!);
  return 0.5 * (trace - d + maha) + logDetRatio;
}
