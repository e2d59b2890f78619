import { readOptions } from "../math/_options.ts";
import type { Rng } from "../math/rng.ts";
import { Adam } from "../optim/adam.ts";
import { GaussianView } from "./_gaussian.ts";
import {
  ELBO_GRADIENT_ESTIMATORS,
  elboGradient,
  type ElboGradientEstimator,
} from "./elbo_gradient.ts";
import type { GaussianFamily, LatentModel } from "../targets/latent_model.ts";
import { checkData, checkModel, needGradient } from "./_check.ts";

/** Options of {@linkcode fitVariational}. */
export interface FitOptions {
  /** The starting q; its family (DiagNormal or MultivariateNormal) is kept. */
  init: GaussianFamily;
  /** The gradient estimator (default `"reparameterization"`). */
  estimator?: ElboGradientEstimator;
  /** Adam steps, an integer ≥ 1 (default 2000). */
  steps?: number;
  /** Draws per gradient, an integer ≥ 1 (≥ 2 for the baseline; default 16). */
  samples?: number;
  /** Initial step size, finite and > 0, decayed linearly to 0 (default 0.05). */
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
 * estimator, and the iterates of the last half averaged. With
 * `learnScale: false` only the location moves — the family q = N(μ, 1) of
 * the worked example of `exponentialGaussianModel`.
 *
 * @param model The model.
 * @param x The observation (a number or array: NaN and ±∞ are refused).
 * @param options See {@linkcode FitOptions}.
 * @returns The fitted q and the location after every step.
 * @throws {TypeError} If the model, `init`, `estimator`, `rng` or a boolean
 *   option has the wrong type, or `options` has a key other than these.
 * @throws {RangeError} If `steps`, `samples` or `learningRate` is out of
 *   range, `x` holds NaN or ±∞, or the fit diverges (the message names the
 *   step; a smaller `learningRate` usually helps).
 *
 * @example The fitted μ is x − 1
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
  checkData(what, x);
  const o = readOptions(what, options, [
    "init",
    "estimator",
    "steps",
    "samples",
    "learningRate",
    "learnScale",
    "average",
    "rng",
  ]);
  const init = o.get("init") as GaussianFamily;
  const view = new GaussianView(what, init, model.latentSize, o.label("init"));
  const K = view.K;
  const estimator = o.choice("estimator", ELBO_GRADIENT_ESTIMATORS, "reparameterization");
  const steps = o.count("steps", { min: 1, perItem: K, default: 2000 });
  const samples = o.count("samples", {
    min: estimator === "scoreFunctionBaseline" ? 2 : 1,
    perItem: K,
    default: 16,
  });
  const lr0 = o.number("learningRate", { min: 0, minExclusive: true, default: 0.05 });
  const learnScale = o.boolean("learnScale", true), average = o.boolean("average", true);
  const rng = o.rng("rng");
  if (!estimator.startsWith("score")) needGradient(what, model, estimator);
  const params = view.params();
  const adam = new Adam(params.length, { learningRate: lr0 });
  const trace = new Float64Array(steps * K);
  const grad = new Float64Array(params.length);
  let q = init;
  const mean = new Float64Array(params.length), from = Math.floor(steps / 2);
  for (let t = 0; t < steps; t++) {
    try {
      const g = elboGradient(model, q, x, { estimator, samples, rng });
      grad.set(g.loc);
      if (learnScale) grad.set(g.scale, K);
      else grad.fill(0, K);
      adam.learningRate = lr0 * (1 - t / steps);
      adam.ascend(params, grad);
      q = GaussianView.fromParams(view.diag, K, params);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new RangeError(
        `${what} as the fit diverged at step ${t} of ${steps} (check x and the model, or try a smaller learningRate than ${lr0}): ${e.message}`,
      );
    }
    trace.set(params.subarray(0, K), t * K);
    if (t >= from) {
      for (let i = 0; i < params.length; i++) {
        mean[i]! += (params[i]! - mean[i]!) / (t - from + 1);
      }
    }
  }
  if (average) q = GaussianView.fromParams(view.diag, K, mean);
  return { q, trace };
}
