import { tf } from "../_tf.ts";
import { expm1, log } from "../_stable.ts";
import { HALF_LOG_2PI } from "../../math/_constants.ts";
import { Exp } from "../bijectors/exp.ts";
import type { TensorInput } from "./distribution.ts";
import { Normal } from "./normal.ts";
import { TransformedDistribution } from "./transformed.ts";

/**
 * N(loc, scale) as LogNormal's base, its errors naming LogNormal. Built in a
 * `tf.tidy`, which keeps the tensors the Normal holds and, should a check
 * fail halfway, frees the ones it had already made.
 */
function baseOf(loc: TensorInput, scale: TensorInput): Normal {
  try {
    return tf.tidy(() =>
      new Normal(loc, scale) as unknown as tf.TensorContainer
    ) as unknown as Normal;
  } catch (e) {
    if (e instanceof Error) {
      e.message = e.message.replace("Cannot construct Normal", "Cannot construct LogNormal");
    }
    throw e;
  }
}

/**
 * A batch of log-normal distributions, Y = exp(X) for X ~ N(μ, σ²): the
 * float32 twin of the core's `LogNormal`, built as
 * `TransformedDistribution(Normal(loc, scale), Exp)` with the closed forms
 * the generic class lacks.
 *
 * Mathematical details, with z = (log y − μ)/σ:
 *
 * ```text
 * log p(y) = −log y − ½ log 2π − log σ − ½ z²        (y > 0; −∞ for y ≤ 0)
 * H        = μ + ½ + ½ log 2π + log σ
 * E[Y] = exp(μ + σ²/2),   Var[Y] = (exp(σ²) − 1) exp(2μ + σ²)
 * y = exp(μ + σ ε),   ε ~ N(0, 1)      (reparameterized: gradients reach μ and σ)
 * ```
 *
 * The variance is formed in log space, ½ log(exp(σ²) − 1) + μ + σ²/2, then
 * squared, so that a tiny σ with a large μ gives a number, not 0 · ∞.
 *
 * @example
 * ```ts
 * import { LogNormal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const d = new LogNormal(0, 1);
 * const lp = d.logProb([1, 0]), mean = d.mean();
 * const [at1, at0] = await lp.data();
 * assert.ok(Math.abs(at1! + 0.5 * Math.log(2 * Math.PI)) < 1e-6);
 * assert.equal(at0, -Infinity);
 * assert.ok(Math.abs((await mean.data())[0]! - Math.exp(0.5)) < 1e-6);
 * tf.dispose([lp, mean]);
 * d.dispose();
 * ```
 */
export class LogNormal extends TransformedDistribution<Normal> {
  /** μ, the mean of log Y. */
  readonly loc: tf.Tensor;
  /** σ > 0, the standard deviation of log Y. */
  readonly scale: tf.Tensor;
  /** log σ. */
  readonly logScale: tf.Tensor;

  /**
   * Creates a batch of log-normal distributions.
   *
   * @param loc μ: a tensor, a number or an array (finite).
   * @param scale σ: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or a scale is not > 0.
   */
  constructor(loc: TensorInput, scale: TensorInput) {
    super(baseOf(loc, scale), new Exp());
    this.loc = this.base.loc;
    this.scale = this.base.scale;
    this.logScale = this.base.logScale;
  }

  /** exp(μ + σ²/2), shape `batchShape`. */
  override mean(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.exp(tf.add(this.loc, tf.mul(0.5, tf.square(this.scale)))), this.batchShape)
    );
  }

  /** (exp(σ²) − 1) exp(2μ + σ²), from its logarithm; shape `batchShape`. */
  override variance(): tf.Tensor {
    return tf.tidy(() => {
      const s2 = tf.square(this.scale), halfS2 = tf.mul(0.5, s2);
      // ½ log(exp(σ²) − 1): log σ + ¼ σ² for tiny σ, ½ σ² for large σ (where
      // expm1 overflows float32). Each branch sees an input clamped to its
      // side, so the branch not taken has a finite gradient.
      const mid = tf.mul(0.5, log(expm1(tf.clipByValue(s2, 1e-8, 80))));
      // (greaterEqual: the one comparison tfjs differentiates through.)
      const halfLog = tf.where(
        tf.greaterEqual(1e-8, s2),
        tf.add(this.logScale, tf.mul(0.25, s2)),
        tf.where(tf.greaterEqual(s2, 80), halfS2, mid),
      );
      const e = tf.exp(tf.add(tf.add(halfLog, this.loc), halfS2));
      return tf.broadcastTo(tf.square(e), this.batchShape);
    });
  }

  /** μ + ½ + ½ log 2π + log σ, shape `batchShape`. */
  override entropy(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.add(tf.add(this.loc, this.logScale), 0.5 + HALF_LOG_2PI), this.batchShape)
    );
  }

  /** Frees the tensors it made, its base Normal's included (never the caller's). */
  override dispose(): void {
    this.base.dispose();
    super.dispose();
  }
}
