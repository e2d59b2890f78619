import { tf } from "../_tf.ts";
import { deriveSeed } from "../../math/rng.ts";
import { expm1, log, log1p } from "../_stable.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { readOpenLogits } from "./_logits.ts";

/** Parameters of {@linkcode ContinuousBernoulli}: logits η, or λ = σ(η) in (0, 1). */
export type ContinuousBernoulliParams = { logits: TensorInput } | { probs: TensorInput };

/** Below this |u| the series of S, S′, S″ (float32-exact there) replace their closed forms. */
const SMALL = 0.1;

/** The series branch's u (|u| < SMALL) and the closed form's (|u| ≥ SMALL), each clamped to its side. */
function branches(u: tf.Tensor): { small: tf.Tensor; a: tf.Tensor; v: tf.Tensor; big: tf.Tensor } {
  const a = tf.abs(u);
  // (greaterEqual: the one comparison tfjs differentiates through.)
  const small = tf.greaterEqual(SMALL, a);
  const v = tf.square(tf.minimum(a, SMALL));
  return { small, a, v, big: tf.maximum(a, SMALL) };
}

/** S(u) = log(sinh u / u): u²/6 − u⁴/180 + u⁶/2835 near 0, a − log 2a + log1p(−e^{−2a}) else. */
export function logSinhc(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { small, v, big } = branches(u);
    const series = tf.mul(v, tf.sub(1 / 6, tf.mul(v, tf.sub(1 / 180, tf.div(v, 2835)))));
    const closed = tf.add(tf.sub(big, log(tf.mul(2, big))), log1p(tf.neg(tf.exp(tf.mul(-2, big)))));
    return tf.where(small, series, closed);
  });
}

/** S′(u) = coth u − 1/u: u/3 − u³/45 + 2u⁵/945 near 0, 1 + 2/expm1(2|u|) − 1/|u| (with u's sign) else. */
export function logSinhcPrime(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { small, a, v, big } = branches(u);
    const series = tf.mul(
      tf.minimum(a, SMALL),
      tf.sub(1 / 3, tf.mul(v, tf.sub(1 / 45, tf.mul(v, 2 / 945)))),
    );
    const closed = tf.sub(tf.add(1, tf.div(2, expm1(tf.mul(2, big)))), tf.div(1, big));
    return tf.mul(tf.sign(u), tf.where(small, series, closed));
  });
}

/** S(u) − u S′(u): −u²/6 + u⁴/60 − u⁶/567 near 0, 1 − log 2a + log1p(−e^{−2a}) − 2a/expm1(2a) else. */
export function logSinhcEntropy(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { small, v, big } = branches(u);
    const series = tf.mul(v, tf.add(-1 / 6, tf.mul(v, tf.sub(1 / 60, tf.div(v, 567)))));
    const closed = tf.sub(
      tf.add(tf.sub(1, log(tf.mul(2, big))), log1p(tf.neg(tf.exp(tf.mul(-2, big))))),
      tf.div(tf.mul(2, big), expm1(tf.mul(2, big))),
    );
    return tf.where(small, series, closed);
  });
}

/** S″(u) = 1/u² − csch² u: ⅓ − u²/15 + 2u⁴/189 near 0, 1/u² − 4e^{−2|u|}/(1 − e^{−2|u|})² else. */
export function logSinhcSecond(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { small, v, big } = branches(u);
    const series = tf.sub(1 / 3, tf.mul(v, tf.sub(1 / 15, tf.mul(v, 2 / 189))));
    const e = tf.exp(tf.mul(-2, big));
    const closed = tf.sub(
      tf.div(1, tf.square(big)),
      tf.div(tf.mul(4, e), tf.square(tf.neg(expm1(tf.mul(-2, big))))),
    );
    return tf.where(small, series, closed);
  });
}

/**
 * The continuous Bernoulli distribution (Loaiza-Ganem & Cunningham 2019) on
 * tensors: independent coordinates on [0, 1] — the core's
 * `ContinuousBernoulli`, with its formulas:
 *
 * ```text
 * log p(x) = Σⱼ ηⱼ xⱼ − A(ηⱼ),   A(η) = η/2 + S(η/2),   S(u) = log(sinh u / u)
 * E[x] = ½ + ½ S′(η/2),   Var[x] = ¼ S″(η/2)
 * ```
 *
 * S, S′ and S″ switch to their series below |u| = 0.1, so λ = ½ (η = 0) and
 * its neighbourhood, where the textbook C(λ) = 2 atanh(1 − 2λ)/(1 − 2λ)
 * divides 0 by 0, are exact and differentiable. Draws are reparameterized,
 * by the inverse CDF: the likelihood of a VAE on grey levels.
 *
 * @example
 * ```ts
 * import { ContinuousBernoulli, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const d = new ContinuousBernoulli({ logits: [0, 2] });
 * const lp = d.logProb([0.5, 0.5]);
 * // η (x − ½) − S(η/2) at x = ½: −S(0) − S(1) = −log sinh 1.
 * assert.ok(Math.abs(lp.dataSync()[0]! + Math.log(Math.sinh(1))) < 1e-5);
 * lp.dispose();
 * d.dispose();
 * ```
 */
