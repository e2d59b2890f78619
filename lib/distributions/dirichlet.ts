import { logRatio } from "../math/_stable.ts";
import { assertCount, assertEventLength, show, toPositiveVector } from "../math/_validate.ts";
import { logSumExp } from "../math/log_sum_exp.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import { concentrationEntropy, logDensity, type Normaliser, normaliser } from "./_concentration.ts";
import { sampleLogGamma } from "./_deviance.ts";
import { checkSimplex } from "./_simplex.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/**
 * The Dirichlet distribution on the probability simplex of K ≥ 2
 * coordinates, with concentrations α.
 *
 * Mathematical details, with s = Σ αᵢ:
 *
 * ```text
 * log p(x) = Σᵢ (αᵢ − 1) log xᵢ − log B(α),   log B(α) = Σᵢ log Γ(αᵢ) − log Γ(s)
 * H        = log B(α) + (s − K) ψ(s) − Σᵢ (αᵢ − 1) ψ(αᵢ)
 * E[Xᵢ] = αᵢ/s,   Var[Xᵢ] = αᵢ (s − αᵢ) / (s² (s + 1)),   Cov[Xᵢ, Xⱼ] = −αᵢ αⱼ / (s² (s + 1))
 * Xᵢ = Gᵢ / Σⱼ Gⱼ,   Gᵢ ~ Gamma(αᵢ, 1)
 * ```
 *
 * Once a concentration reaches 10, the log-density is computed as
 * −Σᵢ bd0(αᵢ, s xᵢ) − Σᵢ log xᵢ plus Stirling's remainders (Loader 2000),
 * and the entropy from Stirling's remainders, so that neither subtracts
 * terms of size α log α: both keep ~15 digits for concentrations up to
 * 10¹⁵⁰ and more. The concentrations must be positive normal float64s with
 * a finite sum.
 *
 * A point must lie on the simplex: entries in [0, 1] summing to 1 within
 * 10⁻¹⁰ (anything else is a RangeError, not a log-density of −∞). On its
 * boundary (some xᵢ = 0) the log-density is the limit along the face:
 * −∞ if some αᵢ > 1 there, else +∞ if some αᵢ < 1, else the density of the
 * face. Draws are formed from log-Gammas, so tiny concentrations give
 * points at the vertices, never NaN; they are not reparameterized (use the
 * score-function estimator, or implicit gradients in the tensor layer).
 *
 * @example
 * ```ts
 * import { createRng, Dirichlet } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const d = new Dirichlet([1, 1, 1]);
 * assert.ok(Math.abs(d.logProb([0.2, 0.3, 0.5]) - Math.log(2)) < 1e-15);
 * const x = d.sample(createRng(1));
 * assert.ok(Math.abs(x.reduce((s, v) => s + v, 0) - 1) < 1e-15);
 * assert.throws(() => d.logProb([0.5, 0.5, 0.5]), RangeError);
 * ```
 */
export class Dirichlet implements MultivariateDistribution {
  /** The concentrations αᵢ > 0. */
  readonly concentration: Float64Array;
  /** The number of coordinates K ≥ 2. */
  readonly eventSize: number;
  readonly #n: Normaliser;

  /**
   * Creates a {@linkcode Dirichlet}, validating every parameter.
   *
   * @param concentration K ≥ 2 concentrations, each finite and ≥ 2⁻¹⁰²²,
   *   with a finite sum.
   * @throws {TypeError} If `concentration` is not an array of numbers, or
   *   has fewer than 2 entries.
   * @throws {RangeError} If an entry is not finite and > 0, is subnormal,
   *   or the sum overflows.
   */
  constructor(concentration: ArrayLike<number>) {
    const what = "Cannot construct Dirichlet";
    const a = toPositiveVector(what, "concentration", concentration);
    if (a.length < 2) {
      throw new TypeError(
        `${what} as concentration must have at least 2 entries: current value is ${show(a)}`,
      );
    }
    this.concentration = a;
    this.eventSize = a.length;
    this.#n = normaliser(a);
    if (this.#n.sum === Infinity) {
      throw new RangeError(
        `${what} as the sum of concentration must be finite: current value is ${show(a)}`,
      );
    }
  }

