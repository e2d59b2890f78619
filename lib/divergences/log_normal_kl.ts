import { LogNormal } from "../distributions/log_normal.ts";
import { Normal } from "../distributions/normal.ts";
import { checkPair } from "./_check.ts";
import { klNormal } from "./gaussian_kl.ts";

/**
 * KL(LogNormal(μ₀, σ₀) ‖ LogNormal(μ₁, σ₁)): a KL divergence does not change
 * under a bijection applied to both sides, so it is the KL of the Gaussians
 * of log Y (see {@linkcode klNormal}, which keeps near-identical pairs
 * positive):
 *
 * ```text
 * KL = ½ ((μ₀ − μ₁)/σ₁)² + ½ (e^{2Δ} − 1 − 2Δ),   Δ = log(σ₀/σ₁)
 * ```
 *
 * @param p LogNormal(μ₀, σ₀).
 * @param q LogNormal(μ₁, σ₁).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode LogNormal}.
 *
 * @example
 * ```ts
 * import { klLogNormal, klNormal, LogNormal, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const kl = klLogNormal(new LogNormal(0, 1), new LogNormal(1, 2));
 * assert.equal(kl, klNormal(new Normal(0, 1), new Normal(1, 2)));
 * ```
 */
export function klLogNormal(p: LogNormal, q: LogNormal): number {
  checkPair("klLogNormal", p, q, [LogNormal]);
  return klNormal(new Normal(p.loc, p.scale), new Normal(q.loc, q.scale));
}
