import { assertEventLength, assertNotNaN } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { readOpenLogits } from "./_logits.ts";
import { batchOutput, checkRng, checkSampleN } from "./_batch.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/** The parameters of a {@linkcode ContinuousBernoulli}: logits η, or λ = σ(η) in (0, 1). */
export type ContinuousBernoulliParams = { logits: ArrayLike<number> } | {
  probs: ArrayLike<number>;
};

/**
 * S(u) = log(sinh u / u), even, ≥ 0: the log-partition of the continuous
 * Bernoulli is A(η) = η/2 + S(η/2). A series near 0, where sinh u / u → 1.
 */
export function logSinhc(u: number): number {
  const a = Math.abs(u);
  if (a < 0.1) {
    const v = a * a;
    return v * (1 / 6 - v * (1 / 180 - v * (1 / 2835 - v / 37800)));
  }
  // log(sinh a / a) = a − log(2a) + log1p(−e^{−2a}), no overflow for large a.
  return a - Math.log(2 * a) + Math.log1p(-Math.exp(-2 * a));
}

/** S′(u) = coth u − 1/u, odd. */
export function logSinhcPrime(u: number): number {
  const a = Math.abs(u), s = Math.sign(u);
  if (a < 0.1) {
    const v = a * a;
    return s * a * (1 / 3 - v * (1 / 45 - v * (2 / 945 - v / 4725)));
  }
  // coth a = 1 + 2/(e^{2a} − 1) = 1 + 2/expm1(2a).
  return s * (1 + 2 / Math.expm1(2 * a) - 1 / a);
}

/**
 * S(u) − u S′(u) ≤ 0, the entropy per coordinate, with no cancellation:
 * 1 − log 2a + log1p(−e^{−2a}) − 2a/expm1(2a) for a = |u| (the a's of S and
 * u S′ cancelled by hand), a series near 0.
 */
export function logSinhcEntropy(u: number): number {
  const a = Math.abs(u);
  if (a < 0.1) {
    const v = a * a;
    return v * (-1 / 6 + v * (1 / 60 - v * (1 / 567 - v / 5400)));
  }
  return 1 - Math.log(2 * a) + Math.log1p(-Math.exp(-2 * a)) - (2 * a) / Math.expm1(2 * a);
}

/** S″(u) = 1/u² − csch² u, even, in (0, ⅓]. */
function logSinhcSecond(u: number): number {
  const a = Math.abs(u);
  if (a < 0.1) {
    const v = a * a;
    return 1 / 3 - v * (1 / 15 - v * (2 / 189 - v * (1 / 675 - (2 * v) / 10395)));
  }
  const e = Math.exp(-2 * a); // csch² a = 4 e^{−2a} / (1 − e^{−2a})²
  return 1 / (a * a) - (4 * e) / (-Math.expm1(-2 * a)) ** 2;
}

/** Nodes and weights of 12-point Gauss–Legendre quadrature on [0, 1] (the tensor KL's too). */
export const GAUSS: { readonly nodes: readonly number[]; readonly weights: readonly number[] } =
  (() => {
    const x = [
      0.1252334085114689,
      0.3678314989981802,
      0.5873179542866175,
      0.7699026741943047,
      0.9041172563704749,
      0.9815606342467192,
    ];
    const w = [
      0.2491470458134028,
      0.2334925365383548,
      0.2031674267230659,
      0.1600783285433462,
      0.1069393259953184,
      0.0471753363865118,
    ];
    const nodes: number[] = [], weights: number[] = [];
    x.forEach((xi, i) => {
      nodes.push((1 - xi) / 2, (1 + xi) / 2);
      weights.push(w[i]! / 2, w[i]! / 2);
    });
    return { nodes, weights };
  })();

/**
 * The Bregman divergence of S, D(b, a) = S(b) − S(a) − (b − a) S′(a) ≥ 0:
 * by its integral form (b − a)² ∫₀¹ (1 − s) S″(a + s(b − a)) ds where a and
 * b are close (no cancellation), directly where they are not.
 */
export function logSinhcBregman(b: number, a: number): number {
  const d = b - a;
  if (d === 0) return 0;
  if (Math.abs(d) <= 1) {
    let sum = 0;
    GAUSS.nodes.forEach((s, i) => (sum += GAUSS.weights[i]! * (1 - s) * logSinhcSecond(a + s * d)));
    return d * d * sum;
  }
  return Math.max(0, logSinhc(b) - logSinhc(a) - d * logSinhcPrime(a));
}

/**
 * The continuous Bernoulli distribution (Loaiza-Ganem & Cunningham 2019):
 * independent coordinates on [0, 1], the density of a Bernoulli's
 * likelihood made proper — the likelihood a VAE on grey levels uses in
 * place of a Bernoulli's, which is not a density on [0, 1]:
 *
 * ```text
 * p(x | λ) = C(λ) λˣ (1 − λ)^{1−x},   C(λ) = 2 atanh(1 − 2λ)/(1 − 2λ),  C(½) = 2
 * in logits η = log(λ/(1 − λ)):  log p(x) = η x − A(η),  A(η) = log((e^η − 1)/η) = η/2 + S(η/2)
 * S(u) = log(sinh u / u);   E[x] = A′(η) = ½ + ½ S′(η/2);   Var[x] = A″(η) = ¼ S″(η/2)
 * ```
 *
 * Computed through S, which is even and smooth, with series near 0: stable at
 * and near λ = ½, where the textbook form divides 0 by 0.
 *
 * @example
 * ```ts
 * import { ContinuousBernoulli } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const d = new ContinuousBernoulli({ probs: [0.5, 0.9] });
 * // λ = ½: C = 2, ½ˣ ½¹⁻ˣ = ½, so its log p is 0; λ = 0.9: C = 2 atanh(0.8)/0.8.
 * const want = Math.log(2 * Math.atanh(0.8) / 0.8) + 0.3 * Math.log(0.9) + 0.7 * Math.log(0.1);
 * assert.ok(Math.abs(d.logProb([0.3, 0.3]) - want) < 1e-12);
 * assert.equal(d.mean()[0], 0.5);
 * ```
 */
