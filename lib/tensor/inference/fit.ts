import { tf } from "../_tf.ts";
import { TensorAdam } from "../adam.ts";
import {
  assertIntegerIn,
  assertObject,
  assertOneOf,
  assertPositive,
  show,
} from "../../math/_validate.ts";
import { assertSeed, deriveSeed } from "../../math/rng.ts";
import { NonFiniteError } from "../non_finite_error.ts";
import { logMeanExp } from "../_stable.ts";
import { checkProblem, noOthers, targetAt, type TargetLogProb } from "./_target.ts";
import { stopGradient, TrainableSurrogate } from "./surrogate.ts";

/** The gradient estimators of {@linkcode fitSurrogatePosterior}. */
export const SURROGATE_ESTIMATORS = ["elbo", "stl", "iwae", "dreg"] as const;
/** One of {@linkcode SURROGATE_ESTIMATORS}. */
export type SurrogateEstimator = typeof SURROGATE_ESTIMATORS[number];

/** What {@linkcode FitSurrogateOptions.onStep} is told after every step. */
export interface FitStep {
  /** The step just taken, from 1. */
  step: number;
  /** The number of steps in the fit. */
  steps: number;
  /** This step's loss: −ELBO (or −L_k for `"iwae"` and `"dreg"`), estimated from its draws. */
  loss: number;
}

/** Options of {@linkcode fitSurrogatePosterior}. */
export interface FitSurrogateOptions {
  /** Adam steps, an integer ≥ 1 (default 1000). */
  steps?: number;
  /** Adam's step size, finite and > 0 (default 0.05). */
  learningRate?: number;
  /** Draws (for `"iwae"`/`"dreg"`: bounds of k draws each) per step, an integer ≥ 1 (default 1). */
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
   */
  estimator?: SurrogateEstimator;
  /** Importance samples per bound for `"iwae"` and `"dreg"` (default 10); must be 1 otherwise. */
  k?: number;
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

interface Plan {
  estimator: SurrogateEstimator;
  samples: number;
  k: number;
  analyticEntropy: boolean;
}

/**
 * The loss whose gradient the step follows, and the value reported (they
 * differ for the score-function estimator and DReG, whose surrogate
 * objectives only have the right gradient).
 */
function objective(
  what: string,
  target: TargetLogProb,
  q: TrainableSurrogate,
  plan: Plan,
  seed: number,
): { loss: tf.Scalar; reported: tf.Scalar } {
  const { estimator, samples: n, k, analyticEntropy } = plan;
  if (!q.reparameterized) {
    // Score function: ∇ E_q[f] = E[(f − b) ∇ log q], with f = log p − log q
    // held fixed and b the mean of the other draws (unbiased for any n).
    // (The stops matter only for a family whose draws are differentiable
    // after all, such as a user's own that does not say so.)
    const z = tf.tidy(() => stopGradient(q.sample(n, seed)));
    const f = tf.tidy(() => stopGradient(tf.sub(targetAt(what, target, z), q.logProb(z))));
    const baseline = n > 1 ? tf.tidy(() => tf.div(tf.sub(tf.sum(f), f), n - 1)) : tf.zerosLike(f);
    const centred = tf.sub(f, baseline);
    const loss = q.withDistribution((d) => tf.neg(tf.mean(tf.mul(centred, d.logProb(z)))));
    const reported = tf.neg(tf.mean(f)) as tf.Scalar;
    tf.dispose([z, f, baseline, centred]);
    return { loss: loss as tf.Scalar, reported };
  }
  return q.withDistribution((d) => {
    const z = d.sample(n * k, seed);
    const lp = targetAt(what, target, z);
    if (estimator === "elbo" || estimator === "stl") {
      let value: tf.Tensor;
      if (estimator === "elbo" && analyticEntropy) value = tf.add(tf.mean(lp), d.entropy());
      else {
        const lq = estimator === "stl" ? q.withDetached((s) => s.logProb(z)) : d.logProb(z);
        value = tf.mean(tf.sub(lp, lq));
      }
      const loss = tf.neg(value) as tf.Scalar;
      return { loss, reported: loss };
    }
    if (estimator === "iwae") {
      const logW = tf.reshape(tf.sub(lp, d.logProb(z)), [n, k]);
      const loss = tf.neg(tf.mean(logMeanExp(logW, 1))) as tf.Scalar;
      return { loss, reported: loss };
    }
    // DReG: −Σᵢ w̃ᵢ² log wᵢ, with w̃ the normalised weights held fixed and log q
    // evaluated at detached parameters, so the gradient flows only through z.
    const logW = tf.reshape(tf.sub(lp, q.withDetached((s) => s.logProb(z))), [n, k]);
    const weights = stopGradient(tf.softmax(logW, 1));
    const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.square(weights), logW), 1))) as tf.Scalar;
    const reported = tf.neg(tf.mean(logMeanExp(stopGradient(logW), 1))) as tf.Scalar;
    return { loss, reported };
  });
}

/** Whether `d` has its entropy in closed form (the families that lack it throw a TypeError). */
function hasEntropy(q: TrainableSurrogate): boolean {
  try {
    tf.dispose(q.entropy());
    return true;
  } catch (e) {
    if (e instanceof TypeError) return false;
    throw e;
  }
}

