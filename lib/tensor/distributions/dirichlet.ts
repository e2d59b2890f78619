import { tf } from "../_tf.ts";
import { concentrationEntropy } from "./_concentration.ts";
import { log, logSumExp } from "../_stable.ts";
import { logMultivariateBeta, sumOfOthers } from "../_special.ts";
import { detached, sampleLogGamma, TINY } from "./_families.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { checkRows } from "./_categorical.ts";

/**
 * A batch of Dirichlet distributions on the probability simplex of K ≥ 2
 * coordinates, with concentrations α: the float32 twin of the core's
 * `Dirichlet`.
 *
 * Mathematical details, with s = Σ αᵢ, c and r Stirling's and the digamma
 * remainder and h(x) = c(x) − ½ log x:
 *
 * ```text
 * log p(x) = Σᵢ (αᵢ − 1) log xᵢ − log B(α)
 * log B(α) = Σᵢ αᵢ log(αᵢ/s) + Σᵢ h(αᵢ) − h(s) + (K − 1)/2 · log 2π
 * H        = log B(α) + (s − K) ψ(s) − Σᵢ (αᵢ − 1) ψ(αᵢ)
 *          = ½ Σᵢ log(αᵢ/s) − (K − 1)/2 · (log s − log 2π) + Σᵢ c(αᵢ) − c(s) + Σᵢ (αᵢ − 1) r(αᵢ) − (s − K) r(s)
 * E[Xᵢ] = αᵢ/s,   Var[Xᵢ] = αᵢ (s − αᵢ) / (s² (s + 1)),   Cov[Xᵢ, Xⱼ] = −αᵢ αⱼ / (s² (s + 1))
 * Xᵢ = Gᵢ / Σⱼ Gⱼ,   Gᵢ ~ Gamma(αᵢ, 1)
 * ```
 *
 * The last axis of `concentration` is the event (`eventShape = [K]`). A
 * point given as numbers must lie on the simplex (entries in [0, 1] summing
 * to 1 within 10⁻⁶, else a RangeError); a tensor point is not checked for
 * its sum, and one with an entry outside [0, 1] has log-density −∞. On the
 * boundary (some xᵢ = 0) the log-density is the limit along the face, as in
 * the core: −∞ if some αᵢ > 1 there, else +∞ if some αᵢ < 1, else the
 * density of the face. Draws are made on the device from log-Gamma draws
 * (as the core makes them) and are not reparameterized: use the
 * score-function estimator.
 *
 * @example
 * ```ts
 * import { Dirichlet, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const d = new Dirichlet([1, 1, 1]);
 * assert.ok(Math.abs((await d.logProb([0.2, 0.3, 0.5]).data())[0]! - Math.log(2)) < 1e-6);
 * const x = Array.from(await d.sample(1, 1).data());
 * assert.ok(Math.abs(x.reduce((s, v) => s + v, 0) - 1) < 1e-6);
 * assert.throws(() => d.logProb([0.5, 0.5, 0.5]), RangeError);
 * d.dispose();
 * ```
 */
export class Dirichlet extends TensorDistributionBase {
  /** The concentrations αᵢ > 0, `[...batchShape, K]`. */
  readonly concentration: tf.Tensor;
  /** All axes of `concentration` but the last. */
  readonly batchShape: number[];
  /** `[K]`. */
  readonly eventShape: number[];
  /** Always false: use a score-function estimator. */
  readonly reparameterized: boolean = false;

