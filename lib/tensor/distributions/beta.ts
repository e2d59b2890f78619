import { tf } from "../_tf.ts";
import { concentrationEntropy } from "./_concentration.ts";
import { log, log1p } from "../_stable.ts";
import { deriveSeed } from "../../math/rng.ts";
import { logMultivariateBeta } from "../_special.ts";
import { BELOW_ONE, detached, sampleLogGamma, TINY } from "./_families.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes } from "./_params.ts";

/**
 * A batch of beta distributions on [0, 1] with shapes α (`alpha`) and β
 * (`beta`): the float32 twin of the core's `Beta`.
 *
 * Mathematical details, with s = α + β, h(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π − ½ log x,
 * c and r Stirling's and the digamma remainder:
 *
 * ```text
 * log p(x) = (α − 1) log x + (β − 1) log(1 − x) − log B(α, β)
 * log B(α, β) = α log(α/s) + β log(β/s) + h(α) + h(β) − h(s) + ½ log 2π
 * H        = log B(α, β) − (α − 1) ψ(α) − (β − 1) ψ(β) + (s − 2) ψ(s)
 *          = ½ log(αβ/s²) − ½ (log s − log 2π) + c(α) + c(β) − c(s) + (α − 1) r(α) + (β − 1) r(β) − (s − 2) r(s)
 * E[X] = α/s,   Var[X] = α β / (s² (s + 1))
 * X = G₁ / (G₁ + G₂),   G₁ ~ Gamma(α, 1), G₂ ~ Gamma(β, 1)
 * ```
 *
 * log B and the entropy are computed in the forms that subtract no terms
 * of size α log α; the log-density keeps float32's digits relative to the
 * size of (α − 1) log x. At 0 (or 1) it is +∞ when α < 1 (β < 1), −∞ when
 * α > 1 (β > 1), and log β (log α) when α = 1 (β = 1); −∞ outside [0, 1].
 * Draws are made on the device from log-Gamma draws (as the core makes
 * them) and are not reparameterized (`reparameterized` is false): use the
 * score-function estimator.
 *
 * @example
 * ```ts
 * import { Beta, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new Beta(2, 3);
 * const lp = (await b.logProb(0.4).data())[0]!;
 * assert.ok(Math.abs(lp - Math.log(12 * 0.4 * 0.6 * 0.6)) < 1e-6);
 * assert.ok(Math.abs((await b.mean().data())[0]! - 0.4) < 1e-7);
 * b.dispose();
 * ```
 */
export class Beta extends TensorDistributionBase {
  /** The first shape α > 0. */
  readonly alpha: tf.Tensor;
  /** The second shape β > 0. */
  readonly beta: tf.Tensor;
  /** The broadcast shape of `alpha` and `beta`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always false: use a score-function estimator. */
  readonly reparameterized: boolean = false;

  /**
   * Creates a batch of beta distributions.
   *
   * @param alpha α: a tensor, a number or an array (finite, > 0).
   * @param beta β: a tensor, a number or an array (finite, > 0).
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite and > 0.
   */
  constructor(alpha: TensorInput, beta: TensorInput) {
    super();
    try {
      const what = "Cannot construct Beta";
      this.alpha = this.param(what, "alpha", alpha, "positive");
      this.beta = this.param(what, "beta", beta, "positive");
      this.batchShape = broadcastShapes(what, "alpha and beta", this.alpha.shape, this.beta.shape);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** [α, β] along a new last axis, `[...batchShape, 2]`. */
  #stacked(): tf.Tensor {
    return tf.stack([
      tf.broadcastTo(this.alpha, this.batchShape),
      tf.broadcastTo(this.beta, this.batchShape),
    ], -1);
  }

  /** log p(x), shape `broadcast(x.shape, batchShape)`; −∞ outside [0, 1]. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("Beta", x), xc = tf.clipByValue(xs, 0, 1);
      // (a − 1) log v, taken as 0 where a = 1 (also at v = 0).
      const term = (a: tf.Tensor, logV: tf.Tensor) => {
        const t = tf.mul(tf.sub(a, 1), logV), zero = tf.zerosLike(t);
        return tf.where(tf.greaterEqual(a, 1), tf.where(tf.greaterEqual(1, a), zero, t), t);
      };
      const lp = tf.sub(
        tf.add(term(this.alpha, log(xc)), term(this.beta, log1p(tf.neg(xc)))),
        logMultivariateBeta(this.#stacked()),
      );
      const outside = tf.fill(lp.shape, -Infinity);
      return tf.where(
        tf.greaterEqual(xs, 0),
        tf.where(tf.greaterEqual(1, xs), lp, outside),
        outside,
      );
    });
  }

  /** The differential entropy, from Stirling's remainders, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => concentrationEntropy(this.#stacked()));
  }

  /** α/(α + β), shape `batchShape`. */
  mean(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.div(this.alpha, tf.add(this.alpha, this.beta)), this.batchShape)
    );
  }

  /** (α/s)(β/s)/(s + 1), shape `batchShape`. */
  variance(): tf.Tensor {
    return tf.tidy(() => {
      const s = tf.add(this.alpha, this.beta);
      const v = tf.div(tf.mul(tf.div(this.alpha, s), tf.div(this.beta, s)), tf.add(s, 1));
      return tf.broadcastTo(v, this.batchShape);
    });
  }

  /**
   * `n` draws G₁/(G₁ + G₂), `[n, ...batchShape]`, formed as
   * σ(log G₁ − log G₂) on the device; no gradient flows through them.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed (a safe integer).
   * @returns The draws, in (0, 1): one that rounds to 0 or 1 in float32 is
   *   the nearest float32 inside.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Beta", n, seed);
    const shape = [n, ...this.batchShape];
    return detached([this.alpha, this.beta], (a, b) =>
      tf.tidy(() =>
        tf.clipByValue(
          tf.sigmoid(
            tf.sub(
              sampleLogGamma(a!, shape, deriveSeed(seed, 1)),
              sampleLogGamma(b!, shape, deriveSeed(seed, 2)),
            ),
          ),
          TINY,
          BELOW_ONE,
        )
      ));
  }
}
