import { Categorical } from "../distributions/categorical.ts";
import { expm1mx, log1pmx, logRatio } from "../math/_stable.ts";
import { logSumExp } from "../math/log_sum_exp.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(Cat(π) ‖ Cat(ρ)) = Σₖ πₖ log(πₖ/ρₖ), written as a cumulant so that no
 * first-order term is left to cancel. With Δₖ = log(ρₖ/πₖ) up to a constant
 * (ℓ′ₖ − ℓₖ from logits; log ρₖ − log πₖ from probabilities), m ≈ E_π[Δ]
 * and uₖ = Δₖ − m:
 *
 * ```text
 * KL = log E_π[e^Δ] − E_π[Δ] = log(1 + S + r) − r − log(1 − R₀)
 *    = S + [log(1 + x) − x]_{x = S + r} − log(1 − R₀)
 * S = E_π[e^u − 1 − u] ≥ 0,   r = E_π[u] ≈ 0,   R₀ = Σ_{πₖ = 0} ρₖ
 * ```
 *
 * where e^u − 1 − u is summed as a series for small u and E_π weighs by
 * the unnormalised masses over their compensated sum. Rounding in π then
 * moves the KL only by a relative ~10⁻¹⁶ (the first-order terms cancel
 * analytically), so near-identical pairs keep their digits and the KL is
 * never negative. The KL is +∞ when ρₖ = 0 < πₖ.
 *
 * @param p Cat(π).
 * @param q Cat(ρ), over as many categories.
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Categorical}, or
 *   the numbers of categories differ.
 *
 * @example
 * ```ts
 * import { Categorical, klCategorical } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const kl = klCategorical(new Categorical({ probs: [0.5, 0.5] }), new Categorical({ probs: [0.25, 0.75] }));
 * assert.ok(Math.abs(kl - (0.5 * Math.log(2) + 0.5 * Math.log(2 / 3))) < 1e-15);
 * assert.equal(klCategorical(new Categorical({ probs: [0.5, 0.5] }), new Categorical({ probs: [1, 0] })), Infinity);
 * ```
 */
export function klCategorical(p: Categorical, q: Categorical): number {
  checkPair("klCategorical", p, q, [Categorical]);
  const k = p.numCategories;
  if (q.numCategories !== k) {
    throw new TypeError(
      `Cannot compute klCategorical as p and q differ in the number of categories: p has ${k}, q has ${q.numCategories}`,
    );
  }
  // Unnormalised masses ω (in log space) and Δ, from what each was built from.
  const logW = new Float64Array(k), delta = new Float64Array(k);
  const pLogits = !p.fromProbs, qLogits = !q.fromProbs;
  let maxP = -Infinity;
  for (let i = 0; i < k; i++) {
    const l = pLogits ? p.logits[i]! : p.logProbs[i]!;
    logW[i] = l;
    if (l > maxP) maxP = l;
  }
  let r0 = 0, W = 0, comp = 0, m = 0;
  for (let i = 0; i < k; i++) {
    const lw = logW[i]! - maxP, w = Math.exp(lw);
    logW[i] = lw;
    if (w === 0) {
      r0 += q.probs[i]!;
      continue;
    }
    const lq = qLogits ? q.logits[i]! : q.logProbs[i]!;
    if (lq === -Infinity) return Infinity;
    delta[i] = qLogits && pLogits
      ? lq - p.logits[i]!
      : !qLogits && !pLogits
      ? logRatio(q.probs[i]!, p.probs[i]!)
      : q.logProbs[i]! - p.logProbs[i]!;
    const t = W + w; // Neumaier's compensated sum of the masses
    comp += W >= w ? (W - t) + w : (w - t) + W;
    W = t;
    m += w * delta[i]!;
  }
  W += comp;
  m /= W;
  let s = 0, r = 0, big = false;
  for (let i = 0; i < k; i++) {
    const w = Math.exp(logW[i]!);
    if (w === 0) continue;
    const u = delta[i]! - m;
    if (u > 700) big = true;
    s += Math.abs(u) < 1 ? w * expm1mx(u) : Math.exp(logW[i]! + u) - w - w * u;
    r += w * u;
  }
  s /= W;
  r /= W;
  const tail = r0 > 0 ? -Math.log1p(-Math.min(r0, 1)) : 0;
  let kl: number;
  if (big || !(s + r < 0.5)) {
    // Far apart: log E_π[e^Δ] − E_π[Δ] directly, in log space.
    const terms: number[] = [];
    for (let i = 0; i < k; i++) if (Math.exp(logW[i]!) > 0) terms.push(logW[i]! + delta[i]! - m);
    kl = logSumExp(terms) - Math.log(W) - r;
  } else {
    // log(1 + S + r) − r = S + [log(1 + x) − x] at x = S + r: r never cancels
    kl = s + log1pmx(s + r);
  }
  kl += tail;
  return kl > 0 ? kl : 0;
}
