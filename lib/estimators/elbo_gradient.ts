import { readOptions } from "../math/_options.ts";
import { logSumExp } from "../math/log_sum_exp.ts";
import type { Rng } from "../math/rng.ts";
import { checkData, checkModel, checkTerm, needGradient } from "./_check.ts";
import { GaussianView } from "./_gaussian.ts";
import type { GaussianFamily, LatentModel } from "../targets/latent_model.ts";

/** The ELBO gradient estimators of {@linkcode elboGradient}. */
export type ElboGradientEstimator =
  | "scoreFunction"
  | "scoreFunctionBaseline"
  | "reparameterization"
  | "stickingTheLanding";

/** The gradient estimators of the importance-weighted bound. */
export type IwGradientEstimator = "iwae" | "dreg";

/** Every {@linkcode ElboGradientEstimator}, for validation. */
export const ELBO_GRADIENT_ESTIMATORS: readonly ElboGradientEstimator[] = [
  "scoreFunction",
  "scoreFunctionBaseline",
  "reparameterization",
  "stickingTheLanding",
];

/**
 * A gradient in q's unconstrained parameters, with per-coordinate standard
 * errors. `loc` has K entries. `scale` has K entries (∂/∂ log σⱼ) for a
 * DiagNormal q, and K × K entries (flat row-major: ∂/∂Lᵢⱼ below the diagonal,
 * ∂/∂ log Lᵢᵢ on it, zeros above) for a MultivariateNormal q.
 */
export interface ElboGradientResult {
  /** ∂/∂μ. */
  loc: Float64Array;
  /** ∂ in the scale parameters (see above). */
  scale: Float64Array;
  /** Standard errors of `loc`. */
  locStandardError: Float64Array;
  /** Standard errors of `scale`. */
  scaleStandardError: Float64Array;
}

/** Options of {@linkcode elboGradient}. */
export interface ElboGradientOptions {
  /** The estimator. */
  estimator: ElboGradientEstimator;
  /** Draws per estimate (≥ 2 for the standard error, and for the baseline). */
  samples: number;
  /** The random source. */
  rng: Rng;
}

/** Welford accumulation of per-sample gradient vectors. */
class Accumulator {
  n = 0;
  mean: Float64Array;
  m2: Float64Array;
  constructor(size: number) {
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }
  add(v: Float64Array): void {
    this.n++;
    for (let i = 0; i < v.length; i++) {
      const d = v[i]! - this.mean[i]!;
      this.mean[i]! += d / this.n;
      this.m2[i]! += d * (v[i]! - this.mean[i]!);
    }
  }
  result(K: number): ElboGradientResult {
    const se = this.m2.map((m) => this.n > 1 ? Math.sqrt(m / (this.n - 1) / this.n) : Infinity);
    return {
      loc: this.mean.slice(0, K),
      scale: this.mean.slice(K),
      locStandardError: se.slice(0, K),
      scaleStandardError: se.slice(K),
    };
  }
}

/**
 * Estimates ∇_φ ELBO(q_φ) for a Gaussian q = N(μ, L Lᵀ), z = μ + L ε
 * (Mohamed et al. 2020 review the estimators), with f(z) = log p(x, z) − log q(z):
 *
 * ```text
 * scoreFunction          E_q[ f(z) ∇_φ log q(z) ]                     (REINFORCE)
 * scoreFunctionBaseline  E_q[ (f(z) − b) ∇_φ log q(z) ],  b = leave-one-out mean of f
 * reparameterization     E_ε[ ∇_φ f(μ + L ε) ]                        (pathwise)
 * stickingTheLanding     E_ε[ (∇_z log p(x,z) − ∇_z log q(z)) ∂z/∂φ ]  (Roeder et al. 2017:
 *                        the score term ∂_φ log q, zero in expectation, is dropped)
 * ```
 *
 * All four are unbiased. Sticking the landing has zero variance when q is the
 * exact posterior, since then ∇_z log p(x, z) = ∇_z log q(z). The pathwise
 * estimators need `model.gradLogJoint`.
 *
 * @param model The model.
 * @param q A DiagNormal or MultivariateNormal over z.
 * @param x The observation.
 * @param options `estimator`, `samples`, `rng`.
 * @returns The mean gradient and its standard errors (see {@linkcode ElboGradientResult}).
 * @throws {TypeError} If the estimator is unknown or needs a gradient the
 *   model lacks, q is not a Gaussian of the model's latent size, `rng` is
 *   not an Rng, or `options` has a key other than these.
 * @throws {RangeError} If `samples` is not an integer ≥ 1 (≥ 2 for the
 *   baseline) small enough to hold the draws, `x` holds NaN or ±∞, or the
 *   model returns NaN or a non-finite gradient.
 *
 * @example At the exact posterior, sticking the landing has no noise
 * ```ts
 * import { createRng, elboGradient, linearGaussianModel } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const model = linearGaussianModel({ weight: [[1, 0], [0.5, 1]], bias: [0, 0], noiseScale: 1 });
 * const x = new Float64Array([1, -1]);
 * const g = elboGradient(model, model.posterior(x), x, { estimator: "stickingTheLanding", samples: 10, rng: createRng(0) });
 * assert.ok(g.locStandardError.every((s) => s < 1e-12));
 * ```
 */
