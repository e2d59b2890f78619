import { tf } from "../_tf.ts";
import { oneOfTwo, readOptions } from "../../math/_options.ts";
import { deriveSeed } from "../../math/rng.ts";
import { log, log1p, softplus, softplusValue } from "../_stable.ts";
import { reduceTo } from "./_linalg.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";

/** Parameters of {@linkcode Bernoulli}: logits or probabilities. */
export type BernoulliParams = { logits: TensorInput } | { probs: TensorInput };

/**
 * A batch of vectors of independent Bernoulli coordinates on tensors: the
 * float32 twin of the core's `Bernoulli`, and the likelihood p(x|z) of a VAE
 * decoder on binary images.
 *
 * Mathematical details, with logits ℓ = log p − log(1 − p):
 *
 * ```text
 * log p(x) = Σⱼ xⱼ ℓⱼ − softplus(ℓⱼ) = −BCE(x, σ(ℓ))
 * H        = Σⱼ softplus(−|ℓⱼ|) + |ℓⱼ| σ(−|ℓⱼ|)
 * ```
 *
 * The last axis of the parameters is the event (`eventShape = [D]`).
 * `logProb` accepts any x in [0, 1]: for grey levels it is minus the binary
 * cross-entropy, the usual reconstruction term; outside [0, 1] it is −∞,
 * as in the core. With logits, its gradient in
 * ℓ is written by hand as x − σ(ℓ) (one pass, instead of autodiff's chain).
 * Draws are not reparameterized (`reparameterized` is false).
 *
 * @example
 * ```ts
 * import { Bernoulli, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new Bernoulli({ probs: [0.25, 0.5] });
 * const lp = (await b.logProb([1, 0]).data())[0]!;
 * assert.ok(Math.abs(lp - Math.log(0.25 * 0.5)) < 1e-6);
 * b.dispose();
 * ```
 */
export class Bernoulli extends TensorDistributionBase {
  /** ℓ = log(p / (1 − p)); ±∞ where p is 0 or 1. */
  readonly logits: tf.Tensor;
  #probs: tf.Tensor | undefined;
  /** All axes of the parameter but the last. */
  readonly batchShape: number[];
  /** `[D]`. */
  readonly eventShape: number[];
  /** Always false: a draw is discrete. */
  readonly reparameterized: boolean = false;
  readonly #fromLogits: boolean;

