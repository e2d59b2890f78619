import { klDivergence } from "../divergences/kl_divergence.ts";
import { show } from "../math/_validate.ts";
import { type Estimate, meanAndStandardError } from "../math/mean_and_standard_error.ts";
import type { Rng } from "../math/rng.ts";
import { checkModel, checkRng, checkSamples } from "./_check.ts";
import { GaussianView } from "./_gaussian.ts";
import type { GaussianFamily, LatentModel } from "./latent_model.ts";

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

/**
 * The evidence lower bound (MATH.md §4, seeds 001–004):
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
 * @param x The observation.
 * @param options `method`, `samples`, `rng`.
 * @returns The estimate and its standard error.
 * @throws {TypeError} If the model lacks what the method needs, or q has the
 *   wrong size or family.
 * @throws {RangeError} If `samples` is not an integer ≥ 1 (one draw gives an infinite standard error).
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
  const method = options?.method;
  if (method === "exact") {
    if (typeof model.expectedLogLikelihood !== "function" || !model.prior) {
      throw new TypeError(
        `${what} with method "exact": the model has no closed-form expectedLogLikelihood; use "monteCarlo" or "analyticKL"`,
      );
    }
    return {
      value: model.expectedLogLikelihood(x, q) - klDivergence(q, model.prior),
      standardError: 0,
    };
  }
  if (method !== "monteCarlo" && method !== "analyticKL") {
    throw new TypeError(
      `${what} as method must be "monteCarlo", "analyticKL" or "exact": current value is ${
        show(method)
      }`,
    );
  }
  const samples = checkSamples(what, options.samples, 1);
  const rng = checkRng(what, options.rng);
  const K = view.K,
    eps = new Float64Array(K),
    z = new Float64Array(K),
    terms = new Float64Array(samples);
  if (method === "monteCarlo") {
    for (let s = 0; s < samples; s++) {
      view.transform(rng.fillNormal(eps), z);
      terms[s] = model.logJoint(x, z) - view.logProbAtNoise(eps);
    }
    return meanAndStandardError(terms);
  }
  if (typeof model.logLikelihood !== "function" || !model.prior) {
    throw new TypeError(
      `${what} with method "analyticKL" needs model.prior and model.logLikelihood; use "monteCarlo"`,
    );
  }
  const kl = klDivergence(q, model.prior);
  for (let s = 0; s < samples; s++) {
    terms[s] = model.logLikelihood(x, view.transform(rng.fillNormal(eps), z));
  }
  const r = meanAndStandardError(terms);
  return { value: r.value - kl, standardError: r.standardError };
}
