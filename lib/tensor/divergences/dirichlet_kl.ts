import { tf } from "../_tf.ts";
import { klConcentrations } from "../distributions/_concentration.ts";
import { Dirichlet } from "../distributions/dirichlet.ts";
import { checkPair, sameEvent } from "./_check.ts";

/**
 * KL(Dir(α) ‖ Dir(β)), with s = Σ αᵢ and t = Σ βᵢ; the twin of the core's
 * `klDirichlet`, in its form whose terms subtract no numbers of size
 * α log α:
 *
 * ```text
 * KL = log B(β) − log B(α) + Σᵢ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(s))
 *    = Σᵢ βᵢ (e^{−wᵢ} − 1 + wᵢ) + Σᵢ D_h(αᵢ → βᵢ) − D_h(s → t),   wᵢ = log(βᵢ/αᵢ) − log(t/s)
 * ```
 *
 * @param p Dir(α).
 * @param q Dir(β), of the same event size.
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a Dirichlet of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @throws {TypeError} If p and q differ in event shape.
 *
 * @example
 * ```ts
 * import { Dirichlet, klDirichlet, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = new Dirichlet([1, 2, 3]);
 * assert.equal((await klDirichlet(p, p).data())[0], 0);
 * assert.ok((await klDirichlet(p, new Dirichlet([1, 1, 1])).data())[0]! > 0);
 * ```
 */
export function klDirichlet(p: Dirichlet, q: Dirichlet): tf.Tensor {
  checkPair("klDirichlet", p, q, [[Dirichlet], [Dirichlet]]);
  sameEvent("klDirichlet", p, q);
  return tf.tidy(() => klConcentrations(p.concentration, q.concentration));
}
