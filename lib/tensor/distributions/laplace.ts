import { tf } from "../_tf.ts";
import { log1p } from "../_stable.ts";
import { deriveSeed } from "../../math/rng.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes } from "./_params.ts";

/**
 * A batch of Laplace (double exponential) distributions with location μ
 * and scale b: the float32 twin of the core's `Laplace`.
 *
 * Mathematical details:
 *
 * ```text
 * log p(x) = −log 2b − |x − μ| / b
 * H        = 1 + log 2b
 * E[X] = μ,   Var[X] = 2 b²
 * x = μ + b ε,   ε = log(1 − 2u) (u < ½),  −log(2 − 2u) (u ≥ ½),   u ~ U[0, 1)   (reparameterized)
 * ```
 *
 * ε is a standard Laplace draw by the inverse CDF, so a draw is a
 * differentiable function of μ and b: gradients reach both.
 *
 * @example
 * ```ts
 * import { Laplace, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const l = new Laplace(1, 2);
 * assert.ok(Math.abs((await l.logProb(3).data())[0]! - (-Math.log(4) - 1)) < 1e-6);
 * assert.equal((await l.variance().data())[0], 8);
 * assert.deepEqual(l.sample(3, 1).shape, [3]);
 * l.dispose();
 * ```
 */
export class Laplace extends TensorDistributionBase {
  /** The location μ. */
  readonly loc: tf.Tensor;
  /** The scale b > 0. */
  readonly scale: tf.Tensor;
  /** log b. */
  readonly logScale: tf.Tensor;
  /** The broadcast shape of `loc` and `scale`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always true. */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of Laplace distributions.
   *
   * @param loc μ: a tensor, a number or an array (finite).
   * @param scale b: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or a scale is not > 0.
   */
  constructor(loc: TensorInput, scale: TensorInput) {
    super();
    try {
      const what = "Cannot construct Laplace";
      this.loc = this.param(what, "loc", loc);
      const p = this.scaleParams(what, scale);
      this.scale = p.scale;
      this.logScale = p.logScale;
      this.batchShape = broadcastShapes(what, "loc and scale", this.loc.shape, this.scale.shape);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** −log 2b − |x − μ|/b, shape `broadcast(x.shape, batchShape)`. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.abs(tf.sub(this.point("Laplace", x), this.loc)), this.scale);
      return tf.neg(tf.add(tf.add(this.logScale, Math.LN2), z));
    });
  }

  /** 1 + log 2b, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(this.logScale, 1 + Math.LN2), this.batchShape));
  }

  /** μ, shape `batchShape`. */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, this.batchShape));
  }

  /** 2b², shape `batchShape`. */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.mul(2, tf.square(this.scale)), this.batchShape));
  }

  /**
   * `n` draws μ + b ε, `[n, ...batchShape]`, differentiable in μ and b.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of u (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Laplace", n, seed);
    return tf.tidy(() => {
      const u = tf.randomUniform([n, ...this.batchShape], 0, 1, "float32", deriveSeed(seed));
      // log1p(−2u) on [0, ½), −log1p(1 − 2u) on [½, 1): each finite on its half.
      const lower = log1p(tf.mul(-2, tf.minimum(u, 0.5))), v = tf.maximum(u, 0.5);
      const eps = tf.where(
        tf.greaterEqual(u, 0.5),
        tf.neg(log1p(tf.sub(1, tf.mul(2, v)))),
        lower,
      );
      return tf.add(this.loc, tf.mul(this.scale, eps));
    });
  }
}
