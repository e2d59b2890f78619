import { Poisson } from "../distributions/poisson.ts";
import { expm1mx, logRatio } from "../math/_stable.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(Poisson(λ₀) ‖ Poisson(λ₁)), with δ = log(λ₁/λ₀):
 *
 * ```text
 * KL = λ₀ log(λ₀/λ₁) + λ₁ − λ₀ = λ₀ (e^δ − 1 − δ)
 * ```
 *
 * summed as a series for small δ (no cancellation when λ₀ ≈ λ₁), and as
 * λ₁ − λ₀ − λ₀ δ for δ > 1, where e^δ could overflow.
 *
 * @param p Poisson(λ₀).
 * @param q Poisson(λ₁).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Poisson}.
 *
 * @example
 * ```ts
 * import { klPoisson, Poisson } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const kl = klPoisson(new Poisson(2), new Poisson(1));
 * assert.ok(Math.abs(kl - (2 * Math.log(2) - 1)) < 1e-15);
 * ```
 */
export function klPoisson(p: Poisson, q: Poisson): number {
  checkPair("klPoisson", p, q, [Poisson]);
  const l0 = p.rate, l1 = q.rate, d = logRatio(l1, l0);
  return d <= 1 ? l0 * expm1mx(d) : (l1 - l0) - l0 * d;
}
