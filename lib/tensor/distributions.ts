import { tf } from "./_tf.ts";
import { assertFinite, assertPositive } from "../math/_validate.ts";
import { assertBroadcastable, assertTensor } from "./_validate.ts";
import { expm1MinusX, standardizedSquare } from "./_stable.ts";

// The batched float32 twins of the float64 core. Every function works on a
// batch: rows are examples, columns coordinates, and the result has one value
// per row. Gaussians are parameterised as a network outputs them: a location
// and log σ² (`logVar`), so σ = exp(½ logVar) and σ > 0 without a constraint.
//
// float32 overflows early (exp(89) = ∞), so each formula is written so that
// finite inputs never meet 0·∞ or ∞ − ∞: a value may overflow to ±∞, but it
// is never NaN, and neither is its gradient where the value is finite.

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log N(x; μ, diag exp(logVar)) per row; the twin of `DiagNormal.logProb`.
 *
 * ```text
 * log p(x) = Σⱼ −½ (log 2π + logVarⱼ + (xⱼ − μⱼ)² exp(−logVarⱼ))
 * ```
 *
 * @param x Points, [batch, d] (or any rank ≥ 1, summed over the last axis).
 * @param loc μ, broadcastable with `x`.
 * @param logVar log σ², broadcastable with `x`.
 * @returns One value per row: the broadcast shape without its last axis.
 * @throws {TypeError} If an argument is not a float32 tensor or the shapes do
 *   not broadcast.
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
  assertBroadcastable("diagGaussianLogProb", { x, loc, logVar });
  return tf.tidy(() => {
    const z2 = standardizedSquare(tf.sub(x, loc), logVar);
    return tf.mul(-0.5, tf.sum(tf.add(tf.add(z2, logVar), LOG_2PI), -1)) as tf.Tensor1D;
  });
}

/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) per latent coordinate, [batch, d] — the VAE
 * regulariser (Kingma & Welling 2014, appendix B); sum over the last axis for
 * the total. Written with f(t) = eᵗ − 1 − t, so that it is accurate, and never
 * negative, for σ² near 1 where σ² − 1 − log σ² cancels:
 *
 * ```text
 * KLⱼ = ½ (σⱼ² + μⱼ² − 1 − log σⱼ²) = ½ (f(logVarⱼ) + μⱼ²)
 * ```
 *
 * @param loc μ, [batch, d].
 * @param logVar log σ², broadcastable with `loc`.
 * @returns The per-coordinate KL, the broadcast shape.
 * @throws {TypeError} If an argument is not a float32 tensor or the shapes do
 *   not broadcast.
 *
 * @example
 * ```ts
 * import { klStandardNormalPerDim, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // log σ² = 1e-4: ½ (e^t − 1 − t) = 2.5e-9, which σ² − 1 − log σ² rounds to 0 in float32.
 * const kl = klStandardNormalPerDim(tf.zeros([1, 1]), tf.fill([1, 1], 1e-4));
 * assert.ok(Math.abs(kl.dataSync()[0]! / 2.5000833e-9 - 1) < 1e-5);
 * ```
 */
export function klStandardNormalPerDim(loc: tf.Tensor, logVar: tf.Tensor): tf.Tensor2D {
  assertBroadcastable("klStandardNormalPerDim", { loc, logVar });
  return tf.tidy(() => tf.mul(0.5, tf.add(expm1MinusX(logVar), tf.square(loc))) as tf.Tensor2D);
}

/**
 * KL(N(μ, diag σ²) ‖ N(0, I)) per row; the twin of `klStandardNormal`.
 *
 * @param loc μ, [batch, d].
 * @param logVar log σ², broadcastable with `loc`.
 * @returns [batch].
 * @throws {TypeError} If an argument is not a float32 tensor or the shapes do
 *   not broadcast.
 *
 * @example
 * ```ts
 * import { klStandardNormalTensor, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // ½ (1 + 1 − 1 − 0) per coordinate for μ = 1, σ = 1.
 * const kl = klStandardNormalTensor(tf.ones([1, 3]), tf.zeros([1, 3]));
 * assert.ok(Math.abs(kl.dataSync()[0]! - 1.5) < 1e-6);
 * ```
 */
export function klStandardNormal(loc: tf.Tensor, logVar: tf.Tensor): tf.Tensor1D {
  assertBroadcastable("klStandardNormal", { loc, logVar });
  return tf.tidy(() => tf.sum(klStandardNormalPerDim(loc, logVar), -1) as tf.Tensor1D);
}

