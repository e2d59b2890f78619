import { Dirichlet } from "../distributions/dirichlet.ts";
import { checkPair } from "./_check.ts";
import { klConcentrations } from "./_concentration_kl.ts";

/**
 * KL(Dir(α) ‖ Dir(β)), with s = Σ αᵢ and t = Σ βᵢ:
 *
 * ```text
 * KL = log B(β) − log B(α) + Σᵢ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(s))
 *    = Σᵢ βᵢ (e^{−wᵢ} − 1 + wᵢ) + Σᵢ D_h(αᵢ → βᵢ) − D_h(s → t),   wᵢ = log(βᵢ/αᵢ) − log(t/s)
 * ```
 *
 * The second line is the Bregman divergence of log B split along
 * log Γ(x) = (x − ½) log x − x + ½ log 2π + c(x): the first sum is t times
 * the categorical KL between the means, each of its terms ≥ 0; D_h is the
 * Bregman divergence of the convex h(x) = c(x) − ½ log x, summed by
 * Gauss–Legendre quadrature of h″ > 0 for close arguments. No term
 * subtracts numbers of size α log α, so near-identical pairs keep their
 * digits, for concentrations up to 10¹⁵⁰ and more.
 *
 * @param p Dir(α).
 * @param q Dir(β), of the same size.
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Dirichlet}, or the
 *   sizes differ.
 *
 * @example
 * ```ts
 * import { Dirichlet, klDirichlet } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = new Dirichlet([1, 2, 3]);
 * assert.equal(klDirichlet(p, p), 0);
 * assert.ok(klDirichlet(p, new Dirichlet([1, 1, 1])) > 0);
 * ```
 */
export function klDirichlet(p: Dirichlet, q: Dirichlet): number {
  checkPair("klDirichlet", p, q, [Dirichlet]);
  return klConcentrations(p.concentration, q.concentration);
}
