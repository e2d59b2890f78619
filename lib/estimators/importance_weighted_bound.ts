import { logSumExp } from "../math/log_sum_exp.ts";
import { type Estimate, meanAndStandardError } from "../math/mean_and_standard_error.ts";
import type { Rng } from "../math/rng.ts";
import { readOptions } from "../math/_options.ts";
import { checkData, checkModel, checkTerm } from "./_check.ts";
import { GaussianView } from "./_gaussian.ts";
import type { GaussianFamily, LatentModel } from "../targets/latent_model.ts";

/** Options of {@linkcode importanceWeightedBound}. */
export interface ImportanceWeightedOptions {
  /** k, the importance samples inside one bound (integer ≥ 1). */
  k: number;
  /** Independent replications of the bound, for the standard error (≥ 2). */
  samples: number;
  /** The random source. */
  rng: Rng;
}

/**
 * The importance-weighted bound of Burda et al. (2015):
 *
 * ```text
 * L_k = E[ log (1/k) Σᵢ p(x, zᵢ) / q(zᵢ) ],   zᵢ ~ q independently
 * ELBO = L_1 ≤ L_k ≤ L_{k+1} ≤ log p(x),   L_k → log p(x) as k → ∞
 * ```
 *
 * Each replication computes the inner log-mean-exp stably with
 * {@linkcode logSumExp}; the estimate is the mean over `samples`
 * replications, with its standard error.
 *
 * @param model The model.
 * @param q The proposal, a DiagNormal or MultivariateNormal.
 * @param x The observation.
 * @param options `k`, `samples`, `rng`.
 * @returns The estimate of L_k and its standard error.
 * @throws {TypeError} If the model or q is not valid, `rng` is not an Rng, or
 *   `options` has a key other than these.
 * @throws {RangeError} If `k` or `samples` is not an integer (k ≥ 1,
 *   samples ≥ 2) small enough to hold the draws, `x` holds NaN or ±∞, or the
 *   model returns NaN.
 *
 * @example
 * ```ts
 * import { createRng, DiagNormal, importanceWeightedBound, linearGaussianModel } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const model = linearGaussianModel({ weight: [[2]], bias: [0], noiseScale: 0.5 });
 * const x = new Float64Array([1.5]);
 * const lk = importanceWeightedBound(model, new DiagNormal([0], [1]), x, { k: 1000, samples: 20, rng: createRng(0) });
 * assert.ok(Math.abs(lk.value - model.logEvidence(x)) < 0.05);
 * ```
 */
export function importanceWeightedBound<X>(
  model: LatentModel<X>,
  q: GaussianFamily,
  x: X,
  options: ImportanceWeightedOptions,
): Estimate {
  const what = "Cannot compute importanceWeightedBound";
  checkModel(what, model);
  const view = new GaussianView(what, q, model.latentSize);
  checkData(what, x);
  const o = readOptions(what, options, ["k", "samples", "rng"]);
  const k = o.count("k", { min: 1 });
  const samples = o.count("samples", { min: 2 }), rng = o.rng("rng");
  const K = view.K;
  const eps = new Float64Array(K),
    z = new Float64Array(K),
    logW = new Float64Array(k),
    bounds = new Float64Array(samples);
  const logK = Math.log(k);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < k; i++) {
      view.transform(rng.fillNormal(eps), z);
      logW[i] = checkTerm(what, "model.logJoint(x, z)", model.logJoint(x, z), z) -
        view.logProbAtNoise(eps);
    }
    bounds[s] = logSumExp(logW) - logK;
  }
  return meanAndStandardError(bounds);
}

/**
 * An importance-sampling estimate of log p(x): the importance-weighted bound
 * with a large k (default 1000), which is what a VAE paper reports as the
 * test log-likelihood. Its bias is O(1/k) and always downward.
 *
 * @param model The model.
 * @param q The proposal (best: an approximate posterior).
 * @param x The observation.
 * @param options `k` (default 1000), `samples` (default 10), `rng`.
 * @returns The estimate and its standard error.
 * @throws {TypeError} If `options` is not an object or has a key other than
 *   these, or as {@linkcode importanceWeightedBound}.
 * @throws {RangeError} As {@linkcode importanceWeightedBound}.
 *
 * @example
 * ```ts
 * import { createRng, estimateLogEvidence, linearGaussianModel } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const model = linearGaussianModel({ weight: [[1, 0.5]], bias: [0], noiseScale: 1 });
 * const x = new Float64Array([0.7]);
 * // With the exact posterior as proposal every weight equals p(x): no error at all.
 * const r = estimateLogEvidence(model, model.posterior(x), x, { k: 10, rng: createRng(1) });
 * assert.ok(Math.abs(r.value - model.logEvidence(x)) < 1e-10);
 * ```
 */
export function estimateLogEvidence<X>(
  model: LatentModel<X>,
  q: GaussianFamily,
  x: X,
  options: { k?: number; samples?: number; rng: Rng },
): Estimate {
  const o = readOptions("Cannot estimateLogEvidence", options, ["k", "samples", "rng"]);
  return importanceWeightedBound(model, q, x, {
    k: o.count("k", { min: 1, default: 1000 }),
    samples: o.count("samples", { min: 2, default: 10 }),
    rng: o.rng("rng"),
  });
}
