import type { tf } from "../_tf.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import { REGISTRY } from "./_registry.ts";

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
