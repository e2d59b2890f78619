import { readOptions } from "../math/_options.ts";
import { assertCount, show, toFiniteVector } from "../math/_validate.ts";
import { logAddExp, logSumExp } from "../math/log_sum_exp.ts";
import { type Estimate, meanAndStandardError } from "../math/mean_and_standard_error.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import type { Distribution } from "./distribution.ts";

/**
 * A finite mixture Σₖ wₖ pₖ of components of one event size — the target of
 * the M- versus I-projection picture (Bishop, Pattern Recognition and Machine
 * Learning, 2006, section 10.1.2).
 *
 * Mathematical details:
 *
 * ```text
 * log p(x) = logsumexpₖ (log wₖ + log pₖ(x))
 * E[X]     = Σₖ wₖ μₖ
 * Cov[X]   = Σₖ wₖ (Σₖ + μₖ μₖᵀ) − E[X] E[X]ᵀ
 * ```
 *
 * The entropy has no closed form: {@linkcode Mixture.entropy} throws and
 * points to {@linkcode Mixture.entropyMonteCarlo}.
 *
 * @example
 * ```ts
 * import { Mixture, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const m = new Mixture([0.5, 0.5], [new Normal(-1, 1), new Normal(1, 1)]);
 * assert.equal(m.mean(), 0);
 * assert.equal(m.variance(), 2);
 * ```
 */
export class Mixture<
  X = number | ArrayLike<number>,
  S extends number | Float64Array = number | Float64Array,
