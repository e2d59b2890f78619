import type { tf } from "../_tf.ts";
import { LogNormal } from "../distributions/log_normal.ts";
import { checkPair } from "./_check.ts";
import { klNormal } from "./gaussian_kl.ts";

/**
 * KL(LogNormal(μ₀, σ₀) ‖ LogNormal(μ₁, σ₁)) elementwise over the broadcast
 * batch; the twin of the core's `klLogNormal`. A KL divergence does not
 * change under a bijection applied to both sides, so it is the KL of the
 * Gaussians of log Y (see {@linkcode klNormal}, which keeps near-identical
 * pairs positive):
 *
 * ```text
 * KL = ½ ((μ₀ − μ₁)/σ₁)² + ½ (e^{2Δ} − 1 − 2Δ),   Δ = log(σ₀/σ₁)
 * ```
 *
 * Registered for `klDivergence` (importing `@elbo/elbo/tensor` registers
 * it).
 *
 * @param p LogNormal(μ₀, σ₀).
 * @param q LogNormal(μ₁, σ₁).
 * @returns KL(p ‖ q), shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a LogNormal of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 *
 * @example
 * ```ts
 * import { klDivergence, klLogNormal, LogNormal, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = new LogNormal(0, 1), q = new LogNormal(1, 2);
 * const kl = klDivergence(p, q), direct = klLogNormal(p, q);
 * // ½ (1/2)² + ½ (1/4 − 1 + 2 log 2)
 * const want = 0.125 + 0.5 * (0.25 - 1 + 2 * Math.LN2);
 * assert.ok(Math.abs((await kl.data())[0]! - want) < 1e-6);
 * assert.equal((await direct.data())[0], (await kl.data())[0]);
 * [kl, direct].forEach((t) => t.dispose());
 * p.dispose();
 * q.dispose();
 * ```
 */
export function klLogNormal(p: LogNormal, q: LogNormal): tf.Tensor {
  checkPair("klLogNormal", p, q, [[LogNormal], [LogNormal]]);
  return klNormal(p.base, q.base);
}
