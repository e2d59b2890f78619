import { tf } from "../_tf.ts";
import { TensorAdam } from "../adam.ts";
import { readOptions } from "../../math/_options.ts";
import { show } from "../../math/_validate.ts";
import { deriveSeed } from "../../math/rng.ts";
import { NonFiniteError } from "../non_finite_error.ts";
import { hasEntropy, objective, type Plan } from "./_objective.ts";
import { nonFiniteLoss, taped } from "./_taped.ts";
import { gaussianForm, gaussianStep } from "./_gaussian_step.ts";
import { assertValuesAtOnce } from "../_validate.ts";
import { checkProblem, eventSize } from "./_target.ts";
import type { TargetLogProb } from "./target_log_prob.ts";
import { TrainableSurrogate } from "./surrogate.ts";

/** The gradient estimators of {@linkcode fitSurrogatePosterior} (frozen). */
export const SURROGATE_ESTIMATORS: readonly ["elbo", "stl", "iwae", "dreg", "renyi", "vimco"] =
  Object.freeze(["elbo", "stl", "iwae", "dreg", "renyi", "vimco"] as const);

/** The estimators whose bound takes k draws: L_k, or Rényi's L_α. */
const BOUNDED: readonly SurrogateEstimator[] = ["iwae", "dreg", "renyi", "vimco"];
/** One of {@linkcode SURROGATE_ESTIMATORS}. */
export type SurrogateEstimator = typeof SURROGATE_ESTIMATORS[number];

/** What {@linkcode FitSurrogateOptions.onStep} is told after every step. */
export interface FitStep {
  /** The step just taken, from 1. */
  step: number;
  /** The number of steps in the fit. */
  steps: number;
  /** This step's loss: −ELBO (−L_k for `"iwae"`, `"dreg"`, `"vimco"`; −L_α for `"renyi"`), estimated from its draws. */
  loss: number;
}

/** Options of {@linkcode fitSurrogatePosterior}. */
export interface FitSurrogateOptions {
  /** Adam steps, an integer ≥ 1 (default 1000). */
  steps?: number;
  /** Adam's step size, finite and > 0 (default 0.05). */
  learningRate?: number;
  /** Draws (for the estimators of k draws: bounds of k draws each) per step, an integer ≥ 1 (default 1). */
  samples?: number;
  /** Seed of every step's draws, a safe integer (default 0). */
  seed?: number;
  /**
   * The gradient estimator (default `"elbo"`):
   * - `"elbo"`: the reparameterized ELBO, with the entropy in closed form
   *   where the surrogate has one; for a surrogate that cannot be
   *   reparameterized (Gamma, Beta, …) the score-function estimator with a
   *   leave-one-out baseline (use `samples` ≥ 2).
   * - `"stl"`: sticking the landing (Roeder et al. 2017): the score term
   *   of log q dropped; zero variance at the exact posterior.
   * - `"iwae"`: the importance-weighted bound L_k (Burda et al. 2015).
   * - `"dreg"`: L_k with doubly reparameterized gradients (Tucker et al.
   *   2019): lower variance than `"iwae"` as k grows.
   * - `"renyi"`: the variational Rényi bound L_α (Li & Turner 2016): the
   *   ELBO at α = 1, L_k at α = 0, falling as α grows.
   * - `"vimco"`: L_k with VIMCO's leave-one-out control variates (Mnih &
   *   Rezende 2016), for a surrogate that cannot be reparameterized
   *   (discrete latents); it needs k ≥ 2.
   */
  estimator?: SurrogateEstimator;
  /** Draws per bound for `"iwae"`, `"dreg"`, `"renyi"` and `"vimco"` (default 10); must be 1 otherwise. */
  k?: number;
  /** Rényi's α for `"renyi"`, any finite number (default 0.5); given only with `"renyi"`. */
  alpha?: number;
  /** Called after every step (awaited when it returns a promise). */
  onStep?: (info: FitStep) => void | Promise<void>;
}

/** What {@linkcode fitSurrogatePosterior} returns. */
export interface FitSurrogateResult {
  /** The surrogate, fitted in place. */
  surrogate: TrainableSurrogate;
  /** The loss of every step. */
  losses: number[];
}

