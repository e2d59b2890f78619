import type { Distribution } from "../distributions/distribution.ts";

// deno-lint-ignore no-explicit-any
export type Ctor = abstract new (...args: any[]) => unknown;
// deno-lint-ignore no-explicit-any
export type KLFunction = (p: any, q: any) => number;

/** Registry of closed-form KL divergences, keyed by the pair of classes. */
export const REGISTRY: Map<Ctor, Map<Ctor, KLFunction>> = new Map();

/** Finds the closed form for (p, q), walking both prototype chains. */
export function lookup(p: Distribution, q: Distribution): KLFunction | undefined {
  for (
    let pp = Object.getPrototypeOf(p);
    pp && pp !== Object.prototype;
    pp = Object.getPrototypeOf(pp)
  ) {
    const row = REGISTRY.get(pp.constructor);
    if (!row) continue;
    for (
      let qq = Object.getPrototypeOf(q);
      qq && qq !== Object.prototype;
      qq = Object.getPrototypeOf(qq)
    ) {
      const fn = row.get(qq.constructor);
      if (fn) return fn;
    }
  }
  return undefined;
}
