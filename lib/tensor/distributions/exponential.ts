import { tf } from "../_tf.ts";
import { log, log1p } from "../_stable.ts";
import { deriveSeed } from "../../math/rng.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";

/**
 * A batch of exponential distributions with rate λ, on x ≥ 0: the float32
 * twin of the core's `Exponential`.
 *
 * Mathematical details:
 *
 * ```text
 * log p(x) = log λ − λ x        (x ≥ 0; −∞ for x < 0)
 * H        = 1 − log λ
 * x = −log(1 − u) / λ,  u ~ U[0, 1)     (reparameterized through the inverse CDF)
 * ```
 *
 * @example
 * ```ts
 * import { Exponential, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const e = new Exponential([1, 2]);
 * assert.deepEqual(Array.from(await e.mean().data()), [1, 0.5]);
 * assert.deepEqual(Array.from(await e.logProb(-1).data()), [-Infinity, -Infinity]);
 * e.dispose();
 * ```
 */
export class Exponential extends TensorDistributionBase {
  /** λ > 0. */
  readonly rate: tf.Tensor;
  /** log λ. */
  readonly logRate: tf.Tensor;
  /** The shape of `rate`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always true. */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of exponential distributions.
   *
   * @param rate λ: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If `rate` is not a tensor or numbers.
   * @throws {RangeError} If a number is not finite and > 0.
   */
  constructor(rate: TensorInput) {
    super();
    try {
      this.rate = this.param("Cannot construct Exponential", "rate", rate, "positive");
      this.logRate = this.own(log(this.rate));
      this.batchShape = this.rate.shape.slice();
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** log λ − λ x for x ≥ 0, −∞ below. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("Exponential", x);
      const lp = tf.sub(this.logRate, tf.mul(this.rate, xs));
      return tf.where(tf.greaterEqual(xs, 0), lp, tf.fill(lp.shape, -Infinity));
    });
  }

  /** 1 − log λ. */
  entropy(): tf.Tensor {
    return tf.tidy(() => tf.sub(1, this.logRate));
  }

  /** 1/λ. */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.reciprocal(this.rate));
  }

  /** 1/λ². */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.reciprocal(tf.square(this.rate)));
  }

  /**
   * `n` draws −log1p(−u)/λ, `[n, ...batchShape]`, differentiable in λ.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of u (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Exponential", n, seed);
    return tf.tidy(() => {
      const u = tf.randomUniform([n, ...this.batchShape], 0, 1, "float32", deriveSeed(seed));
      return tf.div(tf.neg(log1p(tf.neg(u))), this.rate);
    });
  }
}
