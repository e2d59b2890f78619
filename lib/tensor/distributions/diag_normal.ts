import { tf } from "../_tf.ts";
import { HALF_LOG_2PI } from "../../math/_constants.ts";
import { deriveSeed } from "../../math/rng.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes, withLogScale } from "./_params.ts";

/**
 * A batch of Gaussians with independent coordinates, N(μ, diag σ²), on
 * tensors: the float32 twin of the core's `DiagNormal` and the q(z|x) of a
 * VAE's encoder.
 *
 * Mathematical details, with zⱼ = (xⱼ − μⱼ)/σⱼ over the d coordinates:
 *
 * ```text
 * log p(x) = Σⱼ (−½ log 2π − log σⱼ − ½ zⱼ²)
 * H        = (d/2)(1 + log 2π) + Σⱼ log σⱼ
 * x = μ + σ ⊙ ε,  ε ~ N(0, I)      (reparameterized)
 * ```
 *
 * The last axis of the broadcast shape of `loc` and `scale` is the event
 * (`eventShape = [d]`); the axes before it are the batch.
 *
 * @example A batch of 3 posteriors over 2 latents
 * ```ts
 * import { DiagNormal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const q = DiagNormal.fromLogScale(tf.zeros([3, 2]), tf.zeros([3, 2]));
 * assert.deepEqual([q.batchShape, q.eventShape], [[3], [2]]);
 * const z = q.sample(4, 7); // [4, 3, 2]
 * assert.deepEqual(q.logProb(z).shape, [4, 3]);
 * tf.dispose(z);
 * q.dispose();
 * ```
 */
export class DiagNormal extends TensorDistributionBase {
  /** The mean μ. */
  readonly loc: tf.Tensor;
  /** The per-coordinate standard deviations σ. */
  readonly scale: tf.Tensor;
  /** log σ. */
  readonly logScale: tf.Tensor;
  /** All axes of the broadcast parameters but the last. */
  readonly batchShape: number[];
  /** `[d]`. */
  readonly eventShape: number[];
  /** Always true. */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of diagonal Gaussians.
   *
   * @param loc μ, `[...batch, d]`: a tensor or (nested) arrays (finite).
   * @param scale σ, broadcastable with `loc` (finite, > 0).
   * @throws {TypeError} If a parameter is not a tensor or numbers, has no
   *   event axis, or the shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or a scale is not > 0.
   */
  constructor(loc: TensorInput, scale: TensorInput) {
    super();
    try {
      const what = "Cannot construct DiagNormal";
      this.loc = this.param(what, "loc", loc);
      const p = this.scaleParams(what, scale);
      this.scale = p.scale;
      this.logScale = p.logScale;
      const shape = broadcastShapes(what, "loc and scale", this.loc.shape, this.scale.shape);
      if (shape.length === 0) {
        throw new TypeError(
          `${what} as loc and scale must have an event axis (rank ≥ 1): current shapes are [${this.loc.shape}] and [${this.scale.shape}]`,
        );
      }
      this.batchShape = shape.slice(0, -1);
      this.eventShape = shape.slice(-1);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /**
   * Builds N(loc, diag exp(logScale)²), the parameterisation an encoder
   * outputs.
   *
   * @param loc μ.
   * @param logScale log σ, broadcastable with `loc`.
   * @returns The distribution.
   * @throws {TypeError} If the shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or a log σ given as
   *   numbers is outside [−87.33, 88.72] (σ would not be a positive normal
   *   float32).
   */
  static fromLogScale(loc: TensorInput, logScale: TensorInput): DiagNormal {
    return withLogScale(logScale, () => new DiagNormal(loc, 1));
  }

  /** Σⱼ log N(xⱼ; μⱼ, σⱼ), shape `broadcast(x.shape[:-1], batchShape)`. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(this.point("DiagNormal", x), this.loc), this.scale);
      const perCoordinate = tf.add(tf.mul(0.5, tf.square(z)), this.logScale);
      return tf.sub(tf.neg(tf.sum(perCoordinate, -1)), this.eventShape[0]! * HALF_LOG_2PI);
    });
  }

  /** (d/2)(1 + log 2π) + Σⱼ log σⱼ, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const full = tf.broadcastTo(this.logScale, [...this.batchShape, ...this.eventShape]);
      return tf.add(tf.sum(full, -1), this.eventShape[0]! * (0.5 + HALF_LOG_2PI));
    });
  }

  /** μ, shape `[...batchShape, d]`. */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [...this.batchShape, ...this.eventShape]));
  }

  /** σ² per coordinate, shape `[...batchShape, d]`. */
  variance(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.square(this.scale), [...this.batchShape, ...this.eventShape])
    );
  }

  /**
   * `n` draws μ + σ ⊙ ε, `[n, ...batchShape, d]`, differentiable in μ and σ.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of ε (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("DiagNormal", n, seed);
    return tf.tidy(() => {
      const shape = [n, ...this.batchShape, ...this.eventShape];
      const eps = tf.randomNormal(shape, 0, 1, "float32", deriveSeed(seed));
      return tf.add(this.loc, tf.mul(this.scale, eps));
    });
  }
}
