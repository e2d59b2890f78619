import type { Exponential } from "../distributions/exponential.ts";

/**
 * KL(Exp(λ₀) ‖ Exp(λ₁)) = log(λ₀/λ₁) + λ₁/λ₀ − 1, written with
 * δ = log λ₁ − log λ₀ so that it does not cancel when λ₀ ≈ λ₁:
 *
 * ```text
 * KL = expm1(δ) − δ
 * ```
 *
 * @param p Exp(λ₀).
 * @param q Exp(λ₁).
 * @returns KL(p ‖ q) ≥ 0.
 *
 * @example
 * ```ts
 * import { Exponential, klExponential } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const kl = klExponential(new Exponential(1), new Exponential(2));
 * assert.ok(Math.abs(kl - (1 - Math.log(2))) < 1e-15);
 * ```
 */
export function klExponential(p: Exponential, q: Exponential): number {
  const delta = q.logRate - p.logRate;
  return Math.expm1(delta) - delta;
}
