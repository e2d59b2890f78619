import {
  assertCount,
  assertEventLength,
  assertNotNaN,
  show,
  toFiniteVector,
} from "../math/_validate.ts";
import { oneOfTwo, readOptions } from "../math/_options.ts";
import type { Rng } from "../math/rng.ts";
import { softplus } from "../math/softplus.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/** Parameters of {@linkcode Bernoulli}: logits or probabilities, one per coordinate. */
export type BernoulliParams = { logits: ArrayLike<number> } | { probs: ArrayLike<number> };

/**
 * A vector of independent Bernoulli coordinates, the likelihood of a VAE on
 * binary images.
 *
 * Mathematical details, with logits ℓ = log p − log(1 − p):
 *
 * ```text
 * log p(x) = Σⱼ xⱼ ℓⱼ − softplus(ℓⱼ) = −BCE(x, σ(ℓ))
 * H        = Σⱼ softplus(−|ℓⱼ|) + |ℓⱼ| σ(−|ℓⱼ|)
 * ```
 *
 * `logProb` accepts any x in [0, 1]: for x ∉ {0, 1} it is minus the binary
 * cross-entropy, the usual reconstruction term for grey-level images; it is
 * a log-mass only on {0, 1}. Outside [0, 1] it is −∞, as every family's
 * log-density is outside its support (and the tensor twin's too).
 *
 * Built from `probs`, the probabilities are kept exactly as given (and
 * 1 − p as exactly as float64 allows); built from `logits`, the logits are
 * kept exactly. The KL divergence works from whichever was given, so that
 * near-identical pairs keep their digits either way.
 *
 * @example
 * ```ts
 * import { Bernoulli } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const b = new Bernoulli({ probs: [0.25, 0.5] });
 * assert.ok(Math.abs(b.logProb([1, 0]) - Math.log(0.25 * 0.5)) < 1e-15);
 * assert.equal(new Bernoulli({ logits: [1e4] }).logProb([1]), 0);
 * ```
 */
export class Bernoulli implements MultivariateDistribution {
  /** ℓ = log(p / (1 − p)), ±∞ where p is 0 or 1. */
  readonly logits: Float64Array;
  /** p. */
  readonly probs: Float64Array;
  /** log p per coordinate. */
  readonly logProbs: Float64Array;
  /** log(1 − p) per coordinate. */
  readonly log1mProbs: Float64Array;
  /** The number of coordinates. */
  readonly eventSize: number;
  /** 1 − p, to full relative precision. */
  readonly complementProbs: Float64Array;
  /** Whether the parameters were given as probabilities (else as logits). */
  readonly fromProbs: boolean;

  /**
   * Creates a {@linkcode Bernoulli}, validating every parameter.
   *
   * @param params `{ logits }` (finite) or `{ probs }` (each in [0, 1]).
   * @throws {TypeError} If neither or both are given, they are not arrays
   *   of numbers, or `params` has another key.
   * @throws {RangeError} If a logit is not finite or a probability is
   *   outside [0, 1].
   */
  constructor(params: BernoulliParams) {
    const what = "Cannot construct Bernoulli";
    const o = readOptions(what, params, ["logits", "probs"], "params");
    const hasLogits = oneOfTwo(what, o, params, "logits", "probs") === "logits";
    if (hasLogits) {
      const l = toFiniteVector(what, "logits", o.get("logits"));
      this.logits = l;
      this.logProbs = l.map((v) => -softplus(-v));
      this.log1mProbs = l.map((v) => -softplus(v));
      this.probs = this.logProbs.map(Math.exp);
      this.complementProbs = this.log1mProbs.map(Math.exp);
      this.fromProbs = false;
    } else {
      const p = toFiniteVector(what, "probs", o.get("probs"));
      p.forEach((v, i) => {
        if (v < 0 || v > 1) {
          throw new RangeError(
            `${what} as probs[${i}] must be in [0, 1]: current value is ${show(v)}`,
          );
        }
      });
      this.probs = p;
      this.complementProbs = p.map((v) => 1 - v);
      this.logProbs = p.map(Math.log);
      this.log1mProbs = p.map((v) => Math.log1p(-v));
      this.logits = this.logProbs.map((lp, i) => lp - this.log1mProbs[i]!);
      this.fromProbs = true;
    }
    this.eventSize = this.logits.length;
  }

