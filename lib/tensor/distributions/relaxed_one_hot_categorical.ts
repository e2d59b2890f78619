import { tf } from "../_tf.ts";
import { deriveSeed } from "../../math/rng.ts";
import { logGamma } from "../../math/special.ts";
import { noClosedForm } from "../../distributions/_batch.ts";
import { log, logSumExp } from "../_stable.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { BELOW_ONE, TINY } from "./_families.ts";
import { checkRows, readCategorical } from "./_categorical.ts";
import { atLeast } from "./_masks.ts";
import { broadcastShapes, overEvent } from "./_params.ts";
import type { CategoricalParams } from "./categorical.ts";

/** How close to 0, relative to its terms, Kλ − z(λ + 1) counts as 0 (float32's rounding). */
const FACE_TOLERANCE = 8 * 2 ** -24;

/** A finite stand-in for −∞ in a log-sum-exp whose gradient must stay finite. */
const FAR_BELOW = -1e30;

/**
 * A batch of relaxed one-hot categorical (Concrete, Gumbel-softmax)
 * distributions (Maddison et al. 2017; Jang et al. 2017) on tensors: the
 * core's `RelaxedOneHotCategorical`, with its formulas, and reparameterized
 * draws:
 *
 * ```text
 * X = softmax((log p + G)/λ),   Gₖ = −log(−log Uₖ) ~ Gumbel(0, 1)
 * log p(x) = log Γ(K) + (K − 1) log λ + Σₖ (aₖ − M) − Σₖ log xₖ,   aₖ = log pₖ − λ log xₖ,  M = log Σₖ e^{aₖ}
 * ```
 *
 * The last axis of the parameter holds the K ≥ 2 categories and is the
 * event (`eventShape = [K]`); the temperature λ (> 0) is a number or a tensor
 * whose shape broadcasts with the batch. Parameters are read as
 * `Categorical`'s, with every probability given as a number > 0. A point
 * given as numbers must lie on the simplex (a RangeError otherwise); a
 * tensor point with an entry outside [0, 1] has log-density −∞. On a face
 * of the simplex (z coordinates 0) the log-density is the core's limit: −∞
 * if Kλ > z(λ + 1), +∞ if Kλ < z(λ + 1), finite where equal. Draws are
 * differentiable in the logits and λ — the relaxation that lets a pathwise
 * gradient through a categorical latent; an entry that underflows float32
 * is its smallest normal number, 2⁻¹²⁶. The mean, variance and entropy have
 * no closed form and throw.
 *
 * @example
 * ```ts
 * import { RelaxedOneHotCategorical, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const d = new RelaxedOneHotCategorical(0.5, { logits: [[0, 1, -1], [2, 0, 0]] });
 * const x = d.sample(3, 7); // [3, 2, 3], each row on the simplex
 * const sums = await x.sum(-1).data();
 * assert.ok(sums.every((s) => Math.abs(s - 1) < 1e-5));
 * const lp = d.logProb(x);
 * assert.deepEqual(lp.shape, [3, 2]);
 * x.dispose();
 * lp.dispose();
 * d.dispose();
 * ```
 */
