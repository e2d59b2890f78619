import { Bernoulli } from "../distributions/bernoulli.ts";
import { expm1mx, log1pmx, logRatio } from "../math/_stable.ts";
import { checkPair } from "./_check.ts";

/**
 * KL between vectors of independent Bernoulli coordinates, in logits
 * a = logit p, b = logit q. Per coordinate it is the Bregman divergence of
 * softplus (so it is ≥ 0 term by term); with δ = b − a and, by the symmetry
 * KL(p ‖ q) = KL(1 − p ‖ 1 − q), s = min(p, 1 − p) and Δ = ±δ to match:
 *
 * ```text
 * KL = softplus(b) − softplus(a) − σ(a) (b − a)
 *    = log(1 + s (e^Δ − 1)) − s Δ
 *    = [log(1 + y) − y] + s [e^Δ − 1 − Δ],   y = s (e^Δ − 1)      (|Δ| < 1)
 * ```
 *
 * For |Δ| < 1 the two bracketed terms, each summed as a series where small,
 * cannot cancel by more than a digit (s ≤ ½); for |Δ| ≥ 1 the first line is
 * used, with softplus(b) − softplus(a) read from the stored log(1 − p),
 * log(1 − q) (or log p, log q). When both distributions were built from
 * `probs`, δ is formed from the probabilities themselves,
 * δ = log(q/p) + log((1 − p)/(1 − q)), so that p and q within 1e-12 of each
 * other (or of 0 or 1) keep their digits; otherwise δ = b − a. The result
 * has a relative error of a few ulps.
 *
 * Terms with p = 0 (or 1) are −log(1 − q) (or −log q); the KL is +∞ when q
 * puts zero mass where p does not.
 *
 * @param p The first distribution.
 * @param q The second, of the same size.
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Bernoulli}, or the
 *   sizes differ.
 *
 * @example
 * ```ts
 * import { Bernoulli, klBernoulli } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const kl = klBernoulli(new Bernoulli({ probs: [0.5] }), new Bernoulli({ probs: [0.25] }));
 * assert.ok(Math.abs(kl - (0.5 * Math.log(2) + 0.5 * Math.log(2 / 3))) < 1e-15);
 * // Near-identical: ≈ (q − p)² / (2 p (1 − p)), small and positive.
 * const tiny = klBernoulli(new Bernoulli({ probs: [0.3] }), new Bernoulli({ probs: [0.3 + 1e-9] }));
 * assert.ok(Math.abs(tiny / (1e-18 / 0.42) - 1) < 1e-6);
 * ```
 */
export function klBernoulli(p: Bernoulli, q: Bernoulli): number {
  checkPair("klBernoulli", p, q, [Bernoulli]);
  const fromProbs = p.fromProbs && q.fromProbs;
  let kl = 0;
  for (let j = 0; j < p.eventSize; j++) {
    const a = p.logits[j]!, b = q.logits[j]!;
    if (a === -Infinity) { // p = 0
      kl += -q.log1mProbs[j]!;
      continue;
    }
    if (a === Infinity) { // p = 1
      kl += -q.logProbs[j]!;
      continue;
    }
    if (!Number.isFinite(b)) return Infinity; // q ∈ {0, 1}, p ∉ {0, 1}
    // From probs, log((1 − p)/(1 − q)) takes (1 − p) − (1 − q) as q − p,
    // which is exact where they are close; 1 − p itself is rounded.
    const diff = q.probs[j]! - p.probs[j]!;
    const delta = fromProbs
      ? logRatio(q.probs[j]!, p.probs[j]!, diff) +
        logRatio(p.complementProbs[j]!, q.complementProbs[j]!, diff)
      : b - a;
    // Work on the side where s = min(p, 1 − p) ≤ ½.
    const low = a <= 0;
    const s = low ? p.probs[j]! : p.complementProbs[j]!;
    const D = low ? delta : -delta;
    if (Math.abs(D) < 1) {
      kl += log1pmx(s * Math.expm1(D)) + s * expm1mx(D);
    } else {
      const lp = low ? p.log1mProbs[j]! : p.logProbs[j]!;
      const lq = low ? q.log1mProbs[j]! : q.logProbs[j]!;
      kl += (lp - lq) - (s === 0 ? 0 : s * D);
    }
  }
  return kl;
}
