import { HALF_LOG_2PI } from "../math/_constants.ts";
import {
  assertCount,
  assertEventLength,
  toFiniteVector,
  toSquareMatrix,
} from "../math/_validate.ts";
import { cholesky, type MatrixLike } from "../math/cholesky.ts";
import { backSubstituteTransposed, forwardSubstitute } from "../math/triangular_solve.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkRng, checkSampleN, outVector } from "./_batch.ts";
import type { MultivariateDistribution } from "./distribution.ts";
import {
  checkFinite,
  checkScaleTril,
  rowSquares,
  shiftScale,
  timesTranspose,
} from "./_scale_tril.ts";

/**
 * The full-covariance Gaussian N(μ, Σ), held through the lower Cholesky
 * factor L of Σ = L Lᵀ.
 *
 * Mathematical details:
 *
 * ```text
 * log N(x; μ, Σ) = −(d/2) log 2π − Σᵢ log Lᵢᵢ − ½ ‖L⁻¹(x − μ)‖²
 * H[N(μ, Σ)]     = (d/2)(1 + log 2π) + Σᵢ log Lᵢᵢ
 * x = μ + L ε,  ε ~ N(0, I)       (reparameterization)
 * ```
 *
 * @example
 * ```ts
 * import { MultivariateNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = MultivariateNormal.fromCovariance([0, 0], [[4, 2], [2, 5]]);
 * assert.deepEqual(Array.from(p.scaleTril), [2, 0, 1, 2]);
 * assert.deepEqual(Array.from(p.covariance()), [4, 2, 2, 5]);
 * ```
 */
export class MultivariateNormal implements MultivariateDistribution {
  /** The mean μ. */
  readonly loc: Float64Array;
  /** L, lower triangular with positive diagonal, flat row-major d × d. */
  readonly scaleTril: Float64Array;
  /** d. */
  readonly eventSize: number;
  #logNorm: number;
  #work: Float64Array;

  /**
   * Creates a {@linkcode MultivariateNormal}, validating every parameter.
   *
   * Builds N(loc, L Lᵀ) from a lower Cholesky factor; same as
   * {@linkcode MultivariateNormal.fromScaleTril}.
   *
   * @param loc The mean μ (finite values).
   * @param scaleTril L: lower triangular, finite, diagonal ≥ 2⁻¹⁰²² (positive,
   *   not subnormal); rows or flat row-major.
   * @throws {TypeError} If the shapes do not match or an entry is not a number.
   * @throws {RangeError} If a value is not finite, L has a non-zero entry
   *   above the diagonal, or a diagonal entry that is not > 0.
   */
  constructor(loc: ArrayLike<number>, scaleTril: MatrixLike) {
    const what = "Cannot construct MultivariateNormal";
    this.loc = toFiniteVector(what, "loc", loc);
    const d = this.loc.length;
    assertCount(what, "loc.length", d, 1, d);
    const { L, logDiag } = checkScaleTril(what, scaleTril, d);
    this.scaleTril = L;
    this.eventSize = d;
    this.#logNorm = -d * HALF_LOG_2PI - logDiag;
    this.#work = new Float64Array(d);
  }

  /**
   * Builds N(loc, covariance) by factorising the covariance.
   *
   * @param loc The mean.
   * @param covariance Σ, symmetric positive definite (rows or flat row-major).
   * @returns The distribution.
   * @throws {RangeError} If Σ is not symmetric positive definite (the message
   *   gives the pivot where the factorisation broke) or not finite.
   * @throws {TypeError} If the shapes do not match.
   */
  static fromCovariance(loc: ArrayLike<number>, covariance: MatrixLike): MultivariateNormal {
    const what = "Cannot construct MultivariateNormal";
    const d = toFiniteVector(what, "loc", loc).length;
    assertCount(what, "loc.length", d, 1, d);
    const sigma = toSquareMatrix(what, "covariance", covariance, d, `loc has ${d} entries`);
    let L: Float64Array;
    try {
      L = cholesky(sigma);
    } catch (e) {
      throw new RangeError(
        `${what} as covariance is invalid: ${(e as Error).message}`,
      );
    }
    return new MultivariateNormal(loc, L);
  }

  /**
   * Builds N(loc, L Lᵀ) from a lower Cholesky factor L.
   *
   * @param loc The mean.
   * @param scaleTril L (see the constructor).
   * @returns The distribution.
   */
  static fromScaleTril(loc: ArrayLike<number>, scaleTril: MatrixLike): MultivariateNormal {
    return new MultivariateNormal(loc, scaleTril);
  }

  /**
   * log N(x; μ, Σ), by one triangular solve; −∞ where a coordinate is ±∞.
   *
   * @throws {TypeError} If `x` is not an array of d numbers.
   * @throws {RangeError} If an entry of `x` is NaN.
   */
  logProb(x: ArrayLike<number>): number {
    assertEventLength("Cannot compute MultivariateNormal.logProb", "x", x, this.eventSize, true);
    return this.#logProbAt(x, 0);
  }