> implements Distribution<X, S> {
  /** The mixture weights wₖ (non-negative, summing to 1). */
  readonly weights: Float64Array;
  /** log wₖ. */
  readonly logWeights: Float64Array;
  /** The components pₖ. */
  readonly components: ReadonlyArray<Distribution<X, S>>;
  /** The common event size. */
  readonly eventSize: number;
  #scratch: Float64Array;

  /**
   * Creates a {@linkcode Mixture}, validating every parameter.
   *
   * @param weights Mixture weights: finite, ≥ 0, summing to 1 (to 1e-9).
   * @param components One distribution per weight, all of one event size.
   * @throws {TypeError} If the counts differ, there is no component, a
   *   component is not a distribution, or event sizes differ.
   * @throws {RangeError} If a weight is negative or not finite, or the
   *   weights do not sum to 1.
   */
  constructor(weights: ArrayLike<number>, components: ReadonlyArray<Distribution<X, S>>) {
    const what = "Cannot construct Mixture";
    this.weights = toFiniteVector(what, "weights", weights);
    if (!Array.isArray(components) || components.length !== this.weights.length) {
      throw new TypeError(
        `${what} as components must be an array with one entry per weight in weights (${this.weights.length}): current value is ${
          show(components)
        }`,
      );
    }
    let sum = 0;
    this.weights.forEach((w, k) => {
      if (w < 0) {
        throw new RangeError(`${what} as weights[${k}] must be ≥ 0: current value is ${show(w)}`);
      }
      sum += w;
    });
    if (Math.abs(sum - 1) > 1e-9) {
      throw new RangeError(`${what} as weights must sum to 1: current sum is ${sum}`);
    }
    if (components.length === 0) {
      throw new TypeError(`${what} as components must not be empty: current value is []`);
    }
    // An index loop, not forEach: a sparse array's holes must be checked too.
    for (let k = 0; k < components.length; k++) {
      const c = components[k];
      if (
        c === null || typeof c !== "object" || typeof c.logProbBatch !== "function" ||
        typeof c.sample !== "function" || typeof c.logProb !== "function" ||
        typeof c.sampleN !== "function" || !Number.isSafeInteger(c.eventSize) || c.eventSize < 1
      ) {
        throw new TypeError(
          `${what} as components[${k}] must be a distribution: current value is ${show(c)}`,
        );
      }
    }
    const size = components[0]!.eventSize;
    components.forEach((c, k) => {
      if (c.eventSize !== size) {
        throw new TypeError(
          `${what} as components must share one event size: components[0] has ${size} but components[${k}] has ${c.eventSize}`,
        );
      }
    });
    this.components = components.slice();
    this.logWeights = this.weights.map(Math.log);
    this.eventSize = size;
    this.#scratch = new Float64Array(components.length);
  }

  /** logsumexpₖ (log wₖ + log pₖ(x)); each component validates x. */
  logProb(x: X): number {
    return logSumExp(this.#logJoint(x));
  }

  /** log wₖ + log pₖ(x) for every k (zero weights give −∞ without calling pₖ). */
  #logJoint(x: X): Float64Array {
    const s = this.#scratch;
    for (let k = 0; k < s.length; k++) {
      const lp = this.components[k]!.logProb(x);
      s[k] = this.weights[k] === 0 ? -Infinity : this.logWeights[k]! + lp;
    }
    return s;
  }

  /** log-density of every row of `xs`: one batched call per component. */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Mixture", xs, this.eventSize, out);
    o.fill(-Infinity);
    const tmp = new Float64Array(o.length);
    for (let k = 0; k < this.components.length; k++) {
      if (this.weights[k] === 0) continue;
      this.components[k]!.logProbBatch(xs, tmp);
      const lw = this.logWeights[k]!;
      for (let i = 0; i < o.length; i++) o[i] = logAddExp(o[i]!, lw + tmp[i]!);
    }
    return o;
  }

  /**
   * ∇ₓ log p(x) = Σₖ rₖ(x) ∇ₓ log pₖ(x), with responsibilities
   * rₖ(x) = wₖ pₖ(x) / p(x).
   *
   * @param x A point.
   * @returns The gradient.
   * @throws {TypeError} If a component has no `gradLogProb`.
   */
  gradLogProb(x: X): S {
    const s = this.#logJoint(x);
    const lse = logSumExp(s);
    if (lse === -Infinity) {
      throw new RangeError(
        `Cannot compute Mixture.gradLogProb as every component's density underflows at x = ${
          show(x)
        }, so the responsibilities are undefined`,
      );
    }
    const responsibilities = s.map((v) => Math.exp(v - lse));
    return this.#combine((c, k) => {
      if (!c.gradLogProb) {
        throw new TypeError(
          `Cannot compute Mixture.gradLogProb as components[${k}] (${c.constructor.name}) has none`,
        );
      }
      return c.gradLogProb(x);
    }, responsibilities);
  }

  #pick(u: number): number {
    let c = 0;
    for (let k = 0; k < this.weights.length - 1; k++) {
      c += this.weights[k]!;
      if (u < c) return k;
    }
    let k = this.weights.length - 1;
    while (k > 0 && this.weights[k] === 0) k--;
    return k;
  }

  /** Picks a component by its weight, then draws from it. */
  sample(rng: Rng): S {
    checkRng("Mixture", rng);
    return this.components[this.#pick(rng.uniform())]!.sample(rng);
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const d = this.eventSize;
    checkSampleN("Mixture", rng, n, d);
    const out = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const v = this.sample(rng);
      if (typeof v === "number") out[i] = v;
      else out.set(v as Float64Array, i * d);
    }
    return out;
  }

  /** Σₖ wₖ μₖ. */
  mean(): S {
    return this.#combine((c) => c.mean());
  }

  /** Per-coordinate variance Σₖ wₖ (σₖ² + (μₖ − μ)²), free of cancellation. */
  variance(): S {
    const mean = this.mean();
    if (typeof mean === "number") {
      let v = 0;
      this.components.forEach((c, k) => {
        v += this.weights[k]! * ((c.variance() as number) + ((c.mean() as number) - mean) ** 2);
      });
      return v as S;
    }
    const mu = mean as Float64Array, out = new Float64Array(mu.length);
    this.components.forEach((c, k) => {
      const w = this.weights[k]!, vk = c.variance() as Float64Array, mk = c.mean() as Float64Array;
      for (let j = 0; j < mu.length; j++) out[j]! += w * (vk[j]! + (mk[j]! - mu[j]!) ** 2);
    });
    return out as S;
  }

  /**
   * Σₖ wₖ (Σₖ + (μₖ − μ)(μₖ − μ)ᵀ), flat row-major (the same as
   * Σₖ wₖ (Σₖ + μₖ μₖᵀ) − μ μᵀ, without its cancellation).
   *
   * @throws {TypeError} If a component has no covariance.
   */
  covariance(): Float64Array {
    const d = this.eventSize;
    assertCount("Cannot compute Mixture.covariance", "eventSize", d, 1, d);
    const out = new Float64Array(d * d);
    const mean = this.mean(), mu = typeof mean === "number" ? [mean] : (mean as Float64Array);
    this.components.forEach((c, k) => {
      const w = this.weights[k]!;
      const m = c.mean(), mk = typeof m === "number" ? [m] : (m as Float64Array);
      let cov: ArrayLike<number>;
      if (d === 1) {
        // A one-coordinate component may still be a vector family (its variance an array).
        const v = c.variance();
        cov = typeof v === "number" ? [v] : v;
      } else if (c.covariance) cov = c.covariance();
      else {
        throw new TypeError(
          `Cannot compute Mixture.covariance as components[${k}] (${c.constructor.name}) has no covariance()`,
        );
      }
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          out[i * d + j]! += w * (cov[i * d + j]! + (mk[i]! - mu[i]!) * (mk[j]! - mu[j]!));
        }
      }
    });
    return out;
  }

  /** Σₖ weightsₖ · get(componentₖ), skipping zero weights. */
  #combine(get: (c: Distribution<X, S>, k: number) => S, weights: Float64Array = this.weights): S {
    let acc: number | Float64Array | undefined;
    this.components.forEach((c, k) => {
      const w = weights[k]!;
      if (w === 0) return;
      const v = get(c, k);
      if (typeof v === "number") acc = ((acc as number | undefined) ?? 0) + w * v;
      else {
        const a = (acc as Float64Array | undefined) ?? new Float64Array(v.length);
        for (let j = 0; j < v.length; j++) a[j]! += w * v[j]!;
        acc = a;
      }
    });
    return acc as S;
  }

  /**
   * A mixture's entropy has no closed form.
   *
   * @throws {TypeError} Always, pointing to {@linkcode Mixture.entropyMonteCarlo}.
   */
  entropy(): number {
    throw new TypeError(
      "Cannot compute Mixture.entropy in closed form: a mixture's entropy has none; use mixture.entropyMonteCarlo({ samples, rng }) for an estimate with its standard error",
    );
  }

  /**
   * Monte Carlo entropy −(1/n) Σᵢ log p(xᵢ), xᵢ ~ p, with its standard error.
   *
   * @param options `samples` (integer ≥ 2) and the random source `rng`.
   * @returns The estimate and its standard error.
   * @throws {TypeError} If `options` is not an object, has a key other than
   *   these, or `rng` is not an Rng.
   * @throws {RangeError} If `samples` is not an integer ≥ 2, or too large
   *   for the draws to fit in memory.
   */
  entropyMonteCarlo(options: { samples: number; rng: Rng }): Estimate {
    const what = "Cannot estimate Mixture entropy";
    const o = readOptions(what, options, ["samples", "rng"]);
    const samples = o.count("samples", { min: 2, perItem: this.eventSize });
    const lp = this.logProbBatch(this.sampleN(o.rng("rng"), samples));
    return meanAndStandardError(lp, -1);
  }
}
