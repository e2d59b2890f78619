// Internal pieces shared by the Gamma, Beta, Dirichlet and Poisson families.
import { log1pmx } from "../math/_stable.ts";
import type { Rng } from "../math/rng.ts";

/**
 * Loader's deviance term bd0(k, λ) = k log(k/λ) + λ − k ≥ 0 (Loader 2000,
 * "Fast and accurate computation of binomial probabilities"): the part of a
 * log-density that cancels when written as a difference of large terms.
 * With w = (λ − k)/k it is −k (log(1 + w) − w), summed as a series for
 * |w| < ½. `logLambda` is log λ, used where λ itself under- or overflows;
 * `lambdaError` is what λ lacks when it is a rounded product (λ + error is
 * the exact one), so that λ − k keeps its digits.
 */
export function bd0(
  k: number,
  lambda: number,
  logLambda: number = Math.log(lambda),
  lambdaError = 0,
): number {
  if (k === 0) return lambda;
  const w = (lambda - k + lambdaError) / k;
  if (Math.abs(w) < 0.5) return -k * log1pmx(w);
  const v = k * (Math.log(k) - logLambda) + lambda - k;
  return v > 0 ? v : 0;
}

/** Rejections in a row after which a sampler gives up on a random source. */
const MAX_REJECTIONS = 10000;

function rejected(what: string): never {
  throw new RangeError(
    `Cannot draw a sample from ${what} as rng gave ${MAX_REJECTIONS} rejections in a row: it does not behave like a source of uniform random numbers`,
  );
}

/**
 * log G for G ~ Gamma(α, 1), by Marsaglia & Tsang (2000) with the boost
 * G_α = G_{α+1} U^{1/α} for α < 1, kept in log space so that a tiny α (whose
 * draws underflow) still gives a finite log-draw. With d = α − ⅓,
 * c = 1/√(9d), v = (1 + c x)³, x ~ N(0, 1), a draw d v is accepted when
 *
 * ```text
 * log u < ½ x² + d (1 − v + log v)
 * ```
 *
 * whose right side is formed as ½ x² + d · log1pmx(v − 1), so that it keeps
 * its digits for huge α.
 */
export function sampleLogGamma(rng: Rng, alpha: number, what: string): number {
  let boost = 0;
  if (alpha < 1) {
    boost = Math.log(1 - rng.uniform()) / alpha;
    alpha += 1;
  }
  const d = alpha - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    const x = rng.normal(), cx = c * x, t = 1 + cx;
    if (!(t > 0)) continue;
    const u = rng.uniform(), x2 = x * x;
    const logV = 3 * Math.log1p(cx);
    // Squeeze first, then the exact test.
    if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * log1pmx(cx * (t * t + t + 1))) {
      return Math.log(d) + logV + boost;
    }
  }
  return rejected(what);
}

const SPLIT = 134217729; // 2²⁷ + 1

/**
 * The rounding error of the product p = fl(a · b): a · b − p exactly (Dekker
 * 1971, without a fused multiply-add), for |a|, |b| < 2⁹⁹⁶; 0 otherwise.
 */
export function productError(a: number, b: number, p: number): number {
  if (!(Math.abs(a) < 2 ** 996 && Math.abs(b) < 2 ** 996 && Number.isFinite(p))) return 0;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
