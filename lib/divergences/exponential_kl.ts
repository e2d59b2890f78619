import { Exponential } from "../distributions/exponential.ts";
import { expm1mx, logRatio } from "../math/_stable.ts";
import { checkPair } from "./_check.ts";

/**
 * KL(Exp(λ₀) ‖ Exp(λ₁)) = log(λ₀/λ₁) + λ₁/λ₀ − 1, written with
 * δ = log(λ₁/λ₀) so that it does not cancel when λ₀ ≈ λ₁ (eᵟ − 1 − δ is
 * summed as a series for small δ):
 *
 * ```text
 * KL = eᵟ − 1 − δ
 * ```
 *
 * @param p Exp(λ₀).
 * @param q Exp(λ₁).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not an {@linkcode Exponential}.
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
  checkPair("klExponential", p, q, [Exponential]);
  return expm1mx(logRatio(q.rate, p.rate));
}
