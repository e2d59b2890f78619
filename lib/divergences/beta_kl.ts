import { Beta } from "../distributions/beta.ts";
import { checkPair } from "./_check.ts";
import { klConcentrations } from "./_concentration_kl.ts";

/**
 * KL(Beta(a₀, b₀) ‖ Beta(a₁, b₁)), the Dirichlet divergence with K = 2
 * (see {@linkcode klDirichlet}): textbook form and the form computed, with
 * s = a₀ + b₀, t = a₁ + b₁, mᵢ = the means,
 *
 * ```text
 * KL = log B(a₁, b₁) − log B(a₀, b₀) + (a₀ − a₁) ψ(a₀) + (b₀ − b₁) ψ(b₀) + (t − s) ψ(s)
 *    = t · KL(Bernoulli(a₁/t) ‖ Bernoulli(a₀/s)) + D_h(a₀ → a₁) + D_h(b₀ → b₁) − D_h(s → t)
 * ```
 *
 * where D_h is the Bregman divergence of h(x) = log Γ(x) − (x − ½) log x +
 * x − ½ log 2π − ½ log x: no term is a difference of large numbers, so
 * near-identical pairs (and shapes of 10¹⁰) keep their digits.
 *
 * @param p Beta(a₀, b₀).
 * @param q Beta(a₁, b₁).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Beta}.
 *
 * @example
 * ```ts
 * import { Beta, klBeta } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * // KL(Beta(2, 1) ‖ Beta(1, 1)) = E[log 2x] = log 2 − ½
 * assert.ok(Math.abs(klBeta(new Beta(2, 1), new Beta(1, 1)) - (Math.LN2 - 0.5)) < 1e-15);
 * ```
 */
export function klBeta(p: Beta, q: Beta): number {
  checkPair("klBeta", p, q, [Beta]);
  return klConcentrations([p.alpha, p.beta], [q.alpha, q.beta]);
}
