import { show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { assertInteger } from "../math/_validate.ts";
import { Adam } from "./adam.ts";
import { GaussianView } from "./_gaussian.ts";
import { elboGradient, type ElboGradientEstimator } from "./elbo_gradient.ts";
import type { GaussianFamily, LatentModel } from "./latent_model.ts";
import { checkModel } from "./_check.ts";

/** Options of {@linkcode fitVariational}. */
export interface FitOptions {
  /** The starting q; its family (DiagNormal or MultivariateNormal) is kept. */
  init: GaussianFamily;
  /** The gradient estimator (default `"reparameterization"`). */
  estimator?: ElboGradientEstimator;
  /** Adam steps (default 2000). */
  steps?: number;
  /** Draws per gradient (default 16). */
  samples?: number;
  /** Initial step size, decayed linearly to 0 (default 0.05). */
  learningRate?: number;
  /** Learn the scale as well as the location (default true). */
  learnScale?: boolean;
  /**
   * Return the average of the parameters over the last half of the steps
   * (Polyak–Ruppert averaging, default true) rather than the last iterate:
   * it removes most of the noise a stochastic gradient leaves.
   */
  average?: boolean;
  /** The random source. */
  rng: Rng;
}

/**
 * Fits q by stochastic gradient ascent on the ELBO: Adam with a step size
 * decayed linearly to zero, driven by any {@linkcode elboGradient}
 * estimator, and the iterates of the last half averaged. With `learnScale: false` only the location moves — the family
 * q = N(μ, 1) of seed 003's worked example.
 *
 * @param model The model.
 * @param x The observation.
 * @param options See {@linkcode FitOptions}.
 * @returns The fitted q and the location after every step.
 *
 * @example Seed 003: the fitted μ is x − 1
 * ```ts
 * import { createRng, DiagNormal, exponentialGaussianModel, fitVariational } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const { q } = fitVariational(exponentialGaussianModel(), 2.5, {
 *   init: new DiagNormal([0], [1]), learnScale: false, estimator: "stickingTheLanding", steps: 1000, rng: createRng(1),
 * });
 * assert.ok(Math.abs(q.loc[0]! - 1.5) < 1e-3);
 * ```
 */
export function fitVariational<X>(
  model: LatentModel<X>,
  x: X,
  options: FitOptions,
): { q: GaussianFamily; trace: Float64Array } {
  const what = "Cannot fitVariational";
  checkModel(what, model);
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `${what} as options must be an object with init and rng: current value is ${show(options)}`,
    );
  }
  const view = new GaussianView(what, options.init, model.latentSize);
  const steps = options.steps ?? 2000, samples = options.samples ?? 16;
  assertInteger(what, "steps", steps, 1);
  const estimator = options.estimator ?? "reparameterization";
  const K = view.K, params = view.params();
  const adam = new Adam(params.length, { learningRate: options.learningRate ?? 0.05 });
  const lr0 = adam.learningRate, learnScale = options.learnScale ?? true;
  const trace = new Float64Array(steps * K);
  const grad = new Float64Array(params.length);
  let q = options.init;
  const mean = new Float64Array(params.length), from = Math.floor(steps / 2);
  for (let t = 0; t < steps; t++) {
    const g = elboGradient(model, q, x, { estimator, samples, rng: options.rng });
    grad.set(g.loc);
    if (learnScale) grad.set(g.scale, K);
    else grad.fill(0, K);
    adam.learningRate = lr0 * (1 - t / steps);
    adam.ascend(params, grad);
    q = GaussianView.fromParams(view.diag, K, params);
    trace.set(params.subarray(0, K), t * K);
    if (t >= from) {
      for (let i = 0; i < params.length; i++) {
        mean[i]! += (params[i]! - mean[i]!) / (t - from + 1);
      }
    }
  }
  if (options.average ?? true) q = GaussianView.fromParams(view.diag, K, mean);
  return { q, trace };
}
