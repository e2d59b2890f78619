import { tf } from "../_tf.ts";
import { HALF_LOG_2PI } from "../../math/_constants.ts";
import { deriveSeed } from "../../math/rng.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes, withLogScale } from "./_params.ts";

/**
 * A batch of univariate Gaussians N(loc, scale²) on tensors: the float32
 * twin of the core's `Normal`, with the same parameters and methods.
 *
 * Mathematical details, with the standardised value z = (x − μ)/σ:
 *
 * ```text
 * log N(x; μ, σ) = −½ log 2π − log σ − ½ z²
 * H[N(μ, σ)]     = ½ + ½ log 2π + log σ
 * x = μ + σ ε,  ε ~ N(0, 1)        (reparameterized: gradients reach μ and σ)
 * ```
 *
 * `loc` and `scale` broadcast against each other; their broadcast shape is
 * the batch shape, and the event shape is `[]`.
 *
 * @example
 * ```ts
 * import { Normal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const n = new Normal([0, 1], 2); // a batch of two
 * assert.deepEqual(n.batchShape, [2]);
 * const lp = n.logProb(tf.tensor1d([0, 1]));
 * const expected = -0.5 * Math.log(2 * Math.PI) - Math.log(2);
 * for (const v of await lp.data()) assert.ok(Math.abs(v - expected) < 1e-6);
 * assert.deepEqual(n.sample(5, 1).shape, [5, 2]);
 * tf.dispose(lp);
 * n.dispose();
 * ```
 */
export class Normal extends TensorDistributionBase {
  /** The mean μ. */
  readonly loc: tf.Tensor;
  /** The standard deviation σ > 0. */
  readonly scale: tf.Tensor;
  /** log σ, kept for the stable formulas. */
  readonly logScale: tf.Tensor;
  /** The broadcast shape of `loc` and `scale`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always true. */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of Gaussians.
   *
   * @param loc μ: a tensor, a number or an array (finite).
   * @param scale σ: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or a scale is not > 0.
   */
  constructor(loc: TensorInput, scale: TensorInput) {
    super();
    try {
      const what = "Cannot construct Normal";
      this.loc = this.param(what, "loc", loc);
      const p = this.scaleParams(what, scale);
      this.scale = p.scale;
      this.logScale = p.logScale;
      this.batchShape = broadcastShapes(what, "loc and scale", this.loc.shape, this.scale.shape);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /**
   * Builds N(loc, exp(logScale)²), the parameterisation a network outputs.
   *
   * @param loc μ.
   * @param logScale log σ (finite).
   * @returns The distribution.
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or a log σ given as
   *   numbers is outside [−87.33, 88.72] (σ would not be a positive normal
   *   float32).
   */
  static fromLogScale(loc: TensorInput, logScale: TensorInput): Normal {
    return withLogScale(logScale, () => new Normal(loc, 1));
  }

  /** log N(x; μ, σ), shape `broadcast(x.shape, batchShape)`. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.point("Normal", x), this.loc), this.scale);
      return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(this.logScale, HALF_LOG_2PI));
    });
  }

  /** ½ + ½ log 2π + log σ, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.add(this.logScale, 0.5 + HALF_LOG_2PI), this.batchShape)
    );
  }

  /** μ, shape `batchShape`. */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, this.batchShape));
  }

  /** σ², shape `batchShape`. */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.square(this.scale), this.batchShape));
  }

  /**
   * `n` draws μ + σ ε, `[n, ...batchShape]`, differentiable in μ and σ.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of ε (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Normal", n, seed);
    return tf.tidy(() => {
      const eps = tf.randomNormal([n, ...this.batchShape], 0, 1, "float32", deriveSeed(seed));
      return tf.add(this.loc, tf.mul(this.scale, eps));
    });
  }
}