export class ContinuousBernoulli implements MultivariateDistribution {
  /** η = log(λ/(1 − λ)). */
  readonly logits: Float64Array;
  /** λ = σ(η). */
  readonly probs: Float64Array;
  /** A(η) = log ∫₀¹ e^{ηx} dx, per coordinate. */
  readonly logPartition: Float64Array;
  /** The number of coordinates. */
  readonly eventSize: number;
  /** S(η/2) per coordinate. */
  readonly #s: Float64Array;

  /**
   * Creates a {@linkcode ContinuousBernoulli}, validating every parameter.
   *
   * @param params `{ logits }` (finite) or `{ probs }` (each in (0, 1)).
   * @throws {TypeError} If neither or both are given, they are not arrays
   *   of numbers, or `params` has another key.
   * @throws {RangeError} If a logit is not finite or a probability is
   *   outside (0, 1).
   */
  constructor(params: ContinuousBernoulliParams) {
    const what = "Cannot construct ContinuousBernoulli";
    ({ logits: this.logits, probs: this.probs } = readOpenLogits(what, params));
    this.#s = this.logits.map((l) => logSinhc(l / 2));
    this.logPartition = this.logits.map((l, j) => l / 2 + this.#s[j]!);
    this.eventSize = this.logits.length;
  }

  #logProbAt(x: ArrayLike<number>, off: number, what: string, name: string): number {
    let s = 0;
    for (let j = 0; j < this.eventSize; j++) {
      const v = x[off + j]!;
      assertNotNaN(what, `${name}[${off + j}]`, v);
      if (!(v >= 0 && v <= 1)) return -Infinity; // outside the support
      // η x − A(η) = η (x − ½) − S(η/2): the η/2 of A taken out exactly.
      s += this.logits[j]! * (v - 0.5) - this.#s[j]!;
    }
    return s;
  }

  /**
   * Σⱼ ηⱼ xⱼ − A(ηⱼ), computed as ηⱼ (xⱼ − ½) − S(ηⱼ/2); −∞ if an entry of x
   * is outside [0, 1].
   *
   * @throws {TypeError} If `x` is not an array of d numbers.
   * @throws {RangeError} If an entry of `x` is NaN.
   */
  logProb(x: ArrayLike<number>): number {
    const what = "Cannot compute ContinuousBernoulli.logProb";
    assertEventLength(what, "x", x, this.eventSize, true);
    return this.#logProbAt(x, 0, what, "x");
  }

  /** log-density of every row of `xs`. */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const d = this.eventSize, o = batchOutput("ContinuousBernoulli", xs, d, out);
    const what = "Cannot compute ContinuousBernoulli.logProbBatch";
    for (let i = 0; i < o.length; i++) o[i] = this.#logProbAt(xs, i * d, what, "xs");
    return o;
  }

  /** x = F⁻¹(u): log1p(u (e^η − 1))/η, as 1 + log(u + (1 − u)e^{−η})/η for η > 0. */
  #draw(j: number, u: number): number {
    const eta = this.logits[j]!;
    if (Math.abs(eta) < 1e-12) return u;
    const x = eta > 0
      ? 1 + Math.log(u + (1 - u) * Math.exp(-eta)) / eta
      : Math.log1p(u * Math.expm1(eta)) / eta;
    return Math.min(1, Math.max(0, x));
  }

  /** One draw in [0, 1]ᵈ, by the inverse CDF. */
  sample(rng: Rng): Float64Array {
    checkRng("ContinuousBernoulli", rng);
    return Float64Array.from({ length: this.eventSize }, (_, j) => this.#draw(j, rng.uniform()));
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const d = this.eventSize;
    checkSampleN("ContinuousBernoulli", rng, n, d);
    return Float64Array.from({ length: n * d }, (_, i) => this.#draw(i % d, rng.uniform()));
  }

  /** ½ + ½ S′(η/2) = 1/(1 − e^{−η}) − 1/η. */
  mean(): Float64Array {
    return this.logits.map((l) => 0.5 + 0.5 * logSinhcPrime(l / 2));
  }

  /** ¼ S″(η/2) = 1/η² − 1/(4 sinh²(η/2)). */
  variance(): Float64Array {
    return this.logits.map((l) => 0.25 * logSinhcSecond(l / 2));
  }

  /** diag(variance). */
  covariance(): Float64Array {
    const d = this.eventSize, v = this.variance(), out = new Float64Array(d * d);
    for (let j = 0; j < d; j++) out[j * d + j] = v[j]!;
    return out;
  }

  /** Σⱼ A(ηⱼ) − ηⱼ E[xⱼ] = Σⱼ S(ηⱼ/2) − (ηⱼ/2) S′(ηⱼ/2) ≤ 0 (the η/2 terms cancel exactly). */
  entropy(): number {
    return this.logits.reduce((h, l) => h + logSinhcEntropy(l / 2), 0);
  }
}