  #check(x: ArrayLike<number>, off: number, what: string, name: string): void {
    for (let j = 0; j < this.eventSize; j++) {
      assertNotNaN(what, `${name}[${off + j}]`, x[off + j]);
    }
  }

  #logProbAt(x: ArrayLike<number>, off: number): number {
    let s = 0;
    for (let j = 0; j < this.eventSize; j++) {
      const v = x[off + j]!;
      if (!(v >= 0 && v <= 1)) return -Infinity; // outside the support
      // x log p + (1 − x) log(1 − p), skipping 0·(−∞) terms.
      if (v !== 0) s += v * this.logProbs[j]!;
      if (v !== 1) s += (1 - v) * this.log1mProbs[j]!;
    }
    return s;
  }

  /**
   * Σⱼ xⱼ log pⱼ + (1 − xⱼ) log(1 − pⱼ) = −BCE; −∞ if an entry of x is
   * outside [0, 1], the support.
   *
   * @throws {TypeError} If `x` is not an array of d numbers.
   * @throws {RangeError} If an entry of `x` is NaN.
   */
  logProb(x: ArrayLike<number>): number {
    const what = "Cannot compute Bernoulli.logProb";
    assertEventLength(what, "x", x, this.eventSize, true);
    this.#check(x, 0, what, "x");
    return this.#logProbAt(x, 0);
  }

  /** log-mass of every row of `xs` (−∞ for a row with an entry outside [0, 1]). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const d = this.eventSize;
    const o = batchOutput("Bernoulli", xs, d, out);
    for (let i = 0; i < o.length; i++) {
      this.#check(xs, i * d, "Cannot compute Bernoulli.logProbBatch", "xs");
      o[i] = this.#logProbAt(xs, i * d);
    }
    return o;
  }

  /** One draw in {0, 1}ᵈ. */
  sample(rng: Rng): Float64Array {
    checkRng("Bernoulli", rng);
    const out = new Float64Array(this.eventSize);
    for (let j = 0; j < this.eventSize; j++) out[j] = rng.uniform() < this.probs[j]! ? 1 : 0;
    return out;
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const d = this.eventSize;
    checkSampleN("Bernoulli", rng, n, d);
    const out = new Float64Array(n * d);
    for (let i = 0; i < n * d; i++) out[i] = rng.uniform() < this.probs[i % d]! ? 1 : 0;
    return out;
  }

  /** p. */
  mean(): Float64Array {
    return this.probs.slice();
  }

  /** p (1 − p). */
  variance(): Float64Array {
    return this.probs.map((p, j) => p * this.complementProbs[j]!);
  }

  /** diag(p (1 − p)). */
  covariance(): Float64Array {
    const d = this.eventSize;
    assertCount("Cannot compute Bernoulli.covariance", "eventSize", d, 1, d);
    const v = this.variance(), out = new Float64Array(d * d);
    for (let j = 0; j < d; j++) out[j * d + j] = v[j]!;
    return out;
  }

  /** Σⱼ softplus(−|ℓⱼ|) + |ℓⱼ| σ(−|ℓⱼ|), with no cancellation. */
  entropy(): number {
    let h = 0;
    for (const l of this.logits) {
      if (!Number.isFinite(l)) continue; // p ∈ {0, 1}: no uncertainty
      const a = Math.abs(l), e = Math.exp(-a);
      h += Math.log1p(e) + (a * e) / (1 + e);
    }
    return h;
  }
}
