import type { Bernoulli } from "../distributions/bernoulli.ts";

/**
 * KL between vectors of independent Bernoulli coordinates, from log-
 * probabilities kept in log space (finite for logits up to ±1e300):
 *
 * ```text
 * KL = Σⱼ pⱼ (log pⱼ − log qⱼ) + (1 − pⱼ)(log(1 − pⱼ) − log(1 − qⱼ))
 * ```
 *
 * Terms with pⱼ = 0 (or 1) contribute 0 to the first (second) sum; the KL is
 * +∞ when q puts zero mass where p does not.
 *
 * @param p The first distribution.
 * @param q The second, of the same size.
 * @returns KL(p ‖ q).
 * @throws {TypeError} If the sizes differ.
 *
 * @example
 * ```ts
 * import { Bernoulli, klBernoulli } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const kl = klBernoulli(new Bernoulli({ probs: [0.5] }), new Bernoulli({ probs: [0.25] }));
 * assert.ok(Math.abs(kl - (0.5 * Math.log(2) + 0.5 * Math.log(2 / 3))) < 1e-15);
 * ```
 */
export function klBernoulli(p: Bernoulli, q: Bernoulli): number {
  if (p.eventSize !== q.eventSize) {
    throw new TypeError(
      `Cannot compute klBernoulli as p and q differ in size: p has ${p.eventSize} coordinates, q has ${q.eventSize}`,
    );
  }
  let kl = 0;
  for (let j = 0; j < p.eventSize; j++) {
    const pj = p.probs[j]!, lp = p.logProbs[j]!, l1p = p.log1mProbs[j]!;
    if (pj > 0) kl += pj * (lp - q.logProbs[j]!);
    if (l1p > -Infinity) kl += Math.exp(l1p) * (l1p - q.log1mProbs[j]!);
  }
  return kl;
}
