// The loss of one step of fitSurrogatePosterior, for each estimator.
import { tf } from "../_tf.ts";
import { logMeanExp } from "../_stable.ts";
import { targetAt } from "./_target.ts";
import type { TargetLogProb } from "./target_log_prob.ts";
import { stopGradient, type TrainableSurrogate } from "./surrogate.ts";
import type { SurrogateEstimator } from "./fit.ts";

/** How a fit computes its loss, fixed before the first step. */
export interface Plan {
  estimator: SurrogateEstimator;
  samples: number;
  k: number;
  /** Rényi's α (read by "renyi" only). */
  alpha: number;
  analyticEntropy: boolean;
}

/** One step's loss, the value reported, and the target's log-densities. */
export interface StepTerms {
  /** The loss whose gradient the step follows. */
  loss: tf.Scalar;
  /** The loss reported (they differ for the score-function estimator and DReG). */
  reported: tf.Scalar;
  /** log p(z) at the step's draws, `[samples · k]`: named when the loss is not finite. */
  lp: tf.Tensor;
}

/**
 * The loss whose gradient the step follows, and the value reported (they
 * differ for the score-function estimator and DReG, whose surrogate
 * objectives only have the right gradient).
 */
export function objective(
  what: string,
  target: TargetLogProb,
  q: TrainableSurrogate,
  plan: Plan,
  seed: number,
): StepTerms {
  const { estimator, samples: n, k, analyticEntropy } = plan;
  if (estimator === "vimco") return vimco(what, target, q, n, k, seed);
  if (!q.reparameterized) {
    // Score function: ∇ E_q[f] = E[(f − b) ∇ log q], with f = log p − log q
    // held fixed and b the mean of the other draws (unbiased for any n).
    // (The stops matter only for a family whose draws are differentiable
    // after all, such as a user's own that does not say so.)
    const z = drawsOffTape(q, n, seed);
    const lp = tf.tidy(() => stopGradient(targetAt(what, target, z)));
    const f = tf.tidy(() => stopGradient(tf.sub(lp, q.logProb(z))));
    const baseline = n > 1 ? tf.tidy(() => tf.div(tf.sub(tf.sum(f), f), n - 1)) : tf.zerosLike(f);
    const centred = tf.sub(f, baseline);
    const loss = q.withDistribution((d) => tf.neg(tf.mean(tf.mul(centred, d.logProb(z)))));
    const reported = tf.neg(tf.mean(f)) as tf.Scalar;
    tf.dispose([z, f, baseline, centred]);
    return { loss: loss as tf.Scalar, reported, lp };
  }
  return q.withDistribution((d) => {
    // log q at the draws, in the same pass as the draws where the family can
    // (a flow's inverse can take a pass per coordinate); "stl" and "dreg" need
    // it at detached parameters instead.
    const own = (estimator === "iwae" || estimator === "renyi" ||
        (estimator === "elbo" && !analyticEntropy)) &&
        d.sampleAndLogProb
      ? d.sampleAndLogProb(n * k, seed)
      : undefined;
    const z = own?.sample ?? d.sample(n * k, seed);
    const logQ = () => own?.logProb ?? d.logProb(z);
    const lp = targetAt(what, target, z);
    if (estimator === "elbo" || estimator === "stl") {
      let value: tf.Tensor;
      if (estimator === "elbo" && analyticEntropy) value = tf.add(tf.mean(lp), d.entropy());
      else {
        const lq = estimator === "stl" ? q.withDetached((s) => s.logProb(z)) : logQ();
        value = tf.mean(tf.sub(lp, lq));
      }
      const loss = tf.neg(value) as tf.Scalar;
      return { loss, reported: loss, lp };
    }
    if (estimator === "iwae" || estimator === "renyi") {
      const logW = tf.reshape(tf.sub(lp, logQ()), [n, k]);
      const loss = tf.neg(tf.mean(renyi(logW, estimator === "iwae" ? 0 : plan.alpha))) as tf.Scalar;
      return { loss, reported: loss, lp };
    }
    // DReG: −Σᵢ w̃ᵢ² log wᵢ, with w̃ the normalised weights held fixed and log q
    // evaluated at detached parameters, so the gradient flows only through z.
    const logW = tf.reshape(tf.sub(lp, q.withDetached((s) => s.logProb(z))), [n, k]);
    const weights = stopGradient(tf.softmax(logW, 1));
    const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.square(weights), logW), 1))) as tf.Scalar;
    const reported = tf.neg(tf.mean(logMeanExp(stopGradient(logW), 1))) as tf.Scalar;
    return { loss, reported, lp };
  });
}