export class ContinuousBernoulli extends TensorDistributionBase {
  /** η = log(λ/(1 − λ)). */
  readonly logits: tf.Tensor;
  /** All axes of the parameter but the last. */
  readonly batchShape: number[];
  /** `[D]`. */
  readonly eventShape: number[];
  /** Always true: draws are differentiable in η (inverse CDF). */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of continuous Bernoulli vectors.
   *
   * @param params `{ logits }` (finite) or `{ probs }` (each in (0, 1)), `[...batch, D]`.
   * @throws {TypeError} If neither or both are given, `params` has another
   *   key, a parameter is not a tensor or numbers, or it has no event axis.
   * @throws {RangeError} If a logit is not finite or a probability is not in (0, 1).
   */
  constructor(params: ContinuousBernoulliParams) {
    super();
    try {
      const what = "Cannot construct ContinuousBernoulli";
      this.logits = readOpenLogits(
        what,
        params,
        (name, raw, rule) => this.param(what, name, raw, rule),
        (t) => this.own(t),
      );
      this.batchShape = this.logits.shape.slice(0, -1);
      this.eventShape = this.logits.shape.slice(-1);
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** Σⱼ ηⱼ xⱼ − A(ηⱼ) = Σⱼ ηⱼ (xⱼ − ½) − S(ηⱼ/2) (no cancellation near η = 0); −∞ where an entry of x is outside [0, 1]. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("ContinuousBernoulli", x);
      const lp = tf.sum(
        tf.sub(tf.mul(this.logits, tf.sub(xs, 0.5)), logSinhc(tf.div(this.logits, 2))),
        -1,
      );
      const inside = tf.greaterEqual(tf.min(tf.mul(xs, tf.sub(1, xs)), -1), 0);
      return tf.where(inside, lp, tf.fill(lp.shape, -Infinity));
    });
  }

  /** ½ + ½ S′(η/2). */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.add(0.5, tf.mul(0.5, logSinhcPrime(tf.div(this.logits, 2)))));
  }

  /** ¼ S″(η/2). */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.mul(0.25, logSinhcSecond(tf.div(this.logits, 2))));
  }

  /** Σⱼ S(ηⱼ/2) − (ηⱼ/2) S′(ηⱼ/2) ≤ 0 (A − η E[x], the η/2 terms cancelled by hand), shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => tf.sum(logSinhcEntropy(tf.div(this.logits, 2)), -1));
  }

  /**
   * `n` draws in [0, 1], `[n, ...batchShape, D]`, differentiable in η: x =
   * F⁻¹(u) = log1p(u (e^η − 1))/η, taken as 1 + log(u + (1 − u)e^{−η})/η for
   * η > 0 (no overflow), and u + η u(1 − u)/2 where |η| ≤ 10⁻⁶.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of u (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("ContinuousBernoulli", n, seed);
    return tf.tidy(() => {
      const shape = [n, ...this.batchShape, ...this.eventShape];
      const u = tf.randomUniform(shape, 0, 1, "float32", deriveSeed(seed));
      const eta = tf.broadcastTo(this.logits, shape);
      const tiny = tf.greaterEqual(1e-6, tf.abs(eta));
      const pos = tf.maximum(eta, 1e-6), neg = tf.minimum(eta, -1e-6);
      const up = tf.add(1, tf.div(log(tf.add(u, tf.mul(tf.sub(1, u), tf.exp(tf.neg(pos))))), pos));
      const down = tf.div(log1p(tf.mul(u, expm1(neg))), neg);
      // Near η = 0: u + η u(1 − u)/2, the first-order term keeping ∂x/∂η right.
      const flat = tf.add(u, tf.mul(tf.mul(eta, tf.mul(u, tf.sub(1, u))), 0.5));
      const x = tf.where(tiny, flat, tf.where(tf.greaterEqual(eta, 0), up, down));
      return tf.clipByValue(x, 0, 1);
    });
  }
}
