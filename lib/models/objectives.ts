// The VAE's objectives, each a small function of the model's distributions
// that reads like its formula, and the schedule of their weights. With
// q = q(z|x) the encoder's DiagNormal (or a FlowPosterior), p(z) = N(0, 1)
// per coordinate the prior, zᵢ ~ q (i = 1…k) and log p(x|zᵢ) the decoder's
// log-likelihood:
//
//   R  = −(1/k) Σᵢ log p(x|zᵢ)                   the reconstruction term
//   KL = KL(q(z|x) ‖ p(z))                       analytic, or log q(z|x) − log p(z) at the draws
//   log wᵢ = log p(x|zᵢ) + log p(zᵢ) − log q(zᵢ|x)  the importance log-weights
//
// every quantity averaged over the examples of the batch.
import { tf } from "../tensor/_tf.ts";
import { logMeanExp } from "../tensor/_stable.ts";
import { DiagNormal } from "../tensor/distributions/diag_normal.ts";
import { Normal } from "../tensor/distributions/normal.ts";
import { klDivergence } from "../tensor/divergences/kl_divergence.ts";
import type { Term } from "./report.ts";
import { FlowPosterior } from "./flow_posterior.ts";

/**
 * What the VAE minimises, per example, with R = −E_q[log p(x|z)] and
 * KL = KL(q(z|x) ‖ p(z)):
 *
 * ```text
 * elbo         R + KL                                   (Kingma & Welling 2014)
 * beta         R + β KL                                 (Higgins et al. 2017; β > 1 for disentangling)
 * capacity     R + γ |KL − C|,  C = C_max · min(1, t / T)    (Burgess et al. 2018)
 * constrained  R + β (KL − δ),  then β ← max(0, β + η (KL − δ))   (dual ascent on the Lagrangian)
 * iwae         −log (1/k) Σᵢ p(x, zᵢ) / q(zᵢ|x)         (Burda et al. 2016)
 * ```
 */
export type Objective =
  | { kind: "elbo" }
  | { kind: "beta"; beta: number }
  | { kind: "capacity"; gamma: number; maxCapacity: number; annealSteps: number }
  | { kind: "constrained"; budget: number; dualStepSize?: number; initialBeta?: number }
  | { kind: "iwae"; k: number };

/** How the KL term is estimated: the closed form, or log q(z|x) − log p(z) at the draws. */
export type KLEstimator = "analytic" | "monteCarlo";

/** A batch seen through the model: what every objective is computed from. */
export interface Fit {
  /** q(z|x), batch [n], event [K]. */
  q: DiagNormal | FlowPosterior;
  /** p(z): N(0, 1) for each coordinate. */
  prior: Normal;
  /** The draws zᵢ ~ q(z|x), [k, n, K]. */
  z: tf.Tensor;
  /** log p(x|zᵢ), [k, n]. */
  logLikelihood: tf.Tensor;
  /**
   * log q(zᵢ|x), [k, n], where the draws came with it (a flow's, from the
   * same pass); else it is `q.logProb(z)`.
   */
  logQ?: tf.Tensor;
}

/** The weights of a step: β on the KL, and the capacity C (capacity annealing only). */
export interface Schedule {
  /** The weight on the KL (γ for capacity annealing); absent for the IWAE bound. */
  beta?: number;
  /** C(t), for capacity annealing. */
  capacity?: number;
}

/**
 * A step's view of a batch: k draws zᵢ ~ q(z|x) from `seed` (with log
 * q(zᵢ|x) from the same pass for a flow posterior, which then needs no
 * inverse), and log p(x|zᵢ) from `logLikelihood`.
 */
export function fitOf(
  q: DiagNormal | FlowPosterior,
  prior: Normal,
  k: number,
  seed: number,
  logLikelihood: (z: tf.Tensor) => tf.Tensor,
): Fit {
  if (q instanceof FlowPosterior) {
    const { sample: z, logProb } = q.sampleAndLogProb(k, seed);
    return { q, prior, z, logLikelihood: logLikelihood(z), logQ: logProb };
  }
  const z = q.sample(k, seed);
  return { q, prior, z, logLikelihood: logLikelihood(z) };
}

/** R = −(1/k) Σᵢ log p(x|zᵢ), averaged over the batch. */
export function reconstruction(f: Fit): tf.Scalar {
  return tf.neg(tf.mean(f.logLikelihood));
}

/** KL(q(z|x) ‖ p(z)) of each latent coordinate, [n, K]: the closed form of two Gaussians. */
export function klPerLatent(q: DiagNormal, prior: Normal): tf.Tensor {
  return klDivergence(Normal.fromLogScale(q.loc, q.logScale), prior);
}

/** log p(z) = Σⱼ log N(zⱼ; 0, 1), one value per draw and example. */
export function priorLogProb(prior: Normal, z: tf.Tensor): tf.Tensor {
  return tf.sum(prior.logProb(z), -1);
}

