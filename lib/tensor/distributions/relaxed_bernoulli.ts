import { tf } from "../_tf.ts";
import { deriveSeed } from "../../math/rng.ts";
import { noClosedForm } from "../../distributions/_batch.ts";
import { log, log1p, softplus } from "../_stable.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { BELOW_ONE, TINY } from "./_families.ts";
import { readOpenLogits } from "./_logits.ts";
import { atLeast, equalTo, holds } from "./_masks.ts";
import { broadcastShapes, overEvent } from "./_params.ts";

/** Parameters of {@linkcode RelaxedBernoulli}: logits ℓ, or p = σ(ℓ) in (0, 1), `[...batch, D]`. */
export type RelaxedBernoulliParams = { logits: TensorInput } | { probs: TensorInput };

/**
 * Sums a row of log-densities over the last axis where a −∞ outweighs a +∞
 * (a point outside the support has density 0, whatever the others).
 */
function sumWithInfinities(v: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const zero = tf.zerosLike(v), one = tf.onesLike(v);
    const finite = tf.isFinite(v);
    const down = tf.sum(tf.where(tf.greaterEqual(v, 0), zero, tf.where(finite, zero, one)), -1);
    const up = tf.sum(tf.where(tf.greaterEqual(v, 0), tf.where(finite, zero, one), zero), -1);
    const s = tf.sum(tf.where(finite, v, zero), -1);
    return tf.where(
      tf.greaterEqual(down, 1),
      tf.fill(s.shape, -Infinity),
      tf.where(tf.greaterEqual(up, 1), tf.fill(s.shape, Infinity), s),
    );
  });
}

/**
 * A batch of relaxed Bernoulli (binary Concrete) vectors (Maddison et al.
 * 2017; Jang et al. 2017) on tensors: the core's `RelaxedBernoulli`, with
 * its formulas, and reparameterized draws:
 *
 * ```text
 * X = σ((ℓ + L)/λ),   L = log U − log(1 − U) ~ Logistic(0, 1)
 * log p(x) = Σⱼ log λ − softplus(tⱼ) − softplus(−tⱼ) − log xⱼ − log(1 − xⱼ),   tⱼ = ℓⱼ − λ logit xⱼ
 * ```
 *
 * The last axis of the logits is the event (`eventShape = [D]`); the
 * temperature λ (> 0) is a number or a tensor whose shape broadcasts with the
 * batch (one temperature per member of the batch). At x = 0 or 1 the
 * log-density is its limit (+∞ for λ < 1, −∞ for λ > 1, ∓ℓ for λ = 1);
 * outside [0, 1] it is −∞, which outweighs a +∞. Draws are differentiable
 * in ℓ and λ: the relaxation that lets a pathwise gradient through a binary
 * latent. A draw is kept within [2⁻¹²⁶, 1 − 2⁻²⁴] (at low temperatures it
 * would round to 0 or 1, where the log-density is infinite). The mean,
 * variance and entropy have no closed form and throw.
 *
 * @example
 * ```ts
 * import { RelaxedBernoulli, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const logits = tf.variable(tf.tensor([0.5, -1]));
 * // ∂/∂ℓ of a draw: x (1 − x)/λ, a pathwise gradient.
 * const g = tf.grad((l: tf.Tensor) => tf.sum(new RelaxedBernoulli(0.5, { logits: l }).sample(8, 1)))(logits);
 * assert.ok(g.dataSync().every((v) => v > 0));
 * tf.dispose([g, logits]);
 * ```
 */
