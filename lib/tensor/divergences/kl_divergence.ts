import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { className } from "../../math/_pair_registry.ts";
import { Bernoulli } from "../distributions/bernoulli.ts";
import { DiagNormal } from "../distributions/diag_normal.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import { Exponential } from "../distributions/exponential.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { Normal } from "../distributions/normal.ts";
import { REGISTRY } from "./_registry.ts";
import { checkPair } from "./_check.ts";
import { klBernoulli } from "./bernoulli_kl.ts";
import { klExponential } from "./exponential_kl.ts";
import { klDiagNormal, klMultivariateNormal, klNormal } from "./gaussian_kl.ts";

/**
 * Registers a closed-form KL for a pair of tensor-distribution classes, so
 * that {@linkcode klDivergence} finds it (subclasses included).
 *
 * @param pClass The class of p.
 * @param qClass The class of q.
 * @param fn KL(p ‖ q) as a tensor of the broadcast batch shape.
 * @throws {TypeError} If `pClass` or `qClass` is not a class (a function with a
 *   prototype: an arrow function is not one), or `fn` is not a function.
 *
 * @example
 * ```ts
 * import { klDivergence, Normal, registerKL, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * class Point extends Normal {}
 * registerKL(Point, Point, (p, q) => tf.square(tf.sub(p.loc, q.loc)));
 * const kl = klDivergence(new Point(0, 1), new Point(3, 1));
 * assert.equal((await kl.data())[0], 9);
 * ```
 */
export function registerKL<P extends TensorDistribution, Q extends TensorDistribution>(
  // deno-lint-ignore no-explicit-any
  pClass: abstract new (...args: any[]) => P,
  // deno-lint-ignore no-explicit-any
  qClass: abstract new (...args: any[]) => Q,
  fn: (p: P, q: Q) => tf.Tensor,
): void {
  REGISTRY.register("Cannot register KL", pClass, qClass, fn);
}

registerKL(Normal, Normal, klNormal);
registerKL(DiagNormal, DiagNormal, klDiagNormal);
registerKL(MultivariateNormal, MultivariateNormal, klMultivariateNormal);
registerKL(DiagNormal, MultivariateNormal, klMultivariateNormal);
registerKL(MultivariateNormal, DiagNormal, klMultivariateNormal);
registerKL(Bernoulli, Bernoulli, klBernoulli);
registerKL(Exponential, Exponential, klExponential);

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
