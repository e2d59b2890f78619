import { klDivergence } from "../divergences/kl_divergence.ts";
import { readOptions } from "../math/_options.ts";
import { type Estimate, meanAndStandardError } from "../math/mean_and_standard_error.ts";
import type { Rng } from "../math/rng.ts";
import { checkData, checkModel, checkTerm } from "./_check.ts";
import { GaussianView } from "./_gaussian.ts";
import type { GaussianFamily, LatentModel } from "../targets/latent_model.ts";

/** How {@linkcode elbo} estimates the bound. */
export type ElboMethod = "monteCarlo" | "analyticKL" | "exact";

/** Options of {@linkcode elbo}. */
export interface ElboOptions {
  /** `"monteCarlo"`, `"analyticKL"` or `"exact"`. */
  method: ElboMethod;
  /** Draws from q, ≥ 1 (not used by `"exact"`). */
  samples?: number;
  /** The random source (not used by `"exact"`). */
  rng?: Rng;
}

const METHODS: readonly ElboMethod[] = ["monteCarlo", "analyticKL", "exact"];

/**
 * The evidence lower bound (Jordan et al. 1999; Kingma & Welling 2014):
 *
 * ```text
 * log p(x) = ELBO(q) + KL(q(z) ‖ p(z|x))
 * ELBO(q)  = E_q[log p(x, z) − log q(z)]
 *          = E_q[log p(x|z)] − KL(q(z) ‖ p(z))
 * ```
 *
 * Methods:
 * - `"monteCarlo"`: (1/S) Σₛ [log p(x, zₛ) − log q(zₛ)], zₛ = μ + L εₛ;
 * - `"analyticKL"`: (1/S) Σₛ log p(x|zₛ) − KL(q ‖ p(z)) with the closed-form
 *   KL from the registry (needs `model.prior` and `model.logLikelihood`);
 * - `"exact"`: E_q[log p(x|z)] in closed form (needs
 *   `model.expectedLogLikelihood`); standard error 0.
 *
 * @param model The latent-variable model.
 * @param q A DiagNormal or MultivariateNormal over z.
 * @param x The observation (a number or array: NaN and ±∞ are refused).
 * @param options `method`, `samples`, `rng`.
 * @returns The estimate and its standard error.
 * @throws {TypeError} If the model lacks what the method needs, q has the
 *   wrong size or family, `method` is unknown, `rng` is not an Rng, or
 *   `options` has a key other than these.
 * @throws {RangeError} If `samples` is not an integer ≥ 1 (or too large to
 *   hold the draws), `x` holds NaN or ±∞, or the model returns NaN.
 *
 * @example Monte Carlo and analytic KL agree with the exact value
 * ```ts
 * import { createRng, DiagNormal, elbo, linearGaussianModel } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const model = linearGaussianModel({ weight: [[1], [0.5]], bias: [0, 0], noiseScale: 1 });
 * const x = new Float64Array([1, 2]), q = new DiagNormal([1], [0.8]);
 * const exact = elbo(model, q, x, { method: "exact" }).value;
 * const mc = elbo(model, q, x, { method: "monteCarlo", samples: 5000, rng: createRng(1) });
 * const ak = elbo(model, q, x, { method: "analyticKL", samples: 5000, rng: createRng(1) });
 * assert.ok(Math.abs(mc.value - exact) < 4 * mc.standardError);
 * assert.ok(Math.abs(ak.value - exact) < 4 * ak.standardError);
 * ```
 */
export function elbo<X>(
  model: LatentModel<X>,
  q: GaussianFamily,
  x: X,
  options: ElboOptions,
): Estimate {
  const what = "Cannot compute elbo";
  checkModel(what, model);
  const view = new GaussianView(what, q, model.latentSize);
  checkData(what, x);
  const o = readOptions(what, options, ["method", "samples", "rng"]);
  const method = o.choice("method", METHODS);
  if (method === "exact") {
    if (typeof model.expectedLogLikelihood !== "function" || !model.prior) {
      throw new TypeError(
        `${what} with method "exact": the model has no closed-form expectedLogLikelihood; use "monteCarlo" or "analyticKL"`,
      );
    }
    const ell = checkTerm(
      what,
      "model.expectedLogLikelihood(x, q)",
      model.expectedLogLikelihood(x, q),
      q.loc,
    );
    return { value: ell - klDivergence(q, model.prior), standardError: 0 };
  }
  const samples = o.count("samples", { min: 1 });
  const rng = o.rng("rng");
  if (method === "analyticKL" && (typeof model.logLikelihood !== "function" || !model.prior)) {
    throw new TypeError(
      `${what} with method "analyticKL" needs model.prior and model.logLikelihood; use "monteCarlo"`,
    );
  }
  const K = view.K,
    eps = new Float64Array(K),
    z = new Float64Array(K),
    terms = new Float64Array(samples);
  if (method === "monteCarlo") {
    for (let s = 0; s < samples; s++) {
      view.transform(rng.fillNormal(eps), z);
      terms[s] = checkTerm(what, "model.logJoint(x, z)", model.logJoint(x, z), z) -
        view.logProbAtNoise(eps);
    }
    return meanAndStandardError(terms);
  }
  const kl = klDivergence(q, model.prior!);
  for (let s = 0; s < samples; s++) {
    view.transform(rng.fillNormal(eps), z);
    terms[s] = checkTerm(what, "model.logLikelihood(x, z)", model.logLikelihood!(x, z), z);
  }
  const r = meanAndStandardError(terms);
  return { value: r.value - kl, standardError: r.standardError };
}