export function elboGradient<X>(
  model: LatentModel<X>,
  q: GaussianFamily,
  x: X,
  options: ElboGradientOptions,
): ElboGradientResult {
  const what = "Cannot compute elboGradient";
  checkModel(what, model);
  const view = new GaussianView(what, q, model.latentSize);
  checkData(what, x);
  const o = readOptions(what, options, ["estimator", "samples", "rng"]);
  const estimator = o.choice("estimator", ELBO_GRADIENT_ESTIMATORS);
  const samples = o.count("samples", {
    min: estimator === "scoreFunctionBaseline" ? 2 : 1,
    perItem: view.K,
  });
  const rng = o.rng("rng");
  const K = view.K, P = K + view.scaleSize;
  const acc = new Accumulator(P), g = new Float64Array(P);
  const eps = new Float64Array(K),
    z = new Float64Array(K),
    u = new Float64Array(K),
    gz = new Float64Array(K);

  if (estimator === "scoreFunction" || estimator === "scoreFunctionBaseline") {
    // Keep every draw so the leave-one-out baseline can use the others.
    const epsAll = new Float64Array(samples * K), f = new Float64Array(samples);
    for (let s = 0; s < samples; s++) {
      const e = epsAll.subarray(s * K, (s + 1) * K);
      rng.fillNormal(e);
      f[s] = checkTerm(what, "model.logJoint(x, z)", model.logJoint(x, view.transform(e, z)), z) -
        view.logProbAtNoise(e);
      if (!Number.isFinite(f[s]!)) {
        throw new RangeError(
          `${what} as model.logJoint(x, z) returned ${f[s]} at z = ${
            Array.from(z).join(", ")
          }: the score-function gradient needs a finite log p(x, z) − log q(z)`,
        );
      }
    }
    let total = 0;
    for (const v of f) total += v;
    for (let s = 0; s < samples; s++) {
      const e = epsAll.subarray(s * K, (s + 1) * K);
      const b = estimator === "scoreFunctionBaseline" ? (total - f[s]!) / (samples - 1) : 0;
      // ∇_φ log q(z) with z held fixed: u = L⁻ᵀ ε is the score in μ.
      view.scoreInZ(e, u);
      g.fill(0);
      view.addPathwise(u, e, f[s]! - b, -1, g);
      acc.add(g);
    }
    return acc.result(K);
  }
  const grad = needGradient(what, model, estimator);
  for (let s = 0; s < samples; s++) {
    rng.fillNormal(eps);
    grad(x, view.transform(eps, z), gz);
    g.fill(0);
    if (estimator === "reparameterization") {
      // d/dφ of −log q(μ + Lε; φ) is +1 on each log Lᵢᵢ and 0 elsewhere.
      view.addPathwise(gz, eps, 1, 1, g);
    } else {
      view.scoreInZ(eps, u);
      for (let i = 0; i < K; i++) gz[i]! += u[i]!;
      view.addPathwise(gz, eps, 1, 0, g);
    }
    acc.add(g);
  }
  return acc.result(K);
}

