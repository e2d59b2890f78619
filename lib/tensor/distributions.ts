import { tf } from "./_tf.ts";

// The batched float32 twins of the float64 core. Every function works on a
// batch: rows are examples, columns coordinates, and the result has one value
// per row. Gaussians are parameterised as a network outputs them: a location
// and log σ² (`logVar`), so σ = exp(½ logVar) (seed 002).

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log N(x; μ, diag exp(logVar)) per row; the twin of `DiagNormal.logProb`.
 *
 * ```text
 * log p(x) = Σⱼ −½ (log 2π + logVarⱼ + (xⱼ − μⱼ)² exp(−logVarⱼ))
 * ```
 *
 * @param x Points, [batch, d].
 * @param loc μ, [batch, d] (or broadcastable).
 * @param logVar log σ², same shape as `loc`.
 * @returns [batch].
 *
 * @example
 * ```ts
 * import { diagGaussianLogProb, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const lp = diagGaussianLogProb(tf.zeros([1, 2]), tf.zeros([1, 2]), tf.zeros([1, 2]));
 * assert.ok(Math.abs(lp.dataSync()[0]! + Math.log(2 * Math.PI)) < 1e-6);
 * ```
 */
export function diagGaussianLogProb(x: tf.Tensor, loc: tf.Tensor, logVar: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const z2 = tf.mul(tf.square(tf.sub(x, loc)), tf.exp(tf.neg(logVar)));
    return tf.mul(-0.5, tf.sum(tf.add(tf.add(z2, logVar), LOG_2PI), -1)) as tf.Tensor1D;
  });
}

/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) per latent coordinate, [batch, d] — the VAE
 * regulariser (MATH.md §2); sum over the last axis for the total.
 *
 * ```text
 * KLⱼ = ½ (σⱼ² + μⱼ² − 1 − log σⱼ²)
 * ```
 *
 * @param loc μ, [batch, d].
 * @param logVar log σ², [batch, d].
 * @returns The per-coordinate KL, [batch, d].
 */
export function klStandardNormalPerDim(loc: tf.Tensor, logVar: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() =>
    tf.mul(0.5, tf.sub(tf.add(tf.exp(logVar), tf.square(loc)), tf.add(logVar, 1))) as tf.Tensor2D
  );
}

/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) per row; the twin of `klStandardNormal`.
 *
 * @param loc μ, [batch, d].
 * @param logVar log σ², [batch, d].
 * @returns [batch].
 */
export function klStandardNormal(loc: tf.Tensor, logVar: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.sum(klStandardNormalPerDim(loc, logVar), -1) as tf.Tensor1D);
}

/**
 * KL between diagonal Gaussians per row; the twin of `klDiagNormal`.
 *
 * ```text
 * KL = ½ Σⱼ [ exp(lv₀ⱼ − lv₁ⱼ) + (μ₀ⱼ − μ₁ⱼ)² exp(−lv₁ⱼ) − 1 + lv₁ⱼ − lv₀ⱼ ]
 * ```
 *
 * @param loc0 μ₀.
 * @param logVar0 log σ₀².
 * @param loc1 μ₁.
 * @param logVar1 log σ₁².
 * @returns [batch].
 */
export function klDiagGaussians(
  loc0: tf.Tensor,
  logVar0: tf.Tensor,
  loc1: tf.Tensor,
  logVar1: tf.Tensor,
): tf.Tensor1D {
  return tf.tidy(() => {
    const d = tf.sub(logVar0, logVar1);
    const m = tf.mul(tf.square(tf.sub(loc0, loc1)), tf.exp(tf.neg(logVar1)));
    return tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.exp(d), m), tf.add(d, 1)), -1)) as tf.Tensor1D;
  });
}

/**
 * The reparameterization trick z = μ + exp(½ logVar) ⊙ ε (seed 001).
 *
 * @param loc μ.
 * @param logVar log σ².
 * @param epsilon Standard-normal noise of the same shape.
 * @returns z.
 */
export function reparameterize(loc: tf.Tensor, logVar: tf.Tensor, epsilon: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(loc, tf.mul(tf.exp(tf.mul(0.5, logVar)), epsilon)));
}

/**
 * Σⱼ log Bernoulli(xⱼ; σ(ℓⱼ)) per row, minus the binary cross-entropy, in the
 * stable form of MATH.md §3 (finite for logits of any size):
 *
 * ```text
 * log p(x) = Σⱼ xⱼ ℓⱼ − softplus(ℓⱼ)
 * ```
 *
 * @param x Targets in [0, 1], [batch, D].
 * @param logits ℓ, [batch, D].
 * @returns [batch].
 */
export function bernoulliLogProb(x: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  return bernoulliOp(x, logits) as tf.Tensor1D;
}

// The gradient in the logits is x − σ(ℓ), one pass over the batch, instead
// of autodiff's chain through mul, softplus and sum; the gradient in x
// (ℓ, when targets are themselves differentiated) is kept for completeness.
const bernoulliOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, logits, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([x, logits]);
  return {
    value: tf.sum(tf.sub(tf.mul(x, logits), tf.softplus(logits)), -1),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ls] = saved as [tf.Tensor, tf.Tensor];
      const g = tf.expandDims(dy as tf.Tensor, -1);
      return [tf.mul(g, ls), tf.mul(g, tf.sub(xs, tf.sigmoid(ls)))];
    },
  };
});

/**
 * The Gaussian likelihood of a decoder, per row: a fixed scale σ (the MSE
 * reading of seed 004), or a learned log-variance tensor.
 *
 * ```text
 * log p(x | x̂) = −‖x − x̂‖² / (2σ²) − (D/2) log(2πσ²)
 * ```
 *
 * @param x Targets, [batch, D].
 * @param mean x̂, [batch, D].
 * @param scale σ (a number), or log σ² as a tensor broadcastable to x.
 * @returns [batch].
 */
export function gaussianLogLikelihood(
  x: tf.Tensor,
  mean: tf.Tensor,
  scale: number | tf.Tensor,
): tf.Tensor1D {
  return tf.tidy(() => {
    if (typeof scale === "number") {
      const D = x.shape[x.shape.length - 1]!;
      const sq = tf.sum(tf.square(tf.sub(x, mean)), -1);
      return tf.sub(
        tf.div(sq, -2 * scale * scale),
        0.5 * D * (LOG_2PI + 2 * Math.log(scale)),
      ) as tf.Tensor1D;
    }
    return diagGaussianLogProb(x, mean, scale);
  });
}

/**
 * log-mean-exp over the given axis, stably: the inner quantity of the
 * importance-weighted bound, log (1/k) Σᵢ exp(aᵢ).
 *
 * @param a Log-weights.
 * @param axis The axis of the k samples.
 * @returns logsumexp(a) − log k.
 */
export function logMeanExp(a: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.logSumExp(a, axis), Math.log(a.shape[axis]!)));
}
