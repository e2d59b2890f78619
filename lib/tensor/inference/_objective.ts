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
  if (!q.reparameterized) {
    // Score function: ∇ E_q[f] = E[(f − b) ∇ log q], with f = log p − log q
    // held fixed and b the mean of the other draws (unbiased for any n).
    // (The stops matter only for a family whose draws are differentiable
    // after all, such as a user's own that does not say so.)
    const z = tf.tidy(() => stopGradient(q.sample(n, seed)));
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
    const own = (estimator === "iwae" || (estimator === "elbo" && !analyticEntropy)) &&
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
    if (estimator === "iwae") {
      const logW = tf.reshape(tf.sub(lp, logQ()), [n, k]);
      const loss = tf.neg(tf.mean(logMeanExp(logW, 1))) as tf.Scalar;
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