export class RelaxedOneHotCategorical extends TensorDistributionBase {
  /** The temperature λ > 0, a scalar or broadcasting with the batch. */
  readonly temperature: tf.Tensor;
  /** The logits, as given (from `probs`: log pₖ), `[...batch, K]`. */
  readonly logits: tf.Tensor;
  /** The probabilities pₖ, summing to 1 over the last axis. */
  readonly probs: tf.Tensor;
  /** log pₖ, normalised. */
  readonly logProbs: tf.Tensor;
  /** The number of categories K ≥ 2. */
  readonly numCategories: number;
  /** The broadcast of the temperature's shape and the parameter's batch axes. */
  readonly batchShape: number[];
  /** `[K]`. */
  readonly eventShape: number[];
  /** Always true: draws are differentiable in the logits and λ. */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of relaxed one-hot categorical distributions.
   *
   * @param temperature λ > 0: a number, or a tensor broadcasting with the batch.
   * @param params `{ logits }` (finite) or `{ probs }` (each in (0, 1],
   *   summing to 1 within 10⁻⁶), `[...batch, K]` with K ≥ 2.
   * @throws {TypeError} If a parameter is not a tensor or numbers, neither
   *   or both of logits and probs are given, `params` has another key, there
   *   are fewer than two categories, or the temperature's shape does not
   *   broadcast with the batch.
   * @throws {RangeError} If the temperature is not > 0, a logit is not
   *   finite, or a probability is 0 or outside [0, 1], or they do not sum to 1.
   */
  constructor(temperature: TensorInput, params: CategoricalParams) {
    super();
    try {
      const what = "Cannot construct RelaxedOneHotCategorical";
      this.temperature = this.param(what, "temperature", temperature, "positive");
      const c = readCategorical(
        what,
        params,
        (name, raw, rule) => this.param(what, name, raw, rule),
        (t) => this.own(t),
        2,
        true,
      );
      this.logits = c.logits;
      this.probs = c.probs;
      this.logProbs = c.logProbs;
      this.numCategories = c.numCategories;
      this.batchShape = broadcastShapes(
        what,
        "temperature and the batch of the parameter",
        this.temperature.shape,
        c.batchShape,
      );
      this.eventShape = [c.numCategories];
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** log p(x) at points of the simplex, shape `broadcast(x.shape[:-1], batchShape)`. */
  logProb(x: TensorInput): tf.Tensor {
    if (!(x instanceof tf.Tensor)) {
      checkRows("Cannot compute RelaxedOneHotCategorical.logProb", "x", x, this.eventShape);
    }
    return tf.tidy(() => {
      const xs = this.point("RelaxedOneHotCategorical", x);
      const K = this.numCategories, lam = overEvent(this.temperature), lp = this.logProbs;
      const lx = log(tf.clipByValue(xs, TINY, 1));
      const norm = tf.add(logGamma(K), tf.mul(K - 1, log(this.temperature)));
      // Inside the simplex: Σₖ (aₖ − M) − Σₖ log xₖ.
      const a = tf.sub(lp, tf.mul(lam, lx));
      const m = tf.expandDims(logSumExp(a, -1), -1);
      const inner = tf.sub(tf.sum(tf.sub(a, m), -1), tf.sum(lx, -1));
      // On a face: its zeros Z, and the finite limit where Kλ = z(λ + 1).
      const isZero = tf.greaterEqual(0, xs);
      const ones = tf.onesLike(a), zeros = tf.zerosLike(a);
      const z = tf.sum(tf.where(isZero, ones, zeros), -1);
      // Kλ − z(λ + 1): its sign decides the limit; within float32's rounding of 0, finite.
      const kl = tf.mul(K, this.temperature), zl = tf.mul(z, tf.add(this.temperature, 1));
      const c = tf.sub(kl, zl), slack = tf.mul(FACE_TOLERANCE, tf.add(kl, zl));
      const rest = tf.sub(lp, tf.mul(tf.add(lam, 1), lx));
      const faceSum = tf.sum(tf.where(isZero, tf.add(zeros, lp), rest), -1);
      const faceLse = logSumExp(
        tf.where(isZero, tf.add(zeros, lp), tf.fill(a.shape, FAR_BELOW)),
        -1,
      );
      const face = tf.sub(faceSum, tf.mul(K, faceLse));
      const inf = tf.fill(face.shape, Infinity), ninf = tf.fill(face.shape, -Infinity);
      const onFace = tf.where(
        tf.greaterEqual(slack, tf.abs(c)),
        face,
        tf.where(tf.greaterEqual(c, 0), ninf, inf),
      );
      const lpx = tf.add(norm, tf.where(tf.greaterEqual(z, 1), onFace, inner));
      // −∞ where an entry is outside [0, 1].
      const inside = tf.mul(atLeast(xs, 0), atLeast(1, xs));
      return tf.where(tf.greaterEqual(tf.min(inside, -1), 1), lpx, ninf);
    });
  }

  /**
   * `n` draws softmax((log p + G)/λ), `[n, ...batchShape, K]`, normalised
   * in log space, differentiable in the logits and λ.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of U (a safe integer).
   * @returns The draws, points of the simplex.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("RelaxedOneHotCategorical", n, seed);
    return tf.tidy(() => {
      const shape = [n, ...this.batchShape, ...this.eventShape];
      const u = tf.clipByValue(
        tf.randomUniform(shape, 0, 1, "float32", deriveSeed(seed)),
        TINY,
        BELOW_ONE,
      );
      const gumbel = tf.neg(log(tf.neg(log(u))));
      const y = tf.div(tf.add(this.logProbs, gumbel), overEvent(this.temperature));
      const x = tf.exp(tf.sub(y, tf.expandDims(logSumExp(y, -1), -1)));
      return tf.maximum(x, TINY);
    });
  }

  /**
   * The mean, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  mean(): tf.Tensor {
    return noClosedForm("RelaxedOneHotCategorical", "mean", "its mean", "sample(n, seed)");
  }

  /**
   * The variance, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  variance(): tf.Tensor {
    return noClosedForm("RelaxedOneHotCategorical", "variance", "its variance", "sample(n, seed)");
  }

  /**
   * The entropy, which has no closed form.
   *
   * @throws {TypeError} Always, pointing to a Monte Carlo estimate from the draws.
   */
  entropy(): tf.Tensor {
    return noClosedForm("RelaxedOneHotCategorical", "entropy", "its entropy", "sample(n, seed)");
  }
}
