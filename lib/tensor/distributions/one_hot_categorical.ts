import { tf } from "../_tf.ts";
import { sumOfOthers } from "../_special.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { categoricalEntropy, drawCategories, readCategorical } from "./_categorical.ts";
import { atLeast, equalTo, holds } from "./_masks.ts";
import type { CategoricalParams } from "./categorical.ts";

/**
 * A batch of categorical distributions with their points written one-hot:
 * the float32 twin of the core's `OneHotCategorical`.
 *
 * Mathematical details, with logits ℓ and p = softmax(ℓ):
 *
 * ```text
 * log p(x) = Σₖ xₖ log pₖ        (x one-hot; −∞ for any other x)
 * H        = −Σₖ pₖ log pₖ
 * E[X] = p,   Var[Xₖ] = pₖ (1 − pₖ)
 * X = e_c,   c ~ Categorical(p)
 * ```
 *
 * The last axis of the parameter holds the K categories and is the event
 * (`eventShape = [K]`); the axes before it are the batch. Parameters are read
 * as `Categorical`'s. A point that is not one-hot (every entry 0 but one,
 * which is 1) has log-mass −∞. The KL divergence of two is that of their
 * categoricals. Draws are not reparameterized: use the score-function
 * estimator, or relax them (`RelaxedOneHotCategorical`).
 *
 * @example
 * ```ts
 * import { OneHotCategorical, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const c = new OneHotCategorical({ probs: [0.2, 0.5, 0.3] });
 * const [hot, half] = await c.logProb([[0, 1, 0], [0.5, 0.5, 0]]).data();
 * assert.ok(Math.abs(hot! - Math.log(0.5)) < 1e-7);
 * assert.equal(half, -Infinity);
 * const x = await c.sample(4, 1).array() as number[][];
 * assert.ok(x.every((row) => row.reduce((s, v) => s + v, 0) === 1));
 * c.dispose();
 * ```
 */
export class OneHotCategorical extends TensorDistributionBase {
  /** The logits, as given (from `probs`: log pₖ), `[...batchShape, K]`. */
  readonly logits: tf.Tensor;
  /** The probabilities pₖ, summing to 1 over the last axis. */
  readonly probs: tf.Tensor;
  /** log pₖ, normalised. */
  readonly logProbs: tf.Tensor;
  /** The number of categories K. */
  readonly numCategories: number;
  /** Whether the parameters were given as probabilities (else as logits). */
  readonly fromProbs: boolean;
  /** All axes of the parameter but the last. */
  readonly batchShape: number[];
  /** `[K]`. */
  readonly eventShape: number[];
  /** Always false: a draw is discrete. */
  readonly reparameterized: boolean = false;

  /**
   * Creates a batch of one-hot categorical distributions.
   *
   * @param params `{ logits }` (finite) or `{ probs }` (each in [0, 1],
   *   summing to 1 within 10⁻⁶), `[...batch, K]` with K ≥ 1.
   * @throws {TypeError} If neither or both are given, `params` has another
   *   key, a parameter is not a tensor or numbers, or it has no category axis.
   * @throws {RangeError} If a logit is not finite, or a probability is
   *   outside [0, 1], or the probabilities do not sum to 1.
   */
  constructor(params: CategoricalParams) {
    super();
    try {
      const what = "Cannot construct OneHotCategorical";
      const c = readCategorical(
        what,
        params,
        (name, raw, rule) => this.param(what, name, raw, rule),
        (t) => this.own(t),
      );
      this.logits = c.logits;
      this.probs = c.probs;
      this.logProbs = c.logProbs;
      this.fromProbs = c.fromProbs;
      this.numCategories = c.numCategories;
      this.batchShape = c.batchShape;
      this.eventShape = [c.numCategories];
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** log pₖ at eₖ, shape `broadcast(x.shape[:-1], batchShape)`; −∞ at any other x. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("OneHotCategorical", x);
      // Each entry 0 or 1, and exactly one 1 (masks: see _masks.ts).
      const isOne = equalTo(xs, 1), isZero = equalTo(xs, 0);
      const ones = tf.sum(isOne, -1), others = tf.sum(tf.sub(1, tf.maximum(isOne, isZero)), -1);
      const picked = tf.add(tf.zerosLike(tf.add(xs, this.logProbs)), this.logProbs);
      const lp = tf.sum(tf.where(holds(isOne), picked, tf.zerosLike(picked)), -1);
      const hot = holds(tf.mul(equalTo(ones, 1), atLeast(0, others)));
      return tf.where(hot, lp, tf.fill(lp.shape, -Infinity));
    });
  }

  /** −Σₖ pₖ log pₖ (terms with pₖ = 0 are 0), shape `batchShape`. */
  entropy(): tf.Tensor {
    return categoricalEntropy(this.probs, this.logProbs);
  }

  /** p, `[...batchShape, K]`. */
  mean(): tf.Tensor {
    return tf.clone(this.probs);
  }

  /** pₖ (1 − pₖ), with 1 − pₖ summed from the other pⱼ (as the core does), `[...batchShape, K]`. */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.mul(this.probs, sumOfOthers(this.probs)));
  }

  /**
   * `n` one-hot draws, `[n, ...batchShape, K]` (not differentiable); a
   * category of probability 0 is never drawn.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of the draws (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("OneHotCategorical", n, seed);
    return tf.tidy(() => {
      // (Not tf.oneHot, which refuses K = 1.)
      const c = tf.expandDims(drawCategories(this.probs, n, seed), -1);
      return equalTo(c, tf.range(0, this.numCategories, 1, "float32"));
    });
  }
}