  /**
   * Creates a batch of Bernoulli vectors.
   *
   * @param params `{ logits }` (finite) or `{ probs }` (each in [0, 1]),
   *   `[...batch, D]`.
   * @throws {TypeError} If neither or both are given, `params` has another
   *   key, a parameter is not a tensor or numbers, or it has no event axis.
   * @throws {RangeError} If a logit is not finite or a probability is
   *   outside [0, 1].
   */
  constructor(params: BernoulliParams) {
    super();
    try {
      const what = "Cannot construct Bernoulli";
      const o = readOptions(what, params, ["logits", "probs"], "params");
      oneOfTwo(what, o, params, "logits", "probs");
      this.#fromLogits = o.has("logits");
      if (this.#fromLogits) {
        this.logits = this.param(what, "logits", o.get("logits") as TensorInput);
      } else {
        this.#probs = this.param(what, "probs", o.get("probs") as TensorInput, "probability");
        this.logits = this.own(
          tf.tidy(() => tf.sub(log(this.#probs!), log1p(tf.neg(this.#probs!)))),
        );
      }
      const shape = this.logits.shape;
      if (shape.length === 0) {
        throw new TypeError(
          `${what} as ${
            this.#fromLogits ? "logits" : "probs"
          } must have an event axis (rank ≥ 1): current shape is []`,
        );
      }
      this.batchShape = shape.slice(0, -1);
      this.eventShape = shape.slice(-1);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** The logits and, when given or computed, the probabilities. */
  protected override tensors(): tf.Tensor[] {
    return this.#probs === undefined ? [this.logits] : [this.logits, this.#probs];
  }

  /**
   * p = σ(ℓ). Given logits, it is computed on first use (a loss needs only
   * ℓ): read inside a `tf.tidy`, it is freed with the tidy's other tensors
   * (and computed again if read later); read outside, it is kept until
   * `dispose()`.
   */
  get probs(): tf.Tensor {
    if (this.#probs === undefined || this.#probs.isDisposed) {
      this.#probs = this.own(tf.sigmoid(this.logits));
    }
    return this.#probs;
  }

  /**
   * Σⱼ xⱼ log pⱼ + (1 − xⱼ) log(1 − pⱼ) = −BCE, shape
   * `broadcast(x.shape[:-1], batchShape)`; −∞ where an entry of x is
   * outside [0, 1], the support (as in the core).
   */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("Bernoulli", x);
      let lp: tf.Tensor;
      if (this.#fromLogits) lp = logitsLogProb(xs, this.logits);
      else {
        // From probabilities: skip the 0 · (−∞) terms where p is 0 or 1.
        const zero = tf.zerosLike(xs);
        const on = tf.where(tf.greater(xs, 0), tf.mul(xs, log(this.probs)), zero);
        const off = tf.where(
          tf.less(xs, 1),
          tf.mul(tf.sub(1, xs), log1p(tf.neg(this.probs))),
          zero,
        );
        lp = tf.sum(tf.add(on, off), -1);
      }
      // x ∈ [0, 1] ⟺ x (1 − x) ≥ 0, for every entry of the event.
      const inside = tf.greaterEqual(tf.min(tf.mul(xs, tf.sub(1, xs)), -1), 0);
      return tf.where(inside, lp, tf.fill(lp.shape, -Infinity));
    });
  }

  /** Σⱼ softplus(−|ℓⱼ|) + |ℓⱼ| σ(−|ℓⱼ|), shape `batchShape` (0 where p ∈ {0, 1}). */
  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const a = tf.abs(this.logits);
      const h = tf.add(softplus(tf.neg(a)), tf.mul(a, tf.sigmoid(tf.neg(a))));
      return tf.sum(tf.where(tf.isFinite(a), h, tf.zerosLike(h)), -1);
    });
  }

  /** p. */
  mean(): tf.Tensor {
    return this.probs.clone();
  }

  /** p (1 − p), as σ(ℓ) σ(−ℓ) from logits (1 − σ(ℓ) would lose 1 − p's digits near p = 1). */
  variance(): tf.Tensor {
    return tf.tidy(() => {
      if (this.#fromLogits) return tf.mul(this.probs, tf.sigmoid(tf.neg(this.logits)));
      const p = this.probs;
      return tf.mul(p, tf.sub(1, p));
    });
  }

  /**
   * `n` draws in {0, 1}, `[n, ...batchShape, D]` (not differentiable).
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed (a safe integer).
   * @returns The draws, as float32 zeros and ones.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Bernoulli", n, seed);
    return tf.tidy(() => {
      const u = tf.randomUniform([n, ...this.logits.shape], 0, 1, "float32", deriveSeed(seed));
      return tf.cast(tf.less(u, this.probs), "float32");
    });
  }
}

/**
 * Σⱼ xⱼ ℓⱼ − softplus(ℓⱼ) over the last axis, with the gradient written by
 * hand: ∂/∂ℓ = x − σ(ℓ), ∂/∂x = ℓ (summed back to each input's shape where
 * x and ℓ broadcast).
 */
export const logitsLogProb: (x: tf.Tensor, logits: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, logits, save] = inputs as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([x, logits]);
    return {
      value: tf.sum(tf.sub(tf.mul(x, logits), softplusValue(logits)), -1),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ls] = saved as [tf.Tensor, tf.Tensor];
        const g = tf.expandDims(dy as tf.Tensor, -1);
        return [
          reduceTo(tf.mul(g, ls), xs.shape),
          reduceTo(tf.mul(g, tf.sub(xs, tf.sigmoid(ls))), ls.shape),
        ];
      },
    };
  },
) as (x: tf.Tensor, logits: tf.Tensor) => tf.Tensor;
