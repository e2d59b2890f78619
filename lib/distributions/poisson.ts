import { HALF_LOG_2PI } from "../math/_constants.ts";
import { stirlingRemainder } from "../math/_gamma_series.ts";
import { assertNotNaN, assertPositive } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import { bd0 } from "./_deviance.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * log p(k; λ) for an integer k ≥ 0, by Loader's saddle-point form (the
 * form of R's `dpois`), with c(k) the remainder of Stirling's formula:
 *
 * ```text
 * log p(k) = k log λ − λ − log k! = −½ log(2πk) − c(k) − bd0(k, λ)    (k ≥ 1)
 * ```
 */
export function poissonLogPmf(k: number, rate: number, logRate: number): number {
  if (k === 0) return -rate;
  return -HALF_LOG_2PI - 0.5 * Math.log(k) - stirlingRemainder(k) - bd0(k, rate, logRate);
}

/** Rates above which the entropy is its asymptotic series. */
const ASYMPTOTIC_FROM = 1e5;

/**
 * The Poisson distribution with rate λ, on {0, 1, 2, …}.
 *
 * Mathematical details:
 *
 * ```text
 * log p(k) = k log λ − λ − log k!
 *          = −½ log(2πk) − c(k) − bd0(k, λ),   bd0(k, λ) = k log(k/λ) + λ − k ≥ 0   (k ≥ 1)
 * H        = −Σₖ p(k) log p(k)      (summed outwards from the mode for 1 < λ < 10⁵)
 *          = λ (1 − log λ) + e^{−λ} Σₖ≥₂ λᵏ log(k!)/k!      (λ ≤ 1)
 *          ≈ ½ log(2πeλ) − 1/(12λ) − 1/(24λ²) − 19/(360λ³)      (λ ≥ 10⁵)
 * E[X] = Var[X] = λ
 * ```
 *
 * The second line (Loader 2000) keeps ~15 digits where the first subtracts
 * terms of size k log k. Draws are by inversion of the CDF for λ < 10 and by
 * Hörmann's (1993) transformed rejection (PTRS) above, with the exact
 * log-mass in its acceptance test. A point that is not an integer ≥ 0 has
 * log-mass −∞ (as in scipy). Draws are not reparameterized.
 *
 * @example
 * ```ts
 * import { createRng, Poisson } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = new Poisson(3);
 * assert.ok(Math.abs(p.logProb(2) - (2 * Math.log(3) - 3 - Math.log(2))) < 1e-15);
 * assert.equal(p.logProb(2.5), -Infinity);
 * assert.ok(Number.isInteger(p.sample(createRng(1))));
 * ```
 */
export class Poisson implements UnivariateDistribution {
  /** The rate λ > 0. */
  readonly rate: number;
  /** log λ. */
  readonly logRate: number;
  /** Always 1. */
  readonly eventSize: number = 1;
  #entropy?: number;

  /**
   * Creates a {@linkcode Poisson}, validating its parameter.
   *
   * @param rate The rate λ (finite, > 0).
   * @throws {TypeError} If `rate` is not a number.
   * @throws {RangeError} If `rate` is not finite and > 0.
   */
  constructor(rate: number) {
    assertPositive("Cannot construct Poisson", "rate", rate);
    this.rate = rate;
    this.logRate = Math.log(rate);
  }

  #logProb(k: number): number {
    return Number.isInteger(k) && k >= 0 ? poissonLogPmf(k, this.rate, this.logRate) : -Infinity;
  }

  /**
   * log p(x); −∞ for an x that is not an integer ≥ 0.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute Poisson.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-mass of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("Poisson", xs, 1, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return o;
  }

  #draw(rng: Rng): number {
    const lam = this.rate;
    if (lam < 10) {
      const u = rng.uniform();
      let k = 0, p = Math.exp(-lam), cdf = p;
      while (u >= cdf && p > 0) {
        k++;
        p *= lam / k;
        cdf += p;
      }
      return k;
    }
    return ptrs(rng, lam, this.logRate);
  }

  /** One draw. */
  sample(rng: Rng): number {
    checkRng("Poisson", rng);
    return this.#draw(rng);
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("Poisson", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#draw(rng);
    return out;
  }

  /** λ. */
  mean(): number {
    return this.rate;
  }

  /** λ. */
  variance(): number {
    return this.rate;
  }

  /** −Σₖ p(k) log p(k), to ~15 digits for every λ. */
  entropy(): number {
    return this.#entropy ??= poissonEntropy(this.rate, this.logRate);
  }
}

function poissonEntropy(lam: number, logLam: number): number {
  if (lam >= ASYMPTOTIC_FROM) {
    const y = 1 / lam;
    return 0.5 * (Math.log(2 * Math.PI * Math.E) + logLam) -
      y * (1 / 12 + y * (1 / 24 + y * (19 / 360)));
  }
  if (lam <= 1) {
    // H = λ (1 − log λ) + e^{−λ} Σₖ≥₂ λᵏ log(k!)/k!: positive terms, and no
    // exp(log p) to lose the digits of a tiny λ.
    let t = lam, logFact = 0, s = 0;
    for (let k = 2; k < 60; k++) {
      t *= lam / k;
      logFact += Math.log(k);
      const term = t * logFact;
      s += term;
      if (term <= 1e-17 * s) break;
    }
    return lam * (1 - logLam) + Math.exp(-lam) * s;
  }
  // −Σ p log p outwards from the mode, with Neumaier's compensated sum (a
  // plain sum of the ~20√λ terms would lose ~√λ ulps).
  const mode = Math.floor(lam);
  let sum = 0, comp = 0;
  const add = (k: number): number => {
    const lp = poissonLogPmf(k, lam, logLam), p = Math.exp(lp), t = p === 0 ? 0 : -p * lp;
    const u = sum + t;
    comp += Math.abs(sum) >= t ? (sum - u) + t : (t - u) + sum;
    sum = u;
    return t;
  };
  for (let k = mode; k >= 0; k--) if (add(k) <= 1e-17 * sum && k < mode) break;
  for (let k = mode + 1;; k++) if (add(k) <= 1e-17 * sum) break;
  return sum + comp;
}

/** Hörmann's PTRS (1993), as in numpy, with the exact log-mass in its test. */
function ptrs(rng: Rng, lam: number, logLam: number): number {
  const slam = Math.sqrt(lam);
  const b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4)), vr = 0.9277 - 3.6224 / (b - 2);
  for (let i = 0; i < 10000; i++) {
    const u = rng.uniform() - 0.5, v = rng.uniform(), us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (!(k >= 0) || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= poissonLogPmf(k, lam, logLam)) {
      return k;
    }
  }
  throw new RangeError(
    "Cannot draw a sample from Poisson as rng gave 10000 rejections in a row: it does not behave like a source of uniform random numbers",
  );
}
