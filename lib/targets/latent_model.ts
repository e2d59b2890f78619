import type { DiagNormal } from "../distributions/diag_normal.ts";
import type { Distribution } from "../distributions/distribution.ts";
import type { MultivariateNormal } from "../distributions/multivariate_normal.ts";

/** The Gaussian families the estimators fit: independent or full covariance. */
export type GaussianFamily = DiagNormal | MultivariateNormal;

/**
 * A latent-variable model p(x, z) with a real latent vector z of
 * `latentSize` coordinates, as the estimators see it.
 *
 * `logJoint` is all that Monte Carlo ELBO and importance weighting need;
 * the optional members unlock the other estimators: `gradLogJoint` the
 * pathwise gradients, `prior` and `logLikelihood` the analytic-KL ELBO,
 * `expectedLogLikelihood` the exact ELBO, `logEvidence` and `posterior` the
 * exact checks of the identities.
 */
export interface LatentModel<X = Float64Array> {
  /** K, the number of latent coordinates. */
  readonly latentSize: number;
  /** log p(x, z). */
  logJoint(x: X, z: ArrayLike<number>): number;
  /** ∇_z log p(x, z). */
  gradLogJoint?(x: X, z: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** p(z), when log p(x, z) = log p(x | z) + log p(z) with a distribution p(z). */
  readonly prior?: Distribution<ArrayLike<number>, Float64Array>;
  /** log p(x | z). */
  logLikelihood?(x: X, z: ArrayLike<number>): number;
  /** E_q[log p(x | z)] in closed form, for a Gaussian q. */
  expectedLogLikelihood?(x: X, q: GaussianFamily): number;
  /** log p(x), exactly. */
  logEvidence?(x: X): number;
  /** p(z | x), exactly. */
  posterior?(x: X): MultivariateNormal;
}
