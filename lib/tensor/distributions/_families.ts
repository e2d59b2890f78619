// Internal pieces shared by the tensor twins of Gamma, Beta, Dirichlet,
// Poisson and StudentT: Loader's deviance term and log-Gamma draws made on
// the device. Among tfjs's comparisons only greaterEqual has a gradient, so
// every condition on a differentiable path is an a ≥ b with the branches in
// that order; draws run inside `detached`, where no gradient is taken.
import { tf } from "../_tf.ts";
import { log, log1p, log1pmx } from "../_stable.ts";
import { deriveSeed } from "../../math/rng.ts";

/**
 * Loader's deviance term bd0(k, λ) = k log(k/λ) + λ − k ≥ 0 (Loader 2000),
 * the part of a log-density that cancels when written as a difference of
 * large terms: −k log1pmx((λ − k)/k) for |λ − k| < k/2, the direct form
 * (clamped at 0, as the core does) beyond. k > 0.
 */
export function bd0(k: tf.Tensor, lambda: tf.Tensor, logLambda: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const w = tf.div(tf.sub(lambda, k), k);
    const near = tf.neg(tf.mul(k, log1pmx(tf.clipByValue(w, -0.5, 0.5))));
    const far = tf.relu(tf.add(tf.mul(k, tf.sub(log(k), logLambda)), tf.sub(lambda, k)));
    return tf.where(tf.greaterEqual(tf.abs(w), 0.5), far, near);
  });
}

/**
 * Runs `f` on `inputs` as one node of the gradient tape whose gradient is
 * zero: for draws that are not reparameterized, so that a gradient taken
 * through them (a score-function objective, say) neither fails on the
 * comparisons inside nor flows anywhere.
 */
export function detached(inputs: tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor): tf.Tensor {
  const shapes = inputs.map((x) => x.shape);
  const g = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: f(...(args.slice(0, inputs.length) as tf.Tensor[])),
    gradFunc: () => shapes.map((s) => tf.zeros(s)),
  })) as (...xs: tf.Tensor[]) => tf.Tensor;
  return g(...inputs);
}

/**
 * The smallest normal float32 and the largest float32 below 1: draws of the
 * positive and unit-interval families are kept within them, so that a draw
 * that rounds to 0 or 1 in float32 (tiny concentrations) still has a finite
 * log-density, as it has in exact arithmetic.
 */
export const TINY = 2 ** -126, BELOW_ONE = 1 - 2 ** -24;

/** Rounds of Marsaglia–Tsang proposals drawn per log-Gamma draw. */
const GAMMA_ROUNDS = 8;

/**
 * log G for G ~ Gamma(α, 1), `shape` (α broadcast to it), drawn on the
 * device by Marsaglia & Tsang's (2000) method as the core draws it
 * (lib/distributions/_deviance.ts), with the boost G_α = G_{α+1} U^{1/α}
 * for α < 1 kept in log space. With d = α − ⅓, c = 1/√(9d), v = (1 + c x)³
 * and x ~ N(0, 1), a proposal d v is accepted when
 *
 * ```text
 * log u < ½ x² + d (1 − v + log v)
 * ```
 *
 * Each draw makes 8 proposals at once and keeps the first accepted; each is
 * accepted with probability > 0.95, so all 8 fail less than once in 10¹⁰
 * draws, and such a draw is d. Not differentiable: call it inside
 * {@linkcode detached}.
 */
export function sampleLogGamma(alpha: tf.Tensor, shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.broadcastTo(alpha, shape), small = tf.less(a, 1);
    const d = tf.sub(tf.where(small, tf.add(a, 1), a), 1 / 3), c = tf.rsqrt(tf.mul(9, d));
    const logD = log(d);
    let out = logD;
    for (let r = GAMMA_ROUNDS - 1; r >= 0; r--) {
      const x = tf.randomNormal(shape, 0, 1, "float32", deriveSeed(seed, r, 0));
      const u = tf.randomUniform(shape, 0, 1, "float32", deriveSeed(seed, r, 1));
      const cx = tf.mul(c, x), t = tf.add(1, cx);
      // v − 1 = c x (t² + t + 1); ½ x² + d · log1pmx(v − 1) keeps its digits for huge α.
      const vm1 = tf.mul(cx, tf.add(tf.add(tf.square(t), t), 1));
      const bound = tf.add(tf.mul(0.5, tf.square(x)), tf.mul(d, log1pmx(tf.maximum(vm1, -0.999))));
      const accept = tf.logicalAnd(tf.greater(t, 0), tf.less(log(u), bound));
      const logV = tf.mul(3, log1p(tf.maximum(cx, -0.999)));
      out = tf.where(accept, tf.add(logD, logV), out);
    }
    const boostU = tf.randomUniform(shape, 0, 1, "float32", deriveSeed(seed, GAMMA_ROUNDS));
    const boost = tf.div(log1p(tf.neg(boostU)), a);
    return tf.add(out, tf.where(small, boost, tf.zerosLike(boost)));
  });
}