export class RelaxedBernoulli extends TensorDistributionBase {
  /** The temperature λ > 0, a scalar or broadcasting with the batch. */
  readonly temperature: tf.Tensor;
  /** ℓ = log(p/(1 − p)), `[...batch, D]`. */
  readonly logits: tf.Tensor;
  /** The broadcast of the temperature's shape and the logits' batch axes. */
  readonly batchShape: number[];
  /** `[D]`. */
  readonly eventShape: number[];
  /** Always true: draws are differentiable in ℓ and λ. */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of relaxed Bernoulli vectors.
   *
   * @param temperature λ > 0: a number, or a tensor broadcasting with the batch.
   * @param params `{ logits }` (finite) or `{ probs }` (each in (0, 1)), `[...batch, D]`.
   * @throws {TypeError} If a parameter is not a tensor or numbers, neither
   *   or both of logits and probs are given, `params` has another key, the
   *   logits have no event axis, or the temperature's shape does not
   *   broadcast with the batch.
   * @throws {RangeError} If the temperature is not > 0, a logit is not
   *   finite, or a probability is not in (0, 1).
   */
  constructor(temperature: TensorInput, params: RelaxedBernoulliParams) {
    super();
    try {
      const what = "Cannot construct RelaxedBernoulli";
      this.temperature = this.param(what, "temperature", temperature, "positive");
      this.logits = readOpenLogits(
        what,
        params,
        (name, raw, rule) => this.param(what, name, raw, rule),
        (t) => this.own(t),
      );
      this.batchShape = broadcastShapes(
        what,
        "temperature and the batch of the logits",
        this.temperature.shape,
        this.logits.shape.slice(0, -1),
      );
      this.eventShape = this.logits.shape.slice(-1);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** Σⱼ log p(xⱼ), shape `broadcast(x.shape[:-1], batchShape)`; limits at 0 and 1, −∞ outside [0, 1]. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("RelaxedBernoulli", x),
        lam = overEvent(this.temperature),
        l = this.logits;
      // The open interval's branch, on x clamped into it.
      const xc = tf.clipByValue(xs, TINY, BELOW_ONE);
      const lx = log(xc), l1x = log1p(tf.neg(xc));
      const t = tf.sub(l, tf.mul(lam, tf.sub(lx, l1x)));
      const inner = tf.sub(
        tf.sub(tf.sub(log(lam), softplus(t)), softplus(tf.neg(t))),
        tf.add(lx, l1x),
      );
      // At 0 and 1: ∓ℓ for λ = 1, else +∞ (λ < 1) or −∞ (λ > 1); −∞ outside [0, 1].
      const shape = inner.shape, inf = tf.fill(shape, Infinity), ninf = tf.fill(shape, -Infinity);
      const atZero = equalTo(xs, 0), atEdge = tf.maximum(atZero, equalTo(xs, 1));
      const edge = tf.where(
        holds(equalTo(lam, 1)),
        tf.add(tf.zerosLike(inner), tf.where(holds(atZero), tf.neg(l), l)),
        tf.where(tf.greaterEqual(lam, 1), ninf, inf),
      );
      const inside = tf.mul(atLeast(xs, 0), atLeast(1, xs));
      const each = tf.where(holds(inside), tf.where(holds(atEdge), edge, inner), ninf);
      return sumWithInfinities(each);
    });
  }

  /**
   * `n` draws σ((ℓ + L)/λ), `[n, ...batchShape, D]`, differentiable in ℓ
   * and λ.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of U (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("RelaxedBernoulli", n, seed);
    return tf.tidy(() => {
      const shape = [n, ...this.batchShape, ...this.eventShape];
      const u = tf.clipByValue(
        tf.randomUniform(shape, 0, 1, "float32", deriveSeed(seed)),
        TINY,
        BELOW_ONE,
      );
      const noise = tf.sub(log(u), log1p(tf.neg(u)));
      const x = tf.sigmoid(tf.div(tf.add(this.logits, noise), overEvent(this.temperature)));
      // Kept inside (0, 1), where the log-density is finite.
      return tf.clipByValue(x, TINY, BELOW_ONE);
    });
  }

  /**
   * The mean, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  mean(): tf.Tensor {
    return noClosedForm("RelaxedBernoulli", "mean", "its mean", "sample(n, seed)");
  }

  /**
   * The variance, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  variance(): tf.Tensor {
    return noClosedForm("RelaxedBernoulli", "variance", "its variance", "sample(n, seed)");
  }

  /**
   * The entropy, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  entropy(): tf.Tensor {
    return noClosedForm("RelaxedBernoulli", "entropy", "its entropy", "sample(n, seed)");
  }
}