/**
 * Estimates ∇_φ L_k, the gradient of the importance-weighted bound in q's
 * parameters, with w̃ᵢ = wᵢ / Σⱼ wⱼ the normalised weights:
 *
 * ```text
 * iwae  Σᵢ w̃ᵢ ∇_φ log wᵢ                         (reparameterized, total derivative)
 * dreg  Σᵢ w̃ᵢ² (∂ log wᵢ / ∂zᵢ) (∂zᵢ / ∂φ)       (Tucker et al. 2018, doubly reparameterized)
 * ```
 *
 * Both are unbiased for ∇_φ L_k; the signal-to-noise ratio of `iwae` in q's
 * parameters falls like 1/√k, that of `dreg` does not.
 *
 * @param model The model (needs `gradLogJoint`).
 * @param q A DiagNormal or MultivariateNormal.
 * @param x The observation.
 * @param options `k`, `estimator`, `samples` (replications), `rng`.
 * @returns The mean gradient with standard errors over the replications.
 * @throws {TypeError} As {@linkcode elboGradient}; `estimator` must be
 *   `"iwae"` or `"dreg"`.
 * @throws {RangeError} If `k` or `samples` is not an integer ≥ 1 small
 *   enough to hold the draws, `x` holds NaN or ±∞, or the model returns NaN,
 *   +∞ or −∞ at every draw, or a non-finite gradient.
 *
 * @example
 * ```ts
 * import { createRng, DiagNormal, importanceWeightedGradient, linearGaussianModel } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const model = linearGaussianModel({ weight: [[1]], bias: [0], noiseScale: 0.5 });
 * const x = new Float64Array([1]), q = new DiagNormal([0], [1]);
 * const a = importanceWeightedGradient(model, q, x, { k: 8, estimator: "iwae", samples: 4000, rng: createRng(1) });
 * const b = importanceWeightedGradient(model, q, x, { k: 8, estimator: "dreg", samples: 4000, rng: createRng(2) });
 * assert.ok(Math.abs(a.loc[0]! - b.loc[0]!) < 4 * Math.hypot(a.locStandardError[0]!, b.locStandardError[0]!));
 * ```
 */
export function importanceWeightedGradient<X>(
  model: LatentModel<X>,
  q: GaussianFamily,
  x: X,
  options: { k: number; estimator: IwGradientEstimator; samples: number; rng: Rng },
): ElboGradientResult {
  const what = "Cannot compute importanceWeightedGradient";
  checkModel(what, model);
  const view = new GaussianView(what, q, model.latentSize);
  checkData(what, x);
  const o = readOptions(what, options, ["k", "estimator", "samples", "rng"]);
  const estimator = o.choice("estimator", ["iwae", "dreg"] as const);
  const k = o.count("k", { min: 1, perItem: view.K });
  const samples = o.count("samples", { min: 1 }), rng = o.rng("rng");
  const grad = needGradient(what, model, estimator);
  const K = view.K, P = K + view.scaleSize;
  const acc = new Accumulator(P), g = new Float64Array(P);
  const eps = new Float64Array(k * K),
    gzs = new Float64Array(k * K),
    z = new Float64Array(K),
    u = new Float64Array(K);
  const logW = new Float64Array(k);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < k; i++) {
      const e = eps.subarray(i * K, (i + 1) * K);
      rng.fillNormal(e);
      view.transform(e, z);
      logW[i] = checkTerm(what, "model.logJoint(x, z)", model.logJoint(x, z), z) -
        view.logProbAtNoise(e);
      grad(x, z, gzs.subarray(i * K, (i + 1) * K));
    }
    const lse = logSumExp(logW);
    if (!Number.isFinite(lse)) {
      throw new RangeError(
        `${what} as the normalised importance weights are undefined: log Σ wᵢ is ${lse} (model.logJoint(x, z) returned ${
          lse > 0 ? "+∞" : "−∞ at every draw"
        })`,
      );
    }
    g.fill(0);
    for (let i = 0; i < k; i++) {
      const w = Math.exp(logW[i]! - lse);
      const e = eps.subarray(i * K, (i + 1) * K), gz = gzs.subarray(i * K, (i + 1) * K);
      if (estimator === "iwae") view.addPathwise(gz, e, w, 1, g);
      else {
        view.scoreInZ(e, u);
        for (let j = 0; j < K; j++) gz[j]! += u[j]!;
        view.addPathwise(gz, e, w * w, 0, g);
      }
    }
    acc.add(g);
  }
  return acc.result(K);
}
