import type { Rng } from "../math/rng.ts";

/**
 * What every float64 distribution of the package offers. Points of a
 * univariate distribution are numbers (`X = number`); points of a
 * multivariate one are arrays of `eventSize` coordinates.
 *
 * The batched methods work on flat `Float64Array`s with one row of
 * `eventSize` values per point, and are what generic code (Monte Carlo KL,
 * mixtures, estimators) uses.
 */
export interface Distribution<X = number | ArrayLike<number>, S = number | Float64Array> {
  /** Number of coordinates of one point: 1 for univariate distributions. */
  readonly eventSize: number;
  /** log-density (or log-mass) at `x`. */
  logProb(x: X): number;
  /**
   * log-densities of many points: `xs` holds one row of `eventSize` values per
   * point; writes into `out` (length = number of points) without allocating
   * per point, and returns it.
   */
  logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** One draw. */
  sample(rng: Rng): S;
  /** `n` draws, flat: one row of `eventSize` values per draw. */
  sampleN(rng: Rng, n: number): Float64Array;
  /** The mean. */
  mean(): S;
  /** The variance (per coordinate for multivariate distributions). */
  variance(): S;
  /** The differential entropy −E[log p(X)], where it has a closed form. */
  entropy(): number;
  /** ∇ₓ log p(x), where the distribution provides it (Gaussians, their mixtures). */
  gradLogProb?(x: X): S;
  /** The covariance matrix (flat row-major), for multivariate distributions. */
  covariance?(): Float64Array;
}

/** A distribution over the reals. */
export type UnivariateDistribution = Distribution<number, number>;
/** A distribution over vectors of `eventSize` coordinates. */
export type MultivariateDistribution = Distribution<ArrayLike<number>, Float64Array>;