  /**
   * Creates a batch of Dirichlet distributions.
   *
   * @param concentration α, `[...batch, K]` with K ≥ 2: a tensor or
   *   (nested) arrays (finite, > 0).
   * @throws {TypeError} If `concentration` is not a tensor or numbers, or
   *   its last axis has fewer than 2 entries.
   * @throws {RangeError} If a number is not finite and > 0.
   */
  constructor(concentration: TensorInput) {
    super();
    try {
      const what = "Cannot construct Dirichlet";
      this.concentration = this.param(what, "concentration", concentration, "positive");
      const shape = this.concentration.shape;
      if (shape.length === 0 || shape[shape.length - 1]! < 2) {
        throw new TypeError(
          `${what} as concentration must have a last axis of at least 2 entries: current shape is [${shape}]`,
        );
      }
      this.batchShape = shape.slice(0, -1);
      this.eventShape = shape.slice(-1);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** log p(x), shape `broadcast(x.shape[:-1], batchShape)`. */
  logProb(x: TensorInput): tf.Tensor {
    if (!(x instanceof tf.Tensor)) {
      checkRows("Cannot compute Dirichlet.logProb", "x", x, this.eventShape);
    }
    return tf.tidy(() => {
      const xs = this.point("Dirichlet", x), a = this.concentration;
      const xc = tf.clipByValue(xs, 0, 1);
      // (αᵢ − 1) log xᵢ, taken as 0 where αᵢ = 1 (also at xᵢ = 0).
      const t = tf.mul(tf.sub(a, 1), log(xc)), zero = tf.zerosLike(t);
      const terms = tf.where(tf.greaterEqual(a, 1), tf.where(tf.greaterEqual(1, a), zero, t), t);
      const lp = tf.sub(tf.sum(terms, -1), logMultivariateBeta(a));
      // −∞ where an entry is outside [0, 1], or is 0 with αᵢ > 1 (which
      // outweighs a +∞ from another αᵢ < 1 at 0).
      const one = tf.onesLike(t);
      const bad = tf.where(
        tf.greaterEqual(xs, 0),
        tf.where(
          tf.greaterEqual(1, xs),
          tf.where(tf.greaterEqual(0, xs), tf.where(tf.greaterEqual(1, a), zero, one), zero),
          one,
        ),
        one,
      );
      return tf.where(tf.greaterEqual(tf.max(bad, -1), 1), tf.fill(lp.shape, -Infinity), lp);
    });
  }

  /** The differential entropy, from Stirling's remainders, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => concentrationEntropy(this.concentration));
  }

  /** αᵢ/s, `[...batchShape, K]`. */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.div(this.concentration, tf.sum(this.concentration, -1, true)));
  }

  /**
   * αᵢ (s − αᵢ) / (s² (s + 1)), with s − αᵢ summed from the other
   * concentrations (as the core does): 1 − αᵢ/s would lose its digits where
   * one concentration dominates.
   */
  variance(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration, s = tf.sum(a, -1, true), rest = sumOfOthers(a);
      return tf.div(tf.mul(tf.div(a, s), tf.div(rest, s)), tf.add(s, 1));
    });
  }

  /** The K × K covariance (diag(m) − m mᵀ)/(s + 1), `[...batchShape, K, K]`, its diagonal the variance. */
  covariance(): tf.Tensor {
    return tf.tidy(() => {
      const s = tf.sum(this.concentration, -1, true), m = tf.div(this.concentration, s);
      const k = this.eventShape[0]!;
      const outer = tf.mul(tf.expandDims(m, -1), tf.expandDims(m, -2));
      const off = tf.div(tf.neg(outer), tf.expandDims(tf.add(s, 1), -1));
      const diag = tf.mul(tf.expandDims(this.variance(), -1), tf.eye(k));
      return tf.where(tf.cast(tf.eye(k), "bool"), diag, off);
    });
  }

  /**
   * `n` draws Gᵢ/Σⱼ Gⱼ, `[n, ...batchShape, K]`, normalised in log space on
   * the device; no gradient flows through them.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed (a safe integer).
   * @returns The draws, points of the simplex (an entry that underflows
   *   float32 is its smallest normal number, 2⁻¹²⁶).
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Dirichlet", n, seed);
    const shape = [n, ...this.batchShape, ...this.eventShape];
    return detached([this.concentration], (a) =>
      tf.tidy(() => {
        const lg = sampleLogGamma(a!, shape, seed);
        const x = tf.exp(tf.sub(lg, tf.expandDims(logSumExp(lg, shape.length - 1), -1)));
        return tf.maximum(x, TINY);
      }));
  }
}