  #logProbAt(x: ArrayLike<number>, off: number, d: number): number {
    const a = this.concentration, k = this.eventSize;
    const pt = off === 0 && x.length === k ? x : Array.prototype.slice.call(x, off, off + k);
    let zeros = 0, up = false, down = false;
    for (let i = 0; i < k; i++) {
      if (pt[i] === 0) {
        zeros++;
        if (a[i]! > 1) down = true;
        else if (a[i]! < 1) up = true;
      }
    }
    if (down) return -Infinity;
    if (up) return Infinity;
    const logX = new Float64Array(k);
    for (let i = 0; i < k; i++) logX[i] = pt[i] === 0 ? 0 : Math.log(pt[i]!);
    if (zeros === 0) return logDensity(a, this.#n, pt, undefined, logX, d);
    // On a face, with every αᵢ = 1 at its zeros: the plain form.
    let lp = -this.#logBeta();
    for (let i = 0; i < k; i++) if (pt[i] !== 0 && a[i] !== 1) lp += (a[i]! - 1) * logX[i]!;
    return lp;
  }

  #logBeta(): number {
    const n = this.#n, a = this.concentration;
    if (!n.large) return n.logBeta;
    let lb = n.hPart;
    for (let i = 0; i < a.length; i++) lb += a[i]! * logRatio(a[i]!, n.sum);
    return lb;
  }

  /**
   * log p(x) at a point x of the simplex.
   *
   * @throws {TypeError} If `x` is not an array of K numbers.
   * @throws {RangeError} If an entry is not finite, or x is not on the
   *   simplex (entries in [0, 1], summing to 1 within 10⁻¹⁰).
   */
  logProb(x: ArrayLike<number>): number {
    const what = "Cannot compute Dirichlet.logProb";
    assertEventLength(what, "x", x, this.eventSize);
    const d = checkSimplex(what, "x", x, 0, this.eventSize);
    return this.#logProbAt(x, 0, d);
  }

  /** log-density of every row of `xs` (each a point of the simplex). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const k = this.eventSize;
    const o = batchOutput("Dirichlet", xs, k, out);
    for (let i = 0; i < o.length; i++) {
      const d = checkSimplex("Cannot compute Dirichlet.logProbBatch", "xs", xs, i * k, k);
      o[i] = this.#logProbAt(xs, i * k, d);
    }
    return o;
  }

  #draw(rng: Rng, out: Float64Array, off: number): void {
    const k = this.eventSize, lg = new Float64Array(k);
    for (let i = 0; i < k; i++) lg[i] = sampleLogGamma(rng, this.concentration[i]!, "Dirichlet");
    const lse = logSumExp(lg);
    for (let i = 0; i < k; i++) out[off + i] = Math.exp(lg[i]! - lse);
  }

  /** One draw Gᵢ/Σⱼ Gⱼ, normalised in log space. */
  sample(rng: Rng): Float64Array {
    checkRng("Dirichlet", rng);
    const out = new Float64Array(this.eventSize);
    this.#draw(rng, out, 0);
    return out;
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const k = this.eventSize;
    checkSampleN("Dirichlet", rng, n, k);
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) this.#draw(rng, out, i * k);
    return out;
  }

  /** αᵢ/s. */
  mean(): Float64Array {
    return this.concentration.map((a) => a / this.#n.sum);
  }

  /** (αᵢ/s)((s − αᵢ)/s)/(s + 1), with s − αᵢ summed from the other αⱼ. */
  variance(): Float64Array {
    const a = this.concentration, k = a.length, s = this.#n.sum;
    const rest = new Float64Array(k);
    let acc = 0;
    for (let i = 0; i < k; i++) {
      rest[i] = acc;
      acc += a[i]!;
    }
    acc = 0;
    for (let i = k - 1; i >= 0; i--) {
      rest[i] = rest[i]! + acc;
      acc += a[i]!;
    }
    return a.map((ai, i) => (ai / s) * (rest[i]! / s) / (s + 1));
  }

  /** The K × K covariance, flat row-major: the variances and −(αᵢ/s)(αⱼ/s)/(s + 1). */
  covariance(): Float64Array {
    const k = this.eventSize, a = this.concentration, s = this.#n.sum;
    assertCount("Cannot compute Dirichlet.covariance", "eventSize", k, 1, k);
    const v = this.variance(), out = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        out[i * k + j] = i === j ? v[i]! : -(a[i]! / s) * (a[j]! / s) / (s + 1);
      }
    }
    return out;
  }

  /** The differential entropy, from Stirling's remainders (no cancellation). */
  entropy(): number {
    return concentrationEntropy(this.concentration, this.#n.sum);
  }
}
