import { tf } from "../_tf.ts";
import { expm1MinusX, log } from "../_stable.ts";
import { lowerMask, solveLowerTriangular } from "../distributions/_linalg.ts";
import { DiagNormal } from "../distributions/diag_normal.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { Normal } from "../distributions/normal.ts";
import { checkPair, sameEvent } from "./_check.ts";

/**
 * KL between univariate Gaussians per coordinate, with Δ = log σ₀ − log σ₁
 * and f(t) = eᵗ − 1 − t computed without cancellation (so the KL of
 * near-identical Gaussians is accurate, and never negative):
 *
 * ```text
 * KL = ½ ((μ₀ − μ₁)/σ₁)² + ½ f(2Δ)
 * ```
 */
function klUnivariate(
  loc0: tf.Tensor,
  logScale0: tf.Tensor,
  loc1: tf.Tensor,
  scale1: tf.Tensor,
  logScale1: tf.Tensor,
): tf.Tensor {
  const delta = tf.sub(logScale0, logScale1);
  const z = tf.div(tf.sub(loc0, loc1), scale1);
  return tf.mul(0.5, tf.add(tf.square(z), expm1MinusX(tf.mul(2, delta))));
}

/**
 * KL(N(μ₀, σ₀²) ‖ N(μ₁, σ₁²)) elementwise over the broadcast batch: the
 * tensor twin of the core's `klNormal`.
 *
 * ```text
 * KL = ½ ((μ₀ − μ₁)/σ₁)² + ½ f(2Δ),   Δ = log σ₀ − log σ₁,   f(t) = eᵗ − 1 − t
 * ```
 *
 * @param p N(μ₀, σ₀²).
 * @param q N(μ₁, σ₁²).
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a Normal of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 */
export function klNormal(p: Normal, q: Normal): tf.Tensor {
  checkPair("klNormal", p, q, [[Normal], [Normal]]);
  return tf.tidy(() => klUnivariate(p.loc, p.logScale, q.loc, q.scale, q.logScale));
}

/**
 * KL between diagonal Gaussians: the sum over the event axis of
 * {@linkcode klNormal}'s terms; the twin of the core's `klDiagNormal`.
 *
 * @param p N(μ₀, diag σ₀²).
 * @param q N(μ₁, diag σ₁²).
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a DiagNormal of this module (or is disposed), or their
 *   batch shapes do not broadcast.
 */
export function klDiagNormal(p: DiagNormal, q: DiagNormal): tf.Tensor {
  checkPair("klDiagNormal", p, q, [[DiagNormal], [DiagNormal]]);
  sameEvent("klDiagNormal", p, q);
  return tf.tidy(() => tf.sum(klUnivariate(p.loc, p.logScale, q.loc, q.scale, q.logScale), -1));
}

/** L of a Gaussian with a diagonal or full scale, `[..., d, d]`. */
function trilOf(p: DiagNormal | MultivariateNormal): tf.Tensor {
  if (p instanceof MultivariateNormal) return p.scaleTril;
  const d = p.eventShape[0]!;
  return tf.mul(tf.expandDims(p.scale, -1), tf.eye(d));
}

/**
 * KL between full-covariance Gaussians from their Cholesky factors L₀, L₁
 * (either side may be a {@linkcode DiagNormal}); the twin of the core's
 * `klMultivariateNormal`, in the same form: with M = L₁⁻¹ L₀ (lower
 * triangular, Mᵢᵢ = e^{Δᵢ}, Δᵢ = log L₀ᵢᵢ − log L₁ᵢᵢ), the trace, the −d and
 * the log-determinants combine into terms that are each ≥ 0, so rounding
 * cannot make the result negative:
 *
 * ```text
 * KL = ½ [ Σᵢ f(2Δᵢ) + Σᵢ>ⱼ Mᵢⱼ² + ‖L₁⁻¹ (μ₁ − μ₀)‖² ],   f(t) = eᵗ − 1 − t
 * ```
 *
 * @param p N₀.
 * @param q N₁.
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a MultivariateNormal or DiagNormal of this module (or is
 *   disposed), or their batch shapes do not broadcast.
 */
export function klMultivariateNormal(
  p: MultivariateNormal | DiagNormal,
  q: MultivariateNormal | DiagNormal,
): tf.Tensor {
  const gaussians = [MultivariateNormal, DiagNormal];
  checkPair("klMultivariateNormal", p, q, [gaussians, gaussians]);
  sameEvent("klMultivariateNormal", p, q);
  if (p instanceof DiagNormal && q instanceof DiagNormal) return klDiagNormal(p, q);
  return tf.tidy(() => {
    const d = p.eventShape[0]!, eye = tf.eye(d);
    const L0 = trilOf(p), L1 = trilOf(q);
    const M = solveLowerTriangular(L1, L0);
    const below = tf.sum(tf.square(tf.mul(M, tf.sub(lowerMask(d), eye))), [-2, -1]);
    const logDiagonal = (L: tf.Tensor) => log(tf.sum(tf.mul(L, eye), -1));
    const delta = tf.sub(logDiagonal(L0), logDiagonal(L1));
    const diagonal = tf.sum(expm1MinusX(tf.mul(2, delta)), -1);
    const diff = tf.expandDims(tf.sub(q.loc, p.loc), -1);
    const maha = tf.sum(tf.square(solveLowerTriangular(L1, diff)), [-2, -1]);
    return tf.mul(0.5, tf.add(tf.add(diagonal, below), maha));
  });
}
