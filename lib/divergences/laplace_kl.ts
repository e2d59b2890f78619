import { Laplace } from "../distributions/laplace.ts";
import { expm1mx, logRatio, standardize } from "../math/_stable.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(Laplace(μ₀, b₀) ‖ Laplace(μ₁, b₁)), as two terms that are each ≥ 0:
 * with r = b₀/b₁, ρ = log r and z = |μ₀ − μ₁|/b₀,
 *
 * ```text
 * KL = log(b₁/b₀) + |μ₀ − μ₁|/b₁ + (b₀/b₁) e^{−|μ₀ − μ₁|/b₀} − 1
 *    = (e^ρ − 1 − ρ) + r (e^{−z} − 1 + z)
 * ```
 *
 * each summed as a series where it is small, so near-identical pairs keep
 * their digits.
 *
 * @param p Laplace(μ₀, b₀).
 * @param q Laplace(μ₁, b₁).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Laplace}.
 *
 * @example
 * ```ts
 * import { klLaplace, Laplace } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * // Same scale, shifted by one scale: e^{−1} − 1 + 1
 * assert.ok(Math.abs(klLaplace(new Laplace(0, 1), new Laplace(1, 1)) - Math.exp(-1)) < 1e-15);
 * ```
 */
export function klLaplace(p: Laplace, q: Laplace): number {
  checkPair("klLaplace", p, q, [Laplace]);
  const rho = logRatio(p.scale, q.scale), first = expm1mx(rho);
  if (first === Infinity) return Infinity;
  const z = Math.abs(standardize(p.loc, q.loc, p.scale));
  if (z === 0) return first;
  const r = Math.exp(rho);
  // r (e^{−z} − 1 + z), with r z = |μ₀ − μ₁|/b₁ formed directly for large z
  const second = z < 0.5
    ? r * expm1mx(-z)
    : r * Math.expm1(-z) + Math.abs(standardize(p.loc, q.loc, q.scale));
  return first + second;
}
