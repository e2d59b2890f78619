import type { Distribution } from "../distributions/distribution.ts";
import { REGISTRY } from "./_registry.ts";

/**
 * Registers a closed-form KL(p ‖ q) for a pair of distribution classes, so
 * that {@linkcode klDivergence} finds it (also for subclasses). A later
 * registration for the same pair replaces the earlier one.
 *
 * @typeParam P The class of p.
 * @typeParam Q The class of q.
 * @param pClass The class of the first argument.
 * @param qClass The class of the second argument.
 * @param fn Computes KL(p ‖ q).
 * @throws {TypeError} If `pClass` or `qClass` is not a class (a function with a
 *   prototype: an arrow function is not one), or `fn` is not a function.
 *
 * @example Registering a divergence for a new family
 * ```ts
 * import { Exponential, klDivergence, registerKL } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * class Unit extends Exponential {}
 * registerKL(Unit, Unit, () => 0);
 * assert.equal(klDivergence(new Unit(1), new Unit(2)), 0);
 * ```
 */
export function registerKL<P extends Distribution, Q extends Distribution>(
  // deno-lint-ignore no-explicit-any
  pClass: abstract new (...args: any[]) => P,
  // deno-lint-ignore no-explicit-any
  qClass: abstract new (...args: any[]) => Q,
  fn: (p: P, q: Q) => number,
): void {
  REGISTRY.register("Cannot register KL", pClass, qClass, fn);
}