/**
 * Fits a trainable surrogate q to the posterior of a user's model, given only
 * its unnormalized log joint as a tfjs function: maximises an evidence bound
 * by Adam, with gradients by tfjs autodiff (TensorFlow Probability's
 * `fit_surrogate_posterior`, Pyro's `SVI` with an autoguide):
 *
 * ```text
 * "elbo", "stl":    maximise ELBO(q) = E_q[log p(z, data) − log q(z)]
 * "iwae", "dreg", "vimco":  maximise L_k(q) = E[log (1/k) Σᵢ p(zᵢ, data)/q(zᵢ)]
 * "renyi":          maximise L_α(q) = E[1/(1 − α) log (1/k) Σᵢ (p(zᵢ, data)/q(zᵢ))^(1−α)]
 * losses[t] = −(the bound's estimate from step t's draws)
 * ```
 *
 * Sticking the landing is unbiased only for the single-sample ELBO, so
 * `"stl"` with `k` > 1 is refused; its variance advantage holds near the
 * posterior and vanishes far from it, early in a fit (Pyro issue #2854).
 * A step whose loss or gradient is not finite is not applied: a
 * `NonFiniteError` names the step (and the target, when it returned the
 * non-finite value), and the surrogate keeps the parameters of the last
 * finite step. Whatever fails, the fit leaves no tensor behind.
 *
 * @param targetLogProb log p(z, data): `[n, ...eventShape]` → `[n]`, in tfjs ops.
 * @param surrogate q: from `meanFieldSurrogate`, `fullRankSurrogate` or a
 *   `TrainableSurrogate` of one's own; fitted in place.
 * @param options See {@linkcode FitSurrogateOptions}.
 * @returns The surrogate and the loss of every step.
 * @throws {TypeError} If an argument has the wrong type, the target returns
 *   anything but a float32 tensor of shape `[n]`, `"stl"` is asked with
 *   k > 1, `alpha` without `"renyi"`, an estimator other than `"elbo"` and
 *   `"vimco"` with a surrogate that is not reparameterized, or the
 *   surrogate is (or gets, in `onStep`) disposed.
 * @throws {RangeError} If `steps`, `learningRate`, `samples`, `k` (≥ 2 for
 *   `"vimco"`), `alpha` (finite) or `seed` is out of range, or a step would draw more than 2²⁶ values at once
 *   (samples × k × the surrogate's event size).
 * @throws {NonFiniteError} If a step's loss or gradient is not finite; its
 *   `term` is `"targetLogProb"` when the target returned the non-finite value.
 *
 * @example A posterior known in closed form
 * ```ts
 * import { fitSurrogatePosterior, meanFieldSurrogate, Normal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // z ~ N(0, 1), x | z ~ N(z, 1), x = 2: the posterior is N(1, ½).
 * const prior = new Normal(0, 1);
 * const target = (z: tf.Tensor) =>
 *   tf.tidy(() => tf.add(prior.logProb(z), new Normal(z, 1).logProb(2)).squeeze([1]));
 * const q = meanFieldSurrogate(1, { seed: 1 });
 * const { losses } = await fitSurrogatePosterior(target, q, {
 *   steps: 400, learningRate: 0.05, samples: 8, estimator: "stl",
 * });
 * const m = q.mean(), v = q.variance();
 * assert.ok(Math.abs(m.dataSync()[0]! - 1) < 0.1 && Math.abs(v.dataSync()[0]! - 0.5) < 0.1);
 * assert.ok(losses.at(-1)! < losses[0]!);
 * tf.dispose([m, v]);
 * q.dispose();
 * ```
 */
