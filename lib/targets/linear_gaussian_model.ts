import { DiagNormal } from "../distributions/diag_normal.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { LOG_2PI } from "../math/_constants.ts";
import { assertEventLength, show } from "../math/_validate.ts";
import { cholesky, type MatrixLike, toFlatMatrix } from "../math/cholesky.ts";
import { backSubstituteTransposed, forwardSubstitute } from "../math/triangular_solve.ts";
import { asMultivariate } from "../divergences/gaussian_kl.ts";
import type { GaussianFamily, LatentModel } from "./latent_model.ts";
import { checkLinearGaussianOptions } from "./_linear_gaussian_options.ts";

/** Options of {@linkcode linearGaussianModel}. */
export interface LinearGaussianOptions {
  /** W, D × K: rows (`number[][]`) or flat row-major with `latentSize`. */
  weight: MatrixLike;
  /** b, length D. */
  bias: ArrayLike<number>;
  /** σ > 0, the observation noise scale, in [1.5e-154, 1.3e154] so that σ² is a normal float64. */
  noiseScale: number;
  /** K; needed only when `weight` is flat. */
  latentSize?: number;
}

/** The linear-Gaussian model, with everything in closed form. */
export interface LinearGaussianModel extends LatentModel<Float64Array> {
  /** W, flat row-major D × K. */
  readonly weight: Float64Array;
  /** b. */
  readonly bias: Float64Array;
  /** σ. */
  readonly noiseScale: number;
  /** D, the number of observed coordinates. */
  readonly observedSize: number;
  /** The prior N(0, I). */
  readonly prior: DiagNormal;
  /** log p(x | z) = log N(x; W z + b, σ² I). */
  logLikelihood(x: Float64Array, z: ArrayLike<number>): number;
  /** E_q[log p(x|z)] = −(D/2) log 2πσ² − (‖x − W m − b‖² + tr(W S Wᵀ)) / 2σ². */
  expectedLogLikelihood(x: Float64Array, q: GaussianFamily): number;
  /** ∇_z log p(x, z) = −z + Wᵀ(x − W z − b)/σ². */
  gradLogJoint(x: Float64Array, z: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** log p(x) = log N(x; b, W Wᵀ + σ² I). */
  logEvidence(x: Float64Array): number;
  /** p(z|x) = N(Λ⁻¹ Wᵀ(x − b)/σ², Λ⁻¹), Λ = I + WᵀW/σ². */
  posterior(x: Float64Array): MultivariateNormal;
  /** The exact gradient of the exact ELBO in q's parameters (see {@linkcode ElboGradientResult}). */
  exactElboGradient(x: Float64Array, q: GaussianFamily): { loc: Float64Array; scale: Float64Array };
}

/**
 * The linear-Gaussian latent model (probabilistic PCA):
 *
 * ```text
 * z ~ N(0, I_K),   x | z ~ N(W z + b, σ² I_D)
 * p(x)   = N(x; b, W Wᵀ + σ² I)
 * p(z|x) = N(Λ⁻¹ Wᵀ (x − b)/σ², Λ⁻¹),   Λ = I + Wᵀ W / σ²
 * ```
 *
 * Everything is exact, so `log p(x) = ELBO(q) + KL(q ‖ p(z|x))` can be checked
 * to rounding error.
 *
 * @param options `weight`, `bias`, `noiseScale`, and `latentSize` for a flat weight.
 * @returns The model. Its methods check their arguments: `x` of length D and
 *   `z` of length K with finite entries, `q` a Gaussian of size K.
 * @throws {TypeError} If the shapes do not match, a value is not a number, or
 *   `options` has a key other than these.
 * @throws {RangeError} If a value is not finite, `noiseScale` is out of
 *   range, or the weights are so large that I + WᵀW/σ² overflows.
 *
 * @example
 * ```ts
 * import { elbo, klDivergence, linearGaussianModel, MultivariateNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const model = linearGaussianModel({ weight: [[1, 0.5], [0, 1], [0.3, 0.2]], bias: [0, 0, 1], noiseScale: 0.5 });
 * const x = new Float64Array([0.3, -1, 2]);
 * const q = MultivariateNormal.fromCovariance([0, 0], [[1, 0], [0, 1]]);
 * const gap = model.logEvidence(x) - elbo(model, q, x, { method: "exact" }).value;
 * assert.ok(Math.abs(gap - klDivergence(q, model.posterior(x))) < 1e-12);
 * ```
 */
export function linearGaussianModel(options: LinearGaussianOptions): LinearGaussianModel {
  const what = "Cannot construct linearGaussianModel";
  const { W, bias, D, K, sigma, s2 } = checkLinearGaussianOptions(what, options);
  // Λ = I + WᵀW/σ² and its Cholesky factor, shared by posterior and gradients.
  const Lambda = new Float64Array(K * K);
  for (let a = 0; a < K; a++) {
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += W[i * K + a]! * W[i * K + c]!;
      Lambda[a * K + c] = s / s2 + (a === c ? 1 : 0);
    }
  }
  const marginalCov = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let a = 0; a < K; a++) s += W[i * K + a]! * W[j * K + a]!;
      marginalCov[i * D + j] = s + (i === j ? s2 : 0);
    }
  }
  let marginal: MultivariateNormal, LLambda: Float64Array;
  try {
    marginal = MultivariateNormal.fromCovariance(bias, marginalCov);
    LLambda = cholesky(Lambda);
  } catch (e) {
    throw new RangeError(
      `${what} as weight and noiseScale give a covariance W Wᵀ + σ² I or precision I + WᵀW/σ² that float64 cannot factorise: ${
        (e as Error).message
      }`,
    );
  }
  const prior = new DiagNormal(new Float64Array(K), new Float64Array(K).fill(1));
  const checkX = (x: unknown) => assertEventLength("linearGaussianModel", "x", x, D);
  const checkZ = (z: unknown) => assertEventLength("linearGaussianModel", "z", z, K);
  const checkQ = (q: unknown) => {
    if (!(q instanceof DiagNormal || q instanceof MultivariateNormal) || q.eventSize !== K) {
      throw new TypeError(
        `linearGaussianModel expects q to be a DiagNormal or MultivariateNormal of size ${K}: current value is ${
          show(q)
        }`,
      );
    }
  };
  // Wᵀ(x − b)/σ²
  const projected = (x: ArrayLike<number>) => {
    const v = new Float64Array(K);
    for (let i = 0; i < D; i++) {
      const r = (x[i]! - bias[i]!) / s2;
      for (let a = 0; a < K; a++) v[a]! += W[i * K + a]! * r;
    }
    return v;
  };
  const model: LinearGaussianModel = {
    latentSize: K,
    observedSize: D,
    weight: W,
    bias,
    noiseScale: sigma,
    prior,
    logLikelihood(x, z) {
      checkX(x);
      checkZ(z);
      let q = 0;
      for (let i = 0; i < D; i++) {
        let m = bias[i]!;
        for (let a = 0; a < K; a++) m += W[i * K + a]! * z[a]!;
        q += (x[i]! - m) ** 2;
      }
      const r = -0.5 * D * (LOG_2PI + Math.log(s2)) - q / (2 * s2);
      if (r !== r) {
        throw new RangeError(
          `linearGaussianModel.logLikelihood cannot evaluate W z + b as z is so large that it overflows: z = ${
            show(z)
          }`,
        );
      }
      return r;
    },
    logJoint(x, z) {
      return model.logLikelihood(x, z) + prior.logProb(z);
    },
    gradLogJoint(x, z, out) {
      checkX(x);
      checkZ(z);
      if (out === undefined) out = new Float64Array(K);
      else if (!(out instanceof Float64Array) || out.length !== K) {
        throw new TypeError(
          `linearGaussianModel expects out to be a Float64Array of length ${K}: current value is ${
            show(out)
          }`,
        );
      }
      for (let a = 0; a < K; a++) out[a] = -z[a]!;
      for (let i = 0; i < D; i++) {
        let m = bias[i]!;
        for (let a = 0; a < K; a++) m += W[i * K + a]! * z[a]!;
        const r = (x[i]! - m) / s2;
        for (let a = 0; a < K; a++) out[a]! += W[i * K + a]! * r;
      }
      return out;
    },
    expectedLogLikelihood(x, q) {
      checkX(x);
      checkQ(q);
      const mq = asMultivariate(q);
      const m = mq.loc, L = mq.scaleTril;
      let resid = 0, trace = 0;
      for (let i = 0; i < D; i++) {
        let mu = bias[i]!;
        for (let a = 0; a < K; a++) mu += W[i * K + a]! * m[a]!;
        resid += (x[i]! - mu) ** 2;
        // (W L)ᵢ row squared norm = (W S Wᵀ)ᵢᵢ
        for (let c = 0; c < K; c++) {
          let s = 0;
          for (let a = c; a < K; a++) s += W[i * K + a]! * L[a * K + c]!;
          trace += s * s;
        }
      }
      return -0.5 * D * (LOG_2PI + Math.log(s2)) - (resid + trace) / (2 * s2);
    },
    logEvidence(x) {
      checkX(x);
      return marginal.logProb(x);
    },
    posterior(x) {
      checkX(x);
      // mean = Λ⁻¹ v = L⁻ᵀ L⁻¹ v; covariance Λ⁻¹, column by column from Λ⁻¹ eᶜ.
      const solve = (b: Float64Array) => {
        const y = forwardSubstitute(LLambda, b, K, new Float64Array(K));
        return backSubstituteTransposed(LLambda, y, K, new Float64Array(K));
      };
      const mean = solve(projected(x));
      const inv = new Float64Array(K * K);
      for (let c = 0; c < K; c++) {
        const e = new Float64Array(K);
        e[c] = 1;
        const col = solve(e);
        for (let i = 0; i < K; i++) inv[i * K + c] = col[i]!;
      }
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < i; j++) {
          inv[i * K + j] = inv[j * K + i] = 0.5 * (inv[i * K + j]! + inv[j * K + i]!);
        }
      }
      if (!mean.every(Number.isFinite)) {
        throw new RangeError(
          `linearGaussianModel.posterior cannot represent the posterior mean as x is so large that it overflows: x = ${
            show(x)
          }`,
        );
      }
      return MultivariateNormal.fromCovariance(mean, toFlatMatrix(inv).data);
    },
    exactElboGradient(x, q) {
      checkX(x);
      checkQ(q);
      const mq = asMultivariate(q), m = mq.loc, L = mq.scaleTril;
      const v = projected(x);
      const loc = new Float64Array(K);
      for (let a = 0; a < K; a++) {
        let s = v[a]!;
        for (let c = 0; c < K; c++) s -= Lambda[a * K + c]! * m[c]!;
        loc[a] = s;
      }
      // ∂/∂L of −½ tr(Λ L Lᵀ) + Σ log Lᵢᵢ = −Λ L + diag(1/Lᵢᵢ); diagonal in log space.
      const full = new Float64Array(K * K);
      for (let i = 0; i < K; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let c = j; c < K; c++) s -= Lambda[i * K + c]! * L[c * K + j]!;
          full[i * K + j] = i === j ? s * L[i * K + i]! + 1 : s;
        }
      }
      if (!loc.every(Number.isFinite) || !full.every(Number.isFinite)) {
        throw new RangeError(
          `linearGaussianModel.exactElboGradient overflows float64 for this x and q: x = ${
            show(x)
          }`,
        );
      }
      if (q instanceof DiagNormal) {
        return {
          loc,
          scale: Float64Array.from({ length: K }, (_, i) => full[i * K + i]!),
        };
      }
      return { loc, scale: full };
    },
  };
  return model;
}