/**
 * KL between diagonal Gaussians per row; the twin of `klDiagNormal`. With
 * f(t) = eᵗ − 1 − t ≥ 0 and dⱼ = lv₀ⱼ − lv₁ⱼ, every term is ≥ 0, so the sum is
 * never negative and is accurate for near-identical pairs:
 *
 * ```text
 * KL = ½ Σⱼ [ exp(dⱼ) − 1 − dⱼ + (μ₀ⱼ − μ₁ⱼ)² exp(−lv₁ⱼ) ] = ½ Σⱼ [ f(dⱼ) + (μ₀ⱼ − μ₁ⱼ)² / σ₁ⱼ² ]
 * ```
 *
 * @param loc0 μ₀.
 * @param logVar0 log σ₀².
 * @param loc1 μ₁.
 * @param logVar1 log σ₁² (all four broadcastable).
 * @returns [batch].
 * @throws {TypeError} If an argument is not a float32 tensor or the shapes do
 *   not broadcast.
 *
 * @example
 * ```ts
 * import { klDiagGaussians, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = tf.zeros([1, 2]);
 * assert.equal(klDiagGaussians(p, p, p, p).dataSync()[0], 0);
 * ```
 */
export function klDiagGaussians(
  loc0: tf.Tensor,
  logVar0: tf.Tensor,
  loc1: tf.Tensor,
  logVar1: tf.Tensor,
): tf.Tensor1D {
  assertBroadcastable("klDiagGaussians", { loc0, logVar0, loc1, logVar1 });
  return tf.tidy(() => {
    const f = expm1MinusX(tf.sub(logVar0, logVar1));
    const m = standardizedSquare(tf.sub(loc0, loc1), logVar1);
    return tf.mul(0.5, tf.sum(tf.add(f, m), -1)) as tf.Tensor1D;
  });
}

/**
 * The reparameterization trick z = μ + exp(½ logVar) ⊙ ε (Kingma & Welling
 * 2014, §2.4). Where ε = 0, z = μ whatever σ.
 *
 * @param loc μ.
 * @param logVar log σ².
 * @param epsilon Standard-normal noise (the three broadcastable).
 * @returns z, the broadcast shape.
 * @throws {TypeError} If an argument is not a float32 tensor or the shapes do
 *   not broadcast.
 *
 * @example
 * ```ts
 * import { reparameterize, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const z = reparameterize(tf.tensor1d([1]), tf.tensor1d([Math.log(4)]), tf.tensor1d([0.5]));
 * assert.ok(Math.abs(z.dataSync()[0]! - 2) < 1e-6); // 1 + 2 · 0.5
 * ```
 */
export function reparameterize(loc: tf.Tensor, logVar: tf.Tensor, epsilon: tf.Tensor): tf.Tensor {
  assertBroadcastable("reparameterize", { loc, logVar, epsilon }, 0);
  return tf.tidy(() => {
    // 0 ≥ |ε| is ε = 0 (greaterEqual, unlike equal, has a gradient in tfjs).
    const zero = tf.greaterEqual(0, tf.abs(epsilon));
    const safe = tf.where(zero, tf.zerosLike(epsilon), logVar);
    return tf.add(loc, tf.mul(tf.exp(tf.mul(0.5, safe)), epsilon));
  });
}

/**
 * Σⱼ log Bernoulli(xⱼ; σ(ℓⱼ)) per row, minus the binary cross-entropy, in the
 * stable form (finite for logits of any size):
 *
 * ```text
 * log p(x) = Σⱼ xⱼ ℓⱼ − softplus(ℓⱼ)
 * ```
 *
 * @param x Targets in [0, 1], [batch, D].
 * @param logits ℓ, the same shape.
 * @returns [batch].
 * @throws {TypeError} If an argument is not a float32 tensor of rank ≥ 1, or
 *   the shapes differ.
 *
 * @example
 * ```ts
 * import { bernoulliLogProb, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // logit 0 is p = ½: log ½ per pixel, whatever the target.
 * const lp = bernoulliLogProb(tf.tensor2d([[1, 0]]), tf.zeros([1, 2]));
 * assert.ok(Math.abs(lp.dataSync()[0]! - 2 * Math.log(0.5)) < 1e-6);
 * ```
 */
