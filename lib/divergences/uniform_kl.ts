import { Uniform } from "../distributions/uniform.ts";
import { logRatio } from "../math/_stable.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(U(a₀, b₀) ‖ U(a₁, b₁)): the log of the ratio of the widths when
 * [a₀, b₀] ⊆ [a₁, b₁], +∞ otherwise (q is 0 where p is not).
 *
 * ```text
 * KL = log((b₁ − a₁) / (b₀ − a₀))     if a₁ ≤ a₀ and b₀ ≤ b₁;   +∞ otherwise
 * ```
 *
 * @param p U(a₀, b₀).
 * @param q U(a₁, b₁).
 * @returns KL(p ‖ q) ≥ 0, or +∞.
 * @throws {TypeError} If an argument is not a {@linkcode Uniform}.
 *
 * @example
 * ```ts
 * import { klUniform, Uniform } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(klUniform(new Uniform(0, 1), new Uniform(-1, 3)), Math.log(4));
 * assert.equal(klUniform(new Uniform(-1, 3), new Uniform(0, 1)), Infinity);
 * ```
 */
export function klUniform(p: Uniform, q: Uniform): number {
  checkPair("klUniform", p, q, [Uniform]);
  if (!(q.low <= p.low && p.high <= q.high)) return Infinity;
  // The widths are ordered like the intervals (rounding is monotone), so this is ≥ 0.
  const w0 = p.high - p.low, w1 = q.high - q.low;
  const kl = Number.isFinite(w1) ? logRatio(w1, w0) : q.logWidth - p.logWidth;
  return kl > 0 ? kl : 0;
}
