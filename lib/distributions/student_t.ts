import { HALF_LOG_2PI } from "../math/_constants.ts";
import { digammaRemainder, stirlingRemainder } from "../math/_gamma_series.ts";
import { log1pmx, standardize } from "../math/_stable.ts";
import { assertFinite, assertNotNaN, assertScale, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { logBetaUnchecked } from "../math/special.ts";
import { batchOutput, checkBatchNaN, checkRng, checkSampleN } from "./_batch.ts";
import { sampleLogGamma } from "./_deviance.ts";
import type { UnivariateDistribution } from "./distribution.ts";

/**
 * Student's t distribution with `df` degrees of freedom ν, location μ and
 * scale σ.
 *
 * Mathematical details, with z = (x − μ)/σ:
 *
 * ```text
 * log p(x) = −log B(ν/2, ½) − ½ log ν − log σ − (ν + 1)/2 · log(1 + z²/ν)
 * H        = (ν + 1)/2 · [ψ((ν + 1)/2) − ψ(ν/2)] + ½ log ν + log B(ν/2, ½) + log σ
 * E[X] = μ (ν > 1),   Var[X] = σ² ν/(ν − 2) (ν > 2; +∞ for 1 < ν ≤ 2)
 * x = μ + σ ε / √(G/(ν/2)),   ε ~ N(0, 1),  G ~ Gamma(ν/2, 1)
 * ```
 *
 * log Γ((ν + 1)/2) − log Γ(ν/2) is taken as log Γ(½) − log B(ν/2, ½), and
 * ψ((ν + 1)/2) − ψ(ν/2) as log(1 + 1/ν) + r(ν/2) − r((ν + 1)/2) with
 * r(x) = log x − ψ(x): neither difference cancels for large ν, so the
 * density and entropy tend to the normal's. Given the Gamma draw, a draw is
 * a differentiable function of μ and σ (reparameterized in those two; the
 * Gamma draw is not, in ν).
 *
 * @example
 * ```ts
 * import { StudentT } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const cauchy = new StudentT(1, 0, 1);
 * assert.ok(Math.abs(cauchy.logProb(1) + Math.log(2 * Math.PI)) < 1e-15);
 * assert.throws(() => cauchy.mean(), RangeError);
 * assert.equal(new StudentT(2, 0, 1).variance(), Infinity);
 * ```
 */
export class StudentT implements UnivariateDistribution {
  /** The degrees of freedom ν > 0. */
  readonly df: number;
  /** The location μ. */
  readonly loc: number;
  /** The scale σ > 0. */
  readonly scale: number;
  /** log σ. */
  readonly logScale: number;
  /** Always 1. */
  readonly eventSize: number = 1;
  /** −log B(ν/2, ½) − ½ log ν − log σ, the log-density at the mode. */
  readonly #constant: number;

  /**
   * Creates a {@linkcode StudentT}, validating every parameter.
   *
   * @param df The degrees of freedom ν (finite, ≥ 2⁻¹⁰²²).
   * @param loc The location μ (finite).
   * @param scale The scale σ (finite, ≥ 2⁻¹⁰²²).
   * @throws {TypeError} If an argument is not a number.
   * @throws {RangeError} If `loc` is not finite, or `df` or `scale` is not
   *   finite and > 0, or is subnormal.
   */
  constructor(df: number, loc: number, scale: number) {
    assertScale("Cannot construct StudentT", "df", df);
    assertFinite("Cannot construct StudentT", "loc", loc);
    assertScale("Cannot construct StudentT", "scale", scale);
    this.df = df;
    this.loc = loc;
    this.scale = scale;
    this.logScale = Math.log(scale);
    this.#constant = studentConstant(df) - this.logScale;
  }

  #logProb(x: number): number {
    const nu = this.df, a = Math.abs(standardize(x, this.loc, this.scale)) / Math.sqrt(nu);
    // log(1 + a²), with a² formed only where it cannot overflow
    const l = a < 1e150 ? Math.log1p(a * a) : 2 * Math.log(a);
    return this.#constant - 0.5 * (nu + 1) * l;
  }

  /**
   * log p(x); −∞ at x = ±∞.
   *
   * @throws {TypeError} If `x` is not a number.
   * @throws {RangeError} If `x` is NaN.
   */
  logProb(x: number): number {
    assertNotNaN("Cannot compute StudentT.logProb", "x", x);
    return this.#logProb(x);
  }

  /** log-density of every entry of `xs` (numbers, none NaN). */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const o = batchOutput("StudentT", xs, 1, out, true);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProb(xs[i]!);
    return checkBatchNaN("StudentT", xs, 1, o);
  }

  #draw(rng: Rng): number {
    const half = 0.5 * this.df;
    // ε / √(G/(ν/2)), with G/(ν/2) formed in log space
    const logChi = sampleLogGamma(rng, half, "StudentT") - Math.log(half);
    const z = rng.normal() * Math.exp(-0.5 * logChi);
    // 0 · ∞ only if ε is exactly 0 while the Gamma draw underflows (tiny ν)
    return this.loc + this.scale * (z === z ? z : 0);
  }

  /** One draw μ + σ ε / √(G/(ν/2)). */
  sample(rng: Rng): number {
    checkRng("StudentT", rng);
    return this.#draw(rng);
  }

  /** `n` independent draws. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkSampleN("StudentT", rng, n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#draw(rng);
    return out;
  }

  /**
   * μ, for ν > 1.
   *
   * @throws {RangeError} If ν ≤ 1, where the mean does not exist.
   */
  mean(): number {
    if (!(this.df > 1)) {
      throw new RangeError(
        `Cannot compute StudentT.mean as df must be > 1 for the mean to exist: current value is ${
          show(this.df)
        }`,
      );
    }
    return this.loc;
  }

  /**
   * σ² ν/(ν − 2) for ν > 2, +∞ for 1 < ν ≤ 2.
   *
   * @throws {RangeError} If ν ≤ 1, where the variance does not exist.
   */
  variance(): number {
    const nu = this.df;
    if (!(nu > 1)) {
      throw new RangeError(
        `Cannot compute StudentT.variance as df must be > 1 for the variance to exist: current value is ${
          show(nu)
        }`,
      );
    }
    return nu > 2 ? this.scale * this.scale * (nu / (nu - 2)) : Infinity;
  }

  /** The differential entropy, with no cancellation for large ν. */
  entropy(): number {
    const nu = this.df, half = 0.5 * nu;
    const psiDiff = Math.log1p(1 / nu) + digammaRemainder(half) - digammaRemainder(half + 0.5);
    return 0.5 * (nu + 1) * psiDiff - this.#constant;
  }
}

/**
 * −log B(ν/2, ½) − ½ log ν = log Γ((ν + 1)/2) − log Γ(ν/2) − ½ log(νπ). For
 * ν ≥ 20, by Stirling with x = ν/2 and c the remainder of Stirling's formula,
 *
 * ```text
 * = x (log(1 + 1/(2x)) − 1/(2x)) + c(x + ½) − c(x) − ½ log 2π
 * ```
 *
 * which tends to −½ log 2π with all its digits, where the first form
 * subtracts two terms of size ½ log ν.
 */
function studentConstant(nu: number): number {
  if (nu < 20) return -logBetaUnchecked(0.5 * nu, 0.5) - 0.5 * Math.log(nu);
  const x = 0.5 * nu;
  return x * log1pmx(0.5 / x) + stirlingRemainder(x + 0.5) - stirlingRemainder(x) - HALF_LOG_2PI;
}
