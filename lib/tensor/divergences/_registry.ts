import type { tf } from "../_tf.ts";
import { PairRegistry } from "../../math/_pair_registry.ts";

/** A closed-form KL between two tensor distributions. */
// deno-lint-ignore no-explicit-any
export type TensorKLFunction = (p: any, q: any) => tf.Tensor;

/** The tensor layer's KL registry. */
export const REGISTRY: PairRegistry<TensorKLFunction> = new PairRegistry();
