import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";

/**
 * A user's unnormalized log joint log p(z, data) as a function of the
 * latents: z is `[n, ...eventShape]` (n draws), the result `[n]`, written
 * with tfjs ops so that autodiff can differentiate it.
 */
export type TargetLogProb = (z: tf.Tensor) => tf.Tensor;

/** Throws unless `target` is a function and `q` a tensor distribution with no batch. */
export function checkProblem(what: string, target: unknown, q: unknown): void {
  if (typeof target !== "function") {
    throw new TypeError(
      `${what} as targetLogProb must be a function of z: current value is ${show(target)}`,
    );
  }
  const d = q as Partial<TensorDistribution> | null;
  if (
    d === null || typeof d !== "object" || typeof d.sample !== "function" ||
    typeof d.logProb !== "function" || !Array.isArray(d.batchShape)
  ) {
    throw new TypeError(
      `${what} as surrogate must be a tensor distribution: current value is ${show(q)}`,
    );
  }
  if (d.batchShape.length !== 0) {
    throw new TypeError(
      `${what} as surrogate must have no batch (one distribution over the latents): current batch shape is [${d.batchShape}]`,
    );
  }
}

/** log p(z), checked to be a float tensor of shape [n]. */
export function targetAt(what: string, target: TargetLogProb, z: tf.Tensor): tf.Tensor {
  const lp = target(z);
  const n = z.shape[0]!;
  if (!(lp instanceof tf.Tensor)) {
    throw new TypeError(
      `${what}: targetLogProb must return a tensor of shape [${n}] (one log-density per draw): it returned ${
        show(lp)
      }`,
    );
  }
  if (lp.rank !== 1 || lp.shape[0] !== n) {
    throw new TypeError(
      `${what}: targetLogProb must return shape [${n}] for z of shape [${z.shape}] (one log-density per draw, summed over the latents): it returned shape [${lp.shape}]`,
    );
  }
  return lp.dtype === "float32" ? lp : tf.cast(lp, "float32");
}

/** Throws on an option that the function does not take (a likely typo). */
export function noOthers(what: string, rest: Record<string, unknown>, keys: string): void {
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    throw new TypeError(
      `${what} as options has no ${
        extra.map((e) => `"${e}"`).join(", ")
      } (it takes ${keys}): current value is ${show(rest)}`,
    );
  }
}