export async function fitSurrogatePosterior(
  targetLogProb: TargetLogProb,
  surrogate: TrainableSurrogate,
  options: FitSurrogateOptions = {},
): Promise<FitSurrogateResult> {
  const what = "Cannot run fitSurrogatePosterior";
  checkProblem(what, targetLogProb, surrogate);
  if (!(surrogate instanceof TrainableSurrogate)) {
    throw new TypeError(
      `${what} as surrogate must be a TrainableSurrogate (meanFieldSurrogate, fullRankSurrogate, or your own): current value is ${
        show(surrogate)
      }`,
    );
  }
  const o = readOptions(what, options, [
    "steps",
    "learningRate",
    "samples",
    "seed",
    "estimator",
    "k",
    "alpha",
    "onStep",
  ]);
  const steps = o.int("steps", { min: 1, max: 1e9, default: 1000 });
  const learningRate = o.number("learningRate", { min: 0, minExclusive: true, default: 0.05 });
  const samples = o.int("samples", {
    min: 1,
    max: 1 << 20,
    why: "at most 2²⁰ draws per step",
    default: 1,
  });
  const seed = o.seed("seed", 0);
  const estimator = o.choice("estimator", SURROGATE_ESTIMATORS, "elbo");
  const bounded = BOUNDED.includes(estimator);
  const k = o.int("k", {
    min: estimator === "vimco" ? 2 : 1,
    max: 1 << 20,
    why: estimator === "vimco"
      ? "VIMCO leaves one draw out of k, so k ≥ 2; at most 2²⁰"
      : "at most 2²⁰ importance samples",
    default: bounded ? 10 : 1,
  });
  if (o.has("alpha") && estimator !== "renyi") {
    throw new TypeError(
      `${what} as options.alpha applies only to estimator "renyi": current estimator is "${estimator}"`,
    );
  }
  const alpha = o.number("alpha", { default: 0.5 });
  const onStep = o.optionalFunction<(info: FitStep) => void | Promise<void>>("onStep");
  if (samples * k > 1 << 20) {
    throw new RangeError(
      `${what} as options.samples × options.k must be ≤ 2²⁰ draws per step: current values are ${samples} × ${k}`,
    );
  }
  assertValuesAtOnce(
    what,
    [["samples", samples], ["k", k], ["event size", eventSize(surrogate)]],
    "per step",
  );
  if (estimator === "stl" && k > 1) {
    throw new TypeError(
      `${what} as options.k must be 1 with estimator "stl": sticking the landing is unbiased only for the single-sample ELBO (current value is ${k}); use "dreg" for an importance-weighted bound`,
    );
  }
  if (estimator === "elbo" && k > 1) {
    throw new TypeError(
      `${what} as options.k applies only to estimators ${
        BOUNDED.map((b) => `"${b}"`).join(", ")
      }: current value is ${k} with "elbo"`,
    );
  }
  if (estimator !== "elbo" && estimator !== "vimco" && !surrogate.reparameterized) {
    throw new TypeError(
      `${what} as estimator "${estimator}" needs a reparameterized surrogate: ${surrogate.family} is not (use "vimco", or "elbo", which takes the score-function estimator for it)`,
    );
  }
  const plan: Plan = {
    estimator,
    samples,
    k,
    alpha,
    analyticEntropy: estimator === "elbo" && surrogate.reparameterized && hasEntropy(surrogate),
  };
  const variables = surrogate.trainableVariables;
  // A Gaussian surrogate's reparameterization differentiated by hand (same
  // draws, same loss, a fraction of the kernels); checked again every step,
  // as onStep may switch the backend.
  const byHand = plan.analyticEntropy ? gaussianForm(surrogate) : undefined;
  const live = (when: string) => {
    if (surrogate.isDisposed) throw new TypeError(`${what} as surrogate was disposed ${when}`);
  };
  const optimizer = new TensorAdam(learningRate);
  const losses: number[] = [];
  try {
    for (let step = 1; step <= steps; step++) {
      const stepSeed = deriveSeed(seed, step);
      const { grads, reported, lp } = byHand && gaussianForm(surrogate)
        ? gaussianStep(what, targetLogProb, surrogate, byHand, samples, stepSeed)
        : taped(variables, () => objective(what, targetLogProb, surrogate, plan, stepSeed));
      let loss: number;
      try {
        loss = (await reported.data())[0]!;
        if (!Number.isFinite(loss)) throw await nonFiniteLoss(lp, step, loss);
        if (!(await TensorAdam.allFinite(grads))) {
          throw new NonFiniteError("gradient", step, NaN, "fitSurrogatePosterior");
        }
        live(`during step ${step}`);
        optimizer.apply(variables, grads);
      } finally {
        tf.dispose([...grads.filter((g) => g !== undefined), reported, lp]);
      }
      losses.push(loss);
      if (onStep) {
        await onStep({ step, steps, loss });
        live(`in onStep at step ${step}: dispose it after the fit returns`);
      }
    }
  } finally {
    optimizer.dispose();
  }
  return { surrogate, losses };
}
