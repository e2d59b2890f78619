import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { className } from "../../math/_pair_registry.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import { REGISTRY } from "./_registry.ts";
import { checkPair } from "./_check.ts";
import "./register_families.ts";

/**
 * The pairs of tensor-distribution classes that have a closed-form KL.
 *
 * @returns `[pClassName, qClassName]` for each registered pair.
 *
 * @example
 * ```ts
 * import { registeredKLPairs } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.ok(registeredKLPairs().some(([p, q]) => p === "Normal" && q === "Normal"));
 * ```
 */
export function registeredKLPairs(): Array<[string, string]> {
  return REGISTRY.pairs();
}

/**
 * The closed-form KL(p ‖ q) = E_p[log p(X) − log q(X)] of two tensor
 * distributions, from a registry keyed by the pair of classes; the tensor
 * twin of the core's `klDivergence`, with the same pairs. The result has the
 * broadcast batch shape of p and q and is differentiable in both.
 *
 * @param p The distribution the expectation is under.
 * @param q The other distribution.
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If no closed form is registered for the pair (the
 *   message lists the registered pairs and points to
 *   {@linkcode klMonteCarlo}), the event shapes differ, or a registered
 *   function returns something other than a live tensor.
 *
 * @example
 * ```ts
 * import { klDivergence, Normal, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const q = Normal.fromLogScale([0, 3], [Math.log(2), 0]);
 * const kl = await klDivergence(q, new Normal(0, 1)).data(); // one per batch member
 * assert.ok(Math.abs(kl[0]! - 0.5 * (4 - 1 - Math.log(4))) < 1e-6);
 * assert.equal(kl[1], 4.5);
 * ```
 */
export function klDivergence(p: TensorDistribution, q: TensorDistribution): tf.Tensor {
  checkPair("klDivergence", p, q);
  const fn = REGISTRY.find(
    "klDivergence",
    p,
    q,
    "Use klMonteCarlo(p, q, { samples, seed }) for an estimate with its standard error.",
  );
  const kl: unknown = fn(p, q);
  if (!(kl instanceof tf.Tensor) || kl.isDisposed) {
    throw new TypeError(
      `Cannot compute klDivergence(${className(p)}, ${
        className(q)
      }) as the registered function returned ${show(kl)} for p and q, not a live tensor`,
    );
  }
  return kl;
}
