import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import type { TargetLogProb } from "./target_log_prob.ts";

/** The number of values in one draw of `q` (1 for a scalar event). */
export function eventSize(q: TensorDistribution): number {
  return q.eventShape.reduce((a, b) => a * b, 1);
}

/**
 * Throws unless `target` is a function and `q` a live tensor distribution
 * with no batch.
 */
export function checkProblem(what: string, target: unknown, q: unknown): void {
  if (typeof target !== "function") {
    throw new TypeError(
      `${what} as targetLogProb must be a function of z: current value is ${show(target)}`,
    );
  }
  const d = q as Partial<TensorDistribution & { isDisposed: unknown }> | null;
  if (
    d === null || typeof d !== "object" || typeof d.sample !== "function" ||
    typeof d.logProb !== "function" || !Array.isArray(d.batchShape) ||
    !Array.isArray(d.eventShape)
  ) {
    throw new TypeError(
      `${what} as surrogate must be a tensor distribution: current value is ${show(q)}`,
    );
  }
  if (d.isDisposed === true) {
    throw new TypeError(`${what} as surrogate was disposed: build a new one`);
  }
  if (d.batchShape.length !== 0) {
    throw new TypeError(
      `${what} as surrogate must have no batch (one distribution over the latents): current batch shape is [${d.batchShape}]`,
    );
  }
}

/**
 * log p(z), checked to be a float32 tensor of shape [n]. Called inside a
 * `tf.tidy`, which frees what a failing target made; a Promise's tensor,
 * made after the tidy, is freed here once it settles.
 */
export function targetAt(what: string, target: TargetLogProb, z: tf.Tensor): tf.Tensor {
  const lp: unknown = target(z);
  const n = z.shape[0]!;
  if (!(lp instanceof tf.Tensor)) {
    if (lp instanceof Promise) {
      lp.then((v) => v instanceof tf.Tensor && v.dispose(), () => {});
    }
    throw new TypeError(
      `${what}: targetLogProb must return a tensor of shape [${n}] (one log-density per draw)${
        lp instanceof Promise ? ", synchronously: autodiff cannot follow an async function" : ""
      }: it returned ${show(lp)}`,
    );
  }
  if (lp.dtype !== "float32") {
    throw new TypeError(
      `${what}: targetLogProb must return a float32 tensor: it returned dtype ${lp.dtype} (a log-density is a float; an int32 or bool result is a mistake, not a value to cast)`,
    );
  }
  if (lp.rank !== 1 || lp.shape[0] !== n) {
    throw new TypeError(
      `${what}: targetLogProb must return shape [${n}] for z of shape [${z.shape}] (one log-density per draw, summed over the latents): it returned shape [${lp.shape}]`,
    );
  }
  return lp;
}