export function bernoulliLogProb(x: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  assertBroadcastable("bernoulliLogProb", { x, logits });
  if (x.shape.join() !== logits.shape.join()) {
    throw new TypeError(
      `bernoulliLogProb as logits must have the shape of x, [${x.shape}]: current shape is [${logits.shape}]`,
    );
  }
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
 * The Gaussian likelihood of a decoder, per row: a fixed scale σ (a decoder
 * trained with the squared error), or a learned log-variance tensor.
 *
 * ```text
 * log p(x | x̂) = −‖x − x̂‖² / (2σ²) − (D/2) log(2πσ²)
 * ```
 *
 * @param x Targets, [batch, D].
 * @param mean x̂, broadcastable with `x`.
 * @param scale σ (a number > 0), or log σ² as a tensor broadcastable to x.
 * @returns [batch].
 * @throws {TypeError} If a tensor argument is not a float32 tensor, the
 *   shapes do not broadcast, or `scale` is neither a number nor a tensor.
 * @throws {RangeError} If `scale` is a number that is not finite and > 0.
 *
 * @example
 * ```ts
 * import { gaussianLogLikelihood, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // σ = 1/√2: −‖x − x̂‖² − (D/2) log π.
 * const lp = gaussianLogLikelihood(tf.tensor2d([[1, 0]]), tf.zeros([1, 2]), Math.SQRT1_2);
 * assert.ok(Math.abs(lp.dataSync()[0]! - (-1 - Math.log(Math.PI))) < 1e-6);
 * ```
 */
export function gaussianLogLikelihood(
  x: tf.Tensor,
  mean: tf.Tensor,
  scale: number | tf.Tensor,
): tf.Tensor1D {
  const what = "gaussianLogLikelihood";
  if (scale instanceof tf.Tensor) {
    assertBroadcastable(what, { x, mean, scale });
    return diagGaussianLogProb(x, mean, scale);
  }
  assertBroadcastable(what, { x, mean });
  assertPositive(what, "scale", scale);
  // One formula for both: log σ² = 2 log σ is finite for every σ > 0, where
  // 1/σ² would overflow float32 below σ ≈ 1e-19.
  return tf.tidy(() => diagGaussianLogProb(x, mean, tf.scalar(2 * Math.log(scale))));
}

/**
 * log-mean-exp over the given axis, stably: the inner quantity of the
 * importance-weighted bound, log (1/k) Σᵢ exp(aᵢ).
 *
 * @param a Log-weights.
 * @param axis The axis of the k samples (negative counts from the end).
 * @returns logsumexp(a) − log k, without that axis.
 * @throws {TypeError} If `a` is not a float32 tensor.
 * @throws {RangeError} If `axis` is not an axis of `a`, or that axis is empty.
 *
 * @example
 * ```ts
 * import { logMeanExp, useBackend } from "@elbo/elbo/models";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const m = logMeanExp(tf.tensor2d([[0, Math.log(3)]]), -1); // log ((1 + 3) / 2)
 * assert.ok(Math.abs(m.dataSync()[0]! - Math.log(2)) < 1e-6);
 * ```
 */
export function logMeanExp(a: tf.Tensor, axis: number): tf.Tensor {
  const what = "logMeanExp";
  assertTensor(what, "a", a);
  assertFinite(what, "axis", axis);
  if (!Number.isInteger(axis) || axis < -a.rank || axis >= a.rank) {
    throw new RangeError(
      `${what} as axis must be an integer in [${-a.rank}, ${
        a.rank - 1
      }] (a has shape [${a.shape}]): current value is ${axis}`,
    );
  }
  const ax = axis < 0 ? a.rank + axis : axis;
  const k = a.shape[ax]!;
  if (k === 0) {
    throw new RangeError(`${what} as a must have samples along axis ${axis}: that axis is empty`);
  }
  return tf.tidy(() => tf.sub(logSumExp(a, ax), Math.log(k)));
}

/**
 * log Σᵢ exp(aᵢ) over one axis, stably (the maximum is taken out first). Where
 * every term is −∞ the result is −∞ (tf.logSumExp gives NaN: −∞ − (−∞)).
 * Internal: the caller has checked `axis`.
 *
 * @param a Log-values.
 * @param axis A non-negative axis of `a`.
 * @returns The log-sum-exp, without that axis.
 */
export function logSumExp(a: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => {
    const m = tf.max(a, axis, true);
    const shift = tf.where(tf.isFinite(m), m, tf.zerosLike(m));
    return tf.add(tf.squeeze(shift, [axis]), tf.log(tf.sum(tf.exp(tf.sub(a, shift)), axis)));
  });
}