/**
 * Fits a trainable surrogate q to the posterior of a user's model, given only
 * its unnormalized log joint as a tfjs function: maximises an evidence bound
 * by Adam, with gradients by tfjs autodiff (TensorFlow Probability's
 * `fit_surrogate_posterior`, Pyro's `SVI` with an autoguide):
 *
 * ```text
 * "elbo", "stl":    maximise ELBO(q) = E_q[log p(z, data) − log q(z)]
 * "iwae", "dreg":   maximise L_k(q) = E[log (1/k) Σᵢ p(zᵢ, data)/q(zᵢ)]
 * losses[t] = −(the bound's estimate from step t's draws)
 * ```
 *
 * Sticking the landing is unbiased only for the single-sample ELBO, so
 * `"stl"` with `k` > 1 is refused; its variance advantage holds near the
 * posterior and vanishes far from it, early in a fit (Pyro issue #2854).
 * A step whose loss or gradient is not finite is not applied: a
 * `NonFiniteError` names the step, and the surrogate keeps the parameters
 * of the last finite step.
 *
 * @param targetLogProb log p(z, data): `[n, ...eventShape]` → `[n]`, in tfjs ops.
 * @param surrogate q: from `meanFieldSurrogate`, `fullRankSurrogate` or a
 *   `TrainableSurrogate` of one's own; fitted in place.
 * @param options See {@linkcode FitSurrogateOptions}.
 * @returns The surrogate and the loss of every step.
 * @throws {TypeError} If an argument has the wrong type, the target returns
 *   the wrong shape, `"stl"` is asked with k > 1, or `"stl"`, `"iwae"` or
 *   `"dreg"` with a surrogate that is not reparameterized.
 * @throws {RangeError} If `steps`, `learningRate`, `samples`, `k` or `seed`
 *   is out of range.
 * @throws {NonFiniteError} If a step's loss or gradient is not finite.
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
  if (surrogate.trainableVariables.some((v) => v.isDisposed)) {
    throw new TypeError(`${what} as surrogate has been disposed`);
  }
  assertObject(what, "options", options, "an object { steps, learningRate, … }");
  const keys = "steps, learningRate, samples, seed, estimator, k, onStep";
  const {
    steps = 1000,
    learningRate = 0.05,
    samples = 1,
    seed = 0,
    estimator = "elbo",
    k: kGiven,
    onStep,
    ...rest
  } = options as Record<string, unknown>;
  noOthers(what, rest, keys);
  assertIntegerIn(what, "steps", steps, 1, 1e9);
  assertPositive(what, "learningRate", learningRate);
  assertIntegerIn(what, "samples", samples, 1, 1 << 20, "at most 2²⁰ draws per step");
  assertSeed(what, "seed", seed);
  assertOneOf(what, "estimator", estimator, SURROGATE_ESTIMATORS);
  const bounded = estimator === "iwae" || estimator === "dreg";
  const k = kGiven ?? (bounded ? 10 : 1);
  assertIntegerIn(what, "k", k, 1, 1 << 20, "at most 2²⁰ importance samples");
  if (samples * k > 1 << 20) {
    throw new RangeError(
      `${what} as samples × k must be ≤ 2²⁰ draws per step: current values are ${samples} × ${k}`,
    );
  }
  if (estimator === "stl" && k > 1) {
    throw new TypeError(
      `${what} as k must be 1 with estimator "stl": sticking the landing is unbiased only for the single-sample ELBO (current value is ${k}); use "dreg" for an importance-weighted bound`,
    );
  }
  if (estimator === "elbo" && k > 1) {
    throw new TypeError(
      `${what} as k applies only to estimators "iwae" and "dreg": current value is ${k} with "elbo"`,
    );
  }
  if (estimator !== "elbo" && !surrogate.reparameterized) {
    throw new TypeError(
      `${what} as estimator "${estimator}" needs a reparameterized surrogate: ${surrogate.family} is not (use "elbo", which takes the score-function estimator for it)`,
    );
  }
  if (onStep !== undefined && typeof onStep !== "function") {
    throw new TypeError(`${what} as onStep must be a function: current value is ${show(onStep)}`);
  }
  const plan: Plan = {
    estimator,
    samples,
    k,
    analyticEntropy: estimator === "elbo" && surrogate.reparameterized && hasEntropy(surrogate),
  };
  const variables = surrogate.trainableVariables;
  const optimizer = new TensorAdam(learningRate);
  const losses: number[] = [];
  try {
    for (let step = 1; step <= steps; step++) {
      let reported: tf.Scalar | undefined;
      const { grads, value } = tf.variableGrads(() => {
        const o = objective(what, targetLogProb, surrogate, plan, deriveSeed(seed, step));
        reported = tf.keep(o.reported);
        return o.loss;
      }, variables);
      const list = variables.map((v) => grads[v.name]);
      const [loss] = await reported!.data();
      tf.dispose([value, reported!]);
      if (!Number.isFinite(loss)) {
        tf.dispose(grads);
        throw new NonFiniteError("loss", step, loss!, "fitSurrogatePosterior");
      }
      if (!(await TensorAdam.allFinite(list))) {
        tf.dispose(grads);
        throw new NonFiniteError("gradient", step, NaN, "fitSurrogatePosterior");
      }
      optimizer.apply(variables, list);
      tf.dispose(grads);
      losses.push(loss!);
      if (onStep) await onStep({ step, steps, loss: loss! });
    }
  } finally {
    optimizer.dispose();
  }
  return { surrogate, losses };
}
