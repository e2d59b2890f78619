import { ContinuousBernoulli, logSinhcBregman } from "../distributions/continuous_bernoulli.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(p ‖ q) between continuous Bernoullis of the same length, in closed
 * form. An exponential family in η with log-partition A(η) = η/2 + S(η/2),
 * S(u) = log(sinh u / u), so the KL is the Bregman divergence of A, and the
 * linear part cancels exactly:
 *
 * ```text
 * KL = Σⱼ A(η_qj) − A(η_pj) − (η_qj − η_pj) A′(η_pj) = Σⱼ D_S(η_qj/2, η_pj/2)
 * D_S(b, a) = S(b) − S(a) − (b − a) S′(a) = (b − a)² ∫₀¹ (1 − s) S″(a + s(b − a)) ds
 * ```
 *
 * The integral form (12-point Gauss–Legendre) keeps near-identical pairs to
 * full relative precision, where the difference form cancels.
 *
 * @param p A continuous Bernoulli.
 * @param q One of the same event size.
 * @returns KL(p ‖ q) ≥ 0 (0 for equal logits).
 * @throws {TypeError} If p or q is not a ContinuousBernoulli, or their sizes differ.
 *
 * @example
 * ```ts
 * import { ContinuousBernoulli, klContinuousBernoulli } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = new ContinuousBernoulli({ probs: [0.5] }), q = new ContinuousBernoulli({ probs: [0.5 + 1e-9] });
 * assert.ok(klContinuousBernoulli(p, q) > 0 && klContinuousBernoulli(p, q) < 1e-17);
 * ```
 */
export function klContinuousBernoulli(p: ContinuousBernoulli, q: ContinuousBernoulli): number {
  checkPair("klContinuousBernoulli", p, q, [ContinuousBernoulli]);
  let kl = 0;
  for (let j = 0; j < p.eventSize; j++) {
    kl += logSinhcBregman(q.logits[j]! / 2, p.logits[j]! / 2);
  }
  return kl;
}
