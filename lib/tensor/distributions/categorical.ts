import { tf } from "../_tf.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { categoricalEntropy, drawCategories, readCategorical } from "./_categorical.ts";

/** Parameters of {@linkcode Categorical}: logits or probabilities, `[...batch, K]`. */
export type CategoricalParams = { logits: TensorInput } | { probs: TensorInput };

/**
 * A batch of categorical distributions over {0, 1, …, K − 1}: the float32
 * twin of the core's `Categorical`.
 *
 * Mathematical details, with logits ℓ:
 *
 * ```text
 * log p(k) = ℓₖ − log Σⱼ exp ℓⱼ       (−∞ for k outside {0, …, K − 1})
 * H        = −Σₖ pₖ log pₖ
 * E[X] = Σₖ k pₖ,   Var[X] = Σₖ pₖ (k − E[X])²
 * X = min{k : Fₖ > u F_{K−1}},   Fₖ = Σⱼ≤ₖ pⱼ,  u ~ U[0, 1)      (inverse CDF)
 * ```
 *
 * The last axis of the parameter holds the K categories; the axes before
 * it are the batch, and a point is one category index (`eventShape = []`),
 * a float32 integer. A point that is not an integer in {0, …, K − 1} has
 * log-mass −∞ (as in scipy). Probabilities given as numbers must lie in
 * [0, 1] and sum to 1 within 10⁻⁶ over the last axis; probabilities are
 * divided by their sum (a tensor's too). Draws are not reparameterized:
 * use the score-function estimator.
 *
 * @example
 * ```ts
 * import { Categorical, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const c = new Categorical({ probs: [0.2, 0.5, 0.3] });
 * const [one, three] = await c.logProb([1, 3]).data();
 * assert.ok(Math.abs(one! - Math.log(0.5)) < 1e-7);
 * assert.equal(three, -Infinity);
 * assert.ok(Math.abs((await c.mean().data())[0]! - 1.1) < 1e-6);
 * c.dispose();
 * ```
 */
export class Categorical extends TensorDistributionBase {
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
  /** Always `[]`: a point is one category index. */
  readonly eventShape: number[] = [];
  /** Always false: a draw is discrete. */
  readonly reparameterized: boolean = false;

  /**
   * Creates a batch of categorical distributions.
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
      const c = readCategorical(
        "Cannot construct Categorical",
        params,
        (name, raw, rule) => this.param("Cannot construct Categorical", name, raw, rule),
        (t) => this.own(t),
      );
      this.logits = c.logits;
      this.probs = c.probs;
      this.logProbs = c.logProbs;
      this.fromProbs = c.fromProbs;
      this.numCategories = c.numCategories;
      this.batchShape = c.batchShape;
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** log pₓ, shape `broadcast(x.shape, batchShape)`; −∞ unless x ∈ {0, …, K − 1}. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = tf.expandDims(this.point("Categorical", x), -1);
      const k = tf.range(0, this.numCategories, 1, "float32");
      // 1 where x = k (x ≥ k and k ≥ x), else 0.
      const hit = tf.where(
        tf.greaterEqual(xs, k),
        tf.where(tf.greaterEqual(k, xs), tf.onesLike(xs), tf.zerosLike(xs)),
        tf.zerosLike(xs),
      );
      const on = tf.greaterEqual(hit, 1);
      const lp = tf.sum(tf.where(on, this.logProbs, tf.zerosLike(hit)), -1);
      return tf.where(tf.greaterEqual(tf.sum(hit, -1), 1), lp, tf.fill(lp.shape, -Infinity));
    });
  }

  /** −Σₖ pₖ log pₖ (terms with pₖ = 0 are 0), shape `batchShape`. */
  entropy(): tf.Tensor {
    return categoricalEntropy(this.probs, this.logProbs);
  }

  /** Σₖ k pₖ, shape `batchShape`. */
  mean(): tf.Tensor {
    return tf.tidy(() =>
      tf.sum(tf.mul(this.probs, tf.range(0, this.numCategories, 1, "float32")), -1)
    );
  }

  /** Σₖ pₖ (k − mean)², shape `batchShape`. */
  variance(): tf.Tensor {
    return tf.tidy(() => {
      const k = tf.range(0, this.numCategories, 1, "float32");
      const m = tf.sum(tf.mul(this.probs, k), -1, true);
      return tf.sum(tf.mul(this.probs, tf.square(tf.sub(k, m))), -1);
    });
  }

  /**
   * `n` draws by the inverse CDF, `[n, ...batchShape]`, as float32
   * integers (not differentiable); a category of probability 0 is never
   * drawn.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of u (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Categorical", n, seed);
    return drawCategories(this.probs, n, seed);
  }
}