/** log q(zᵢ|x) at the draws, [k, n]: from the draws' own pass where it came with them. */
export function logQ(f: Fit): tf.Tensor {
  return f.logQ ?? f.q.logProb(f.z);
}

/**
 * KL(q(z|x) ‖ p(z)), averaged over the batch: analytic (the diagonal
 * Gaussian only), or E_q[log q(z|x) − log p(z)] at the draws.
 */
export function kl(f: Fit, estimator: KLEstimator): tf.Scalar {
  if (estimator === "analytic") {
    if (!(f.q instanceof DiagNormal)) {
      throw new TypeError(
        `Cannot compute kl as the estimator "analytic" needs a DiagNormal q(z|x): current q is a ${f.q.constructor.name}`,
      );
    }
    return tf.mean(tf.sum(klPerLatent(f.q, f.prior), -1));
  }
  return tf.mean(tf.sub(logQ(f), priorLogProb(f.prior, f.z)));
}

/** log wᵢ = log p(x|zᵢ) + log p(zᵢ) − log q(zᵢ|x), [k, n]. */
export function logWeights(f: Fit): tf.Tensor {
  return tf.sub(tf.add(f.logLikelihood, priorLogProb(f.prior, f.z)), logQ(f));
}

/** −ELBO = R + KL. */
export function negativeElbo(r: tf.Scalar, kl: tf.Scalar): tf.Scalar {
  return tf.add(r, kl);
}

/** The β-VAE loss R + β KL. */
export function betaLoss(r: tf.Scalar, kl: tf.Scalar, beta: number): tf.Scalar {
  return tf.add(r, tf.mul(beta, kl));
}

/** Capacity annealing: R + γ |KL − C|. */
export function capacityLoss(r: tf.Scalar, kl: tf.Scalar, gamma: number, c: number): tf.Scalar {
  return tf.add(r, tf.mul(gamma, tf.abs(tf.sub(kl, c))));
}

/** The Lagrangian of min R subject to KL ≤ δ: R + β (KL − δ). */
export function lagrangian(r: tf.Scalar, kl: tf.Scalar, beta: number, budget: number): tf.Scalar {
  return tf.add(r, tf.mul(beta, tf.sub(kl, budget)));
}

/** Minus the importance-weighted bound: −log (1/k) Σᵢ wᵢ, averaged over the batch. */
export function iwaeLoss(f: Fit): tf.Scalar {
  return tf.neg(tf.mean(logMeanExp(logWeights(f), 0)));
}

/** The loss of an objective on a batch, with its schedule. */
export function loss(
  ob: Objective,
  f: Fit,
  terms: { reconstruction: tf.Scalar; kl: tf.Scalar },
  s: Schedule,
): tf.Scalar {
  const { reconstruction: r, kl } = terms;
  switch (ob.kind) {
    case "elbo":
      return negativeElbo(r, kl);
    case "beta":
      return betaLoss(r, kl, s.beta!);
    case "capacity":
      return capacityLoss(r, kl, ob.gamma, s.capacity!);
    case "constrained":
      return lagrangian(r, kl, s.beta!, ob.budget);
    case "iwae":
      return iwaeLoss(f);
  }
}

/** C(t) = C_max · min(1, t / T) after t steps. */
export function capacityAt(
  ob: { maxCapacity: number; annealSteps: number },
  step: number,
): number {
  return ob.maxCapacity * Math.min(1, step / ob.annealSteps);
}

/**
 * The weights of the step after `step` steps, given the current β (which
 * only the constrained objective moves).
 */
export function schedule(ob: Objective, step: number, beta: number): Schedule {
  switch (ob.kind) {
    case "elbo":
      return { beta: 1 };
    case "beta":
    case "constrained":
      return { beta };
    case "capacity":
      return { beta: ob.gamma, capacity: capacityAt(ob, step) };
    case "iwae":
      return {};
  }
}

/**
 * The terms an objective reports each step: R and KL, then the weights of
 * its schedule (β, C).
 */
export function objectiveTerms(ob: Objective): Term[] {
  const s = schedule(ob, 0, 1);
  return [
    { key: "reconstruction", label: "rec", description: "reconstruction −E_q[log p(x|z)]" },
    { key: "kl", label: "KL", description: "KL(q(z|x) ‖ p(z))" },
    ...(s.beta === undefined ? [] : [
      { key: "beta", label: "β", description: "the weight β on the KL", weight: true },
    ]),
    ...(s.capacity === undefined ? [] : [
      { key: "capacity", label: "C", description: "the capacity C", weight: true },
    ]),
  ];
}

/**
 * β after a step of the constrained objective, by dual ascent on the
 * Lagrangian, β ← max(0, β + η (KL − δ)); β itself under any other objective.
 */
export function dualAscent(ob: Objective, beta: number, kl: number): number {
  if (ob.kind !== "constrained") return beta;
  return Math.max(0, beta + (ob.dualStepSize ?? 0.01) * (kl - ob.budget));
}
