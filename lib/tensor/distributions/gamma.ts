import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import { LOG_2PI } from "../../math/_constants.ts";
import { logGamma } from "../_special.ts";
import { digammaRemainder, stirlingRemainder } from "../_gamma_series.ts";
import { bd0, detached, sampleLogGamma, TINY } from "./_families.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes } from "./_params.ts";

/**
 * A batch of gamma distributions with shape α (`concentration`) and rate β,
 * on x ≥ 0: the float32 twin of the core's `Gamma`.
 *
 * Mathematical details, with y = βx, c(α) = log Γ(α) − (α − ½) log α + α − ½ log 2π
 * (Stirling's remainder) and r(α) = log α − ψ(α):
 *
 * ```text
 * log p(x) = log β + (α − 1) log y − y − log Γ(α)
 *          = log β − log y + ½ log(α/2π) − c(α) − bd0(α, y),   bd0(k, λ) = k log(k/λ) + λ − k   (α ≥ 10)
 * H        = α − log β + log Γ(α) + (1 − α) ψ(α)
 *          = ½ (log 2π + log α) + c(α) + (α − 1) r(α) − log β
 * E[X] = α/β,   Var[X] = α/β²
 * ```
 *
 * The second forms (Loader 2000) are the ones computed: they subtract no
 * terms of size α log α. At x = 0 the log-density is +∞ for α < 1, log β
 * for α = 1 and −∞ for α > 1. Draws are made on the device by the core's
 * method (Marsaglia–Tsang) and are not reparameterized (`reparameterized`
 * is false): a gradient of E_q[f] in α or β needs the score-function
 * estimator, which `fitSurrogatePosterior` uses for such a surrogate.
 *
 * @example
 * ```ts
 * import { Gamma, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const g = new Gamma([1, 2], 3); // a batch of two
 * const lp = await g.logProb(1).data();
 * assert.ok(Math.abs(lp[1]! - (2 * Math.log(3) - 3)) < 1e-5);
 * assert.deepEqual(Array.from(await g.mean().data()).map((v) => v.toFixed(4)), ["0.3333", "0.6667"]);
 * assert.deepEqual(g.sample(5, 1).shape, [5, 2]);
 * g.dispose();
 * ```
 */
export class Gamma extends TensorDistributionBase {
  /** The shape α > 0. */
  readonly concentration: tf.Tensor;
  /** The rate β > 0. */
  readonly rate: tf.Tensor;
  /** log β. */
  readonly logRate: tf.Tensor;
  /** The broadcast shape of `concentration` and `rate`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always false: use a score-function estimator. */
  readonly reparameterized: boolean = false;

  /**
   * Creates a batch of gamma distributions.
   *
   * @param concentration α: a tensor, a number or an array (finite, > 0).
   * @param rate β: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite and > 0.
   */
  constructor(concentration: TensorInput, rate: TensorInput) {
    super();
    try {
      const what = "Cannot construct Gamma";
      this.concentration = this.param(what, "concentration", concentration, "positive");
      this.rate = this.param(what, "rate", rate, "positive");
      this.logRate = this.own(log(this.rate));
      this.batchShape = broadcastShapes(
        what,
        "concentration and rate",
        this.concentration.shape,
        this.rate.shape,
      );
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** log p(x), shape `broadcast(x.shape, batchShape)`; −∞ below 0 and at +∞. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("Gamma", x), a = this.concentration;
      const one = tf.onesLike(xs);
      // x itself where 0 < x < ∞, 1 elsewhere (those points are set below).
      const xSafe = tf.where(tf.greaterEqual(0, xs), one, tf.where(tf.isInf(xs), one, xs));
      const y = tf.mul(this.rate, xSafe), logY = tf.add(this.logRate, log(xSafe));
      const plain = tf.sub(
        tf.add(this.logRate, tf.mul(tf.sub(a, 1), logY)),
        tf.add(y, logGamma(a)),
      );
      const big = tf.maximum(a, 10);
      const stable = tf.sub(
        tf.add(tf.sub(this.logRate, logY), tf.mul(0.5, tf.sub(log(big), LOG_2PI))),
        tf.add(stirlingRemainder(big), bd0(big, y, logY)),
      );
      const inside = tf.where(tf.greaterEqual(a, 10), stable, plain);
      const minusInf = tf.fill(inside.shape, -Infinity);
      // At 0: +∞ (α < 1), log β (α = 1), −∞ (α > 1).
      const atZero = tf.where(
        tf.greaterEqual(a, 1),
        tf.where(tf.greaterEqual(1, a), tf.broadcastTo(this.logRate, inside.shape), minusInf),
        tf.fill(inside.shape, Infinity),
      );
      return tf.where(
        tf.greaterEqual(0, xs),
        tf.where(tf.greaterEqual(xs, 0), atZero, minusInf),
        tf.where(tf.isInf(xs), minusInf, inside),
      );
    });
  }

  /** ½ (log 2π + log α) + c(α) + (α − 1) r(α) − log β, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration;
      const h = tf.add(
        tf.add(tf.mul(0.5, tf.add(log(a), LOG_2PI)), stirlingRemainder(a)),
        tf.sub(tf.mul(tf.sub(a, 1), digammaRemainder(a)), this.logRate),
      );
      return tf.broadcastTo(h, this.batchShape);
    });
  }

  /** α/β, shape `batchShape`. */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.div(this.concentration, this.rate), this.batchShape));
  }

  /** α/β², shape `batchShape`. */
  variance(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.div(this.concentration, tf.square(this.rate)), this.batchShape)
    );
  }

  /**
   * `n` draws, `[n, ...batchShape]`, made on the device (Marsaglia–Tsang in
   * log space); no gradient flows through them.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed (a safe integer).
   * @returns The draws (the smallest normal float32, 2⁻¹²⁶, where a draw
   *   underflows, for tiny α).
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Gamma", n, seed);
    const shape = [n, ...this.batchShape];
    return detached(
      [this.concentration, this.rate],
      (a, b) =>
        tf.tidy(() => tf.maximum(tf.exp(tf.sub(sampleLogGamma(a!, shape, seed), log(b!))), TINY)),
    );
  }
}