/**
 * `n` draws of q as a fresh tensor, with no history on the gradient tape: a
 * discrete draw is data, and a target that indexes with it (a gather) must
 * not be asked for a gradient in its indices.
 */
function drawsOffTape(q: TrainableSurrogate, n: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const z = q.sample(n, seed);
    return tf.tensor(z.dataSync(), z.shape, z.dtype);
  });
}

/**
 * The Rényi bound of each row of log weights `[n, k]` (Li & Turner 2016):
 * 1/(1 − α) log (1/k) Σᵢ exp((1 − α) log wᵢ), the mean of log w at α = 1.
 */
export function renyi(logW: tf.Tensor, alpha: number): tf.Tensor {
  return tf.tidy(() =>
    alpha === 1 ? tf.mean(logW, 1) : tf.div(logMeanExp(tf.mul(1 - alpha, logW), 1), 1 - alpha)
  );
}

/**
 * VIMCO (Mnih & Rezende 2016): the score-function gradient of L_k with a
 * control variate per draw that leaves it out — its log weight replaced by
 * the mean of the others' — plus the weights' own term:
 *
 *   ∇L_k = Σⱼ (L̂ − L̂₋ⱼ − w̃ⱼ) ∇ log q(zⱼ),   L̂₋ⱼ = log (1/k)(Σ_{i≠j} wᵢ + exp(mean_{i≠j} log wᵢ))
 *
 * with the draws, the signals and the normalized weights w̃ held fixed.
 */
function vimco(
  what: string,
  target: TargetLogProb,
  q: TrainableSurrogate,
  n: number,
  k: number,
  seed: number,
): StepTerms {
  const z = drawsOffTape(q, n * k, seed);
  try {
    const lp = tf.tidy(() => stopGradient(targetAt(what, target, z)));
    const signal = tf.tidy(() => {
      const logW = tf.reshape(tf.sub(lp, q.logProb(z)), [n, k]);
      const total = logMeanExp(logW, 1);
      // Row j of [n, k, k]: the k log weights with the j-th replaced by the others' mean.
      // (A select, not a product with the identity: a log weight may be −∞.)
      const others = tf.div(tf.sub(tf.sum(logW, 1, true), logW), k - 1);
      const shape = [n, k, k];
      const left = tf.where(
        tf.broadcastTo(tf.greater(tf.eye(k), 0.5), shape),
        tf.broadcastTo(tf.expandDims(others, 2), shape),
        tf.broadcastTo(tf.expandDims(logW, 1), shape),
      );
      const signal = tf.sub(
        tf.sub(tf.expandDims(total, 1), logMeanExp(left, 2)),
        tf.softmax(logW, 1),
      );
      return { signal: stopGradient(signal), reported: tf.neg(tf.mean(total)) };
    });
    const loss = q.withDistribution((d) =>
      tf.neg(tf.div(tf.sum(tf.mul(signal.signal, tf.reshape(d.logProb(z), [n, k]))), n))
    ) as tf.Scalar;
    signal.signal.dispose();
    return { loss, reported: signal.reported as tf.Scalar, lp };
  } finally {
    z.dispose();
  }
}

/** Whether `q` has its entropy in closed form (the families that lack it throw a TypeError). */
export function hasEntropy(q: TrainableSurrogate): boolean {
  try {
    tf.dispose(q.entropy());
    return true;
  } catch (e) {
    if (e instanceof TypeError) return false;
    throw e;
  }
}
