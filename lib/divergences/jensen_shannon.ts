import type { Distribution } from "../distributions/distribution.ts";
import { logAddExp } from "../math/log_sum_exp.ts";
import { type Estimate, meanAndStandardError } from "../math/mean_and_standard_error.ts";
import { checkMonteCarlo, logRatioTerm, type MonteCarloOptions } from "./kl_monte_carlo.ts";

/**
 * The Jensen–Shannon divergence (Lin 1991), by Monte Carlo with `samples`
 * draws from each of p and q:
 *
 * ```text
 * JSD(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m),   m = (p + q)/2
 * log m(x)  = logaddexp(log p(x), log q(x)) − log 2
 * ```
 *
 * JSD is symmetric and lies in [0, log 2]; each Monte Carlo term is at most
 * log 2, so the estimate can fall below 0 only by sampling noise.
 *
 * @param p The first distribution.
 * @param q The second, of the same event size.
 * @param options `samples` (draws from each) and `rng`.
 * @returns The estimate and its standard error.
 * @throws {TypeError} If an argument is not a distribution or sizes differ,
 *   `rng` is not an Rng, or `options` has a key other than these.
 * @throws {RangeError} If `samples` is not an integer ≥ 2, or so large that
 *   the draws would not fit in one array of 2²⁷ values.
 *
 * @example
 * ```ts
 * import { createRng, jensenShannon, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * // Far apart: close to log 2.
 * const { value } = jensenShannon(new Normal(-50, 1), new Normal(50, 1), { samples: 1000, rng: createRng(3) });
 * assert.ok(Math.abs(value - Math.LN2) < 1e-9);
 * ```
 */
export function jensenShannon(
  p: Distribution,
  q: Distribution,
  options: MonteCarloOptions,
): Estimate {
  const { samples, rng } = checkMonteCarlo("jensenShannon", p, q, options);
  // Each half is a Monte Carlo KL(· ‖ m); the two are independent, so their
  // standard errors add in quadrature.
  const half = (a: Distribution, b: Distribution): Estimate => {
    const xs = a.sampleN(rng, samples);
    const la = a.logProbBatch(xs), lb = b.logProbBatch(xs);
    for (let i = 0; i < la.length; i++) {
      la[i] = logRatioTerm("jensenShannon", la[i]!, logAddExp(la[i]!, lb[i]!) - Math.LN2, i);
    }
    return meanAndStandardError(la);
  };
  const a = half(p, q), b = half(q, p);
  return {
    value: 0.5 * (a.value + b.value),
    standardError: 0.5 * Math.hypot(a.standardError, b.standardError),
  };
}
