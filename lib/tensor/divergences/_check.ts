import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
/** Throws a TypeError unless p and q have one event shape (the KL of `what` compares points). */
export function sameEvent(
  what: string,
  p: { eventShape: number[] },
  q: { eventShape: number[] },
): void {
  if (p.eventShape.join() !== q.eventShape.join()) {
    throw new TypeError(
      `Cannot compute ${what} as p and q differ in event shape: p is [${p.eventShape}], q is [${q.eventShape}]`,
    );
  }
}

/**
 * Throws unless p and q are live tensor distributions whose batch shapes
 * broadcast: a TypeError naming the argument that is not a distribution or
 * was disposed, or both batch shapes.
 */
export function checkPair(what: string, p: unknown, q: unknown): void {
  for (const [name, v] of [["p", p], ["q", q]] as const) {
    const d = v as Partial<TensorDistribution & { isDisposed: boolean }> | null;
    if (d === null || typeof d !== "object" || typeof d.logProb !== "function") {
      throw new TypeError(
        `Cannot compute ${what} as ${name} must be a tensor distribution: current value is ${
          show(v)
        }`,
      );
    }
    if (d.isDisposed === true) {
      throw new TypeError(
        `Cannot compute ${what} as ${name} (a ${d.constructor?.name}) was disposed: its tensors are freed`,
      );
    }
  }
  const a = (p as TensorDistribution).batchShape, b = (q as TensorDistribution).batchShape;
  try {
    tf.backend_util.assertAndGetBroadcastShape(a, b);
  } catch {
    throw new TypeError(
      `Cannot compute ${what} as p's batch shape [${a}] and q's batch shape [${b}] do not broadcast`,
    );
  }
}
