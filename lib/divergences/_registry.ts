import { PairRegistry } from "../math/_pair_registry.ts";

// deno-lint-ignore no-explicit-any
export type KLFunction = (p: any, q: any) => number;

/** Registry of the core's closed-form KL divergences, keyed by the pair of classes. */
export const REGISTRY: PairRegistry<KLFunction> = new PairRegistry();
