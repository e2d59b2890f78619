import { HALF_LOG_2PI } from "../math/_constants.ts";
import { assertEventLength, show, toFiniteVector, toSquareMatrix } from "../math/_validate.ts";
import {
  cholesky,
  type MatrixLike,
  solveLowerTriangular,
  solveUpperTriangularTransposed,
} from "../math/cholesky.ts";
import type { Rng } from "../math/rng.ts";
import { batchOutput, checkCount } from "./_batch.ts";
import type { MultivariateDistribution } from "./distribution.ts";

/**
 * The full-covariance Gaussian N(μ, Σ), held through the lower Cholesky
 * factor L of Σ = L Lᵀ (MATH.md §1, seeds 000 and 002).
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
   * @param scaleTril L: lower triangular, finite, positive diagonal; rows or
   *   flat row-major.
   * @throws {TypeError} If the shapes do not match.
   * @throws {RangeError} If a value is not finite, L has a non-zero entry
   *   above the diagonal, or a diagonal entry that is not > 0.
   */
  constructor(loc: ArrayLike<number>, scaleTril: MatrixLike) {
    const what = "Cannot construct MultivariateNormal";
    this.loc = toFiniteVector(what, "loc", loc);
    const d = this.loc.length;
    const L = toSquareMatrix(what, "scaleTril", scaleTril, d);
    let logDiag = 0;
    for (let i = 0; i < d; i++) {
      const lii = L[i * d + i]!;
      if (!(lii > 0)) {
        throw new RangeError(
          `${what} as scaleTril[${i}][${i}] must be > 0: current value is ${show(lii)}`,
        );
      }
      logDiag += Math.log(lii);
      for (let j = i + 1; j < d; j++) {
        if (L[i * d + j] !== 0) {
          throw new RangeError(
            `${what} as scaleTril must be lower triangular: scaleTril[${i}][${j}] is ${
              show(L[i * d + j])
            }`,
          );
        }
      }
    }
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
    const d = toFiniteVector("Cannot construct MultivariateNormal", "loc", loc).length;
    const sigma = toSquareMatrix(
      "Cannot construct MultivariateNormal",
      "covariance",
      covariance,
      d,
    );
    let L: Float64Array;
    try {
      L = cholesky(sigma);
    } catch (e) {
      throw new RangeError(
        `Cannot construct MultivariateNormal as covariance is invalid: ${(e as Error).message}`,
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

  /** log N(x; μ, Σ), by one triangular solve. */
  logProb(x: ArrayLike<number>): number {
    assertEventLength("MultivariateNormal.logProb", "x", x, this.eventSize);
    return this.#logProbAt(x, 0);
  }

  #logProbAt(xs: ArrayLike<number>, off: number): number {
    const d = this.eventSize, L = this.scaleTril, y = this.#work, mu = this.loc;
    let q = 0;
    for (let i = 0; i < d; i++) {
      let s = xs[off + i]! - mu[i]!;
      const row = i * d;
      for (let k = 0; k < i; k++) s -= L[row + k]! * y[k]!;
      const yi = s / L[row + i]!;
      y[i] = yi;
      q += yi * yi;
    }
    return this.#logNorm - 0.5 * q;
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
   * @param x A point of length d.
   * @param out Where to write (a new array by default).
   * @returns The gradient.
   */
  gradLogProb(
    x: ArrayLike<number>,
    out: Float64Array = new Float64Array(this.eventSize),
  ): Float64Array {
    assertEventLength("MultivariateNormal.gradLogProb", "x", x, this.eventSize);
    const d = this.eventSize, v = new Float64Array(d);
    for (let i = 0; i < d; i++) v[i] = x[i]! - this.loc[i]!;
    solveUpperTriangularTransposed(this.scaleTril, solveLowerTriangular(this.scaleTril, v, v), out);
    for (let i = 0; i < d; i++) out[i] = -out[i]!;
    return out;
  }

  /**
   * The reparameterization map ε ↦ μ + L ε.
   *
   * @param epsilon Standard-normal noise of length d.
   * @param out Where to write (a new array by default; not `epsilon`).
   * @returns μ + L ε.
   */
  reparameterize(
    epsilon: ArrayLike<number>,
    out: Float64Array = new Float64Array(this.eventSize),
  ): Float64Array {
    assertEventLength("MultivariateNormal.reparameterize", "epsilon", epsilon, this.eventSize);
    const d = this.eventSize, L = this.scaleTril;
    for (let i = 0; i < d; i++) {
      let s = this.loc[i]!;
      for (let k = 0; k <= i; k++) s += L[i * d + k]! * epsilon[k]!;
      out[i] = s;
    }
    return out;
  }

  /** One draw μ + L ε. */
  sample(rng: Rng): Float64Array {
    return this.reparameterize(rng.fillNormal(new Float64Array(this.eventSize)));
  }

  /** `n` draws, one row each. */
  sampleN(rng: Rng, n: number): Float64Array {
    checkCount("MultivariateNormal", n);
    const d = this.eventSize;
    const out = new Float64Array(n * d);
    const eps = new Float64Array(d), row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      this.reparameterize(rng.fillNormal(eps), row);
      out.set(row, i * d);
    }
    return out;
  }

  /** μ. */
  mean(): Float64Array {
    return this.loc.slice();
  }

  /** The diagonal of Σ. */
  variance(): Float64Array {
    const d = this.eventSize, L = this.scaleTril, out = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k <= i; k++) s += L[i * d + k]! ** 2;
      out[i] = s;
    }
    return out;
  }

  /** Σ = L Lᵀ, flat row-major. */
  covariance(): Float64Array {
    const d = this.eventSize, L = this.scaleTril, out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += L[i * d + k]! * L[j * d + k]!;
        out[i * d + j] = s;
        out[j * d + i] = s;
      }
    }
    return out;
  }

  /** (d/2)(1 + log 2π) + Σ log Lᵢᵢ. */
  entropy(): number {
    return 0.5 * this.eventSize - this.#logNorm;
  }

  /** L⁻¹ v, a helper for divergences and estimators. */
  whiten(v: ArrayLike<number>, out?: Float64Array): Float64Array {
    assertEventLength("MultivariateNormal.whiten", "v", v, this.eventSize);
    return solveLowerTriangular(this.scaleTril, v, out);
  }
}