  #logProbAt(xs: ArrayLike<number>, off: number): number {
    const d = this.eventSize, y = this.#work, mu = this.loc;
    // v = x − μ, halved (and q scaled back by 4) if a difference overflows;
    // an infinite coordinate has density 0.
    let half = 1;
    for (let i = 0; i < d; i++) {
      const v = xs[off + i]! - mu[i]!;
      if (!Number.isFinite(v)) {
        if (!Number.isFinite(xs[off + i]!)) return -Infinity;
        half = 0.5;
      }
    }
    for (let i = 0; i < d; i++) y[i] = half * xs[off + i]! - half * mu[i]!;
    forwardSubstitute(this.scaleTril, y, d, y);
    let q = 0;
    for (let i = 0; i < d; i++) q += y[i]! * y[i]!;
    // q = ∞ (an overflowed yᵢ) is a density that underflows: log p = −∞.
    return q === Infinity ? -Infinity : this.#logNorm - (0.5 / (half * half)) * q;
  }

  /** log-density of every row of `xs`, reusing one work vector. */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const d = this.eventSize;
    const o = batchOutput("MultivariateNormal", xs, d, out);
    for (let i = 0; i < o.length; i++) o[i] = this.#logProbAt(xs, i * d);
    return o;
  }

  /**
   * ∇ₓ log N(x; μ, Σ) = −Σ⁻¹(x − μ) = −L⁻ᵀ L⁻¹ (x − μ).
   *
   * @param x A point of length d (finite).
   * @param out Where to write (a Float64Array of length d; a new one by default).
   * @returns The gradient.
   * @throws {TypeError} If `x` or `out` has the wrong type or length.
   * @throws {RangeError} If an entry of `x` is not finite, or the gradient
   *   overflows float64.
   */
  gradLogProb(x: ArrayLike<number>, out?: Float64Array): Float64Array {
    const what = "Cannot compute MultivariateNormal.gradLogProb";
    assertEventLength(what, "x", x, this.eventSize);
    const d = this.eventSize, o = outVector(what, out, d), v = new Float64Array(d);
    for (let i = 0; i < d; i++) v[i] = x[i]! - this.loc[i]!;
    backSubstituteTransposed(this.scaleTril, forwardSubstitute(this.scaleTril, v, d, v), d, o);
    for (let i = 0; i < d; i++) o[i] = -o[i]!;
    return checkFinite(what, "the gradient at this x", o);
  }

  /**
   * The reparameterization map ε ↦ μ + L ε.
   *
   * @param epsilon Standard-normal noise of length d (finite).
   * @param out Where to write (a Float64Array of length d, not `epsilon`;
   *   a new one by default).
   * @returns μ + L ε.
   * @throws {TypeError} If `epsilon` or `out` has the wrong type or length.
   * @throws {RangeError} If an entry of `epsilon` is not finite, or μ + L ε
   *   overflows float64.
   */
  reparameterize(epsilon: ArrayLike<number>, out?: Float64Array): Float64Array {
    const what = "Cannot compute MultivariateNormal.reparameterize";
    assertEventLength(what, "epsilon", epsilon, this.eventSize);
    const o = outVector(what, out, this.eventSize);
    return checkFinite(what, "μ + L epsilon", this.#transform(epsilon, o));
  }

  #transform(epsilon: ArrayLike<number>, out: Float64Array): Float64Array {
    return shiftScale(this.loc, this.scaleTril, epsilon, out);
  }

  /** One draw μ + L ε. */
  sample(rng: Rng): Float64Array {
    checkRng("MultivariateNormal", rng);
    const d = this.eventSize;
    const x = this.#transform(rng.fillNormal(new Float64Array(d)), new Float64Array(d));
    return checkFinite("Cannot draw a sample from MultivariateNormal", "μ + L ε", x);
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    const d = this.eventSize;
    checkSampleN("MultivariateNormal", rng, n, d);
    const out = new Float64Array(n * d);
    const eps = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      this.#transform(rng.fillNormal(eps), out.subarray(i * d, (i + 1) * d));
    }
    return checkFinite("Cannot draw samples from MultivariateNormal", "μ + L ε", out);
  }

  /** μ. */
  mean(): Float64Array {
    return this.loc.slice();
  }

  /** The diagonal of Σ. */
  variance(): Float64Array {
    return rowSquares(this.scaleTril, this.eventSize);
  }

  /** Σ = L Lᵀ, flat row-major. */
  covariance(): Float64Array {
    return timesTranspose(this.scaleTril, this.eventSize);
  }

  /** (d/2)(1 + log 2π) + Σ log Lᵢᵢ. */
  entropy(): number {
    return 0.5 * this.eventSize - this.#logNorm;
  }

  /**
   * L⁻¹ v, a helper for divergences and estimators.
   *
   * @param v A vector of length d (finite).
   * @param out Where to write (a Float64Array of length d; a new one by default).
   * @returns L⁻¹ v.
   * @throws {TypeError} If `v` or `out` has the wrong type or length.
   * @throws {RangeError} If an entry of `v` is not finite, or L⁻¹ v overflows.
   */
  whiten(v: ArrayLike<number>, out?: Float64Array): Float64Array {
    const what = "Cannot compute MultivariateNormal.whiten";
    assertEventLength(what, "v", v, this.eventSize);
    const o = outVector(what, out, this.eventSize);
    return checkFinite(
      what,
      "L⁻¹ v for this v",
      forwardSubstitute(this.scaleTril, v, this.eventSize, o),
    );
  }
}
