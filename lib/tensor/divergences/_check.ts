import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { className } from "../../math/_pair_registry.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import { assertNotDisposed } from "../_validate.ts";

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

// deno-lint-ignore no-explicit-any
type Class = abstract new (...args: any[]) => unknown;

/**
 * Throws unless p and q are live tensor distributions whose batch shapes
 * broadcast (and, when `classes` are given, of those classes: a closed-form
 * KL reads its family's parameters): a TypeError naming the argument that
 * is not a distribution, was disposed or is of another family, or both
 * batch shapes.
 */
export function checkPair(
  what: string,
  p: unknown,
  q: unknown,
  classes?: readonly [readonly Class[], readonly Class[]],
): void {
  for (const [i, name, v] of [[0, "p", p], [1, "q", q]] as const) {
    const d = v as Partial<TensorDistribution & { isDisposed: boolean }> | null;
    if (d === null || typeof d !== "object" || typeof d.logProb !== "function") {
      throw new TypeError(
        `Cannot compute ${what} as ${name} must be a tensor distribution: current value is ${
          show(v)
        }`,
      );
    }
    assertNotDisposed(`Cannot compute ${what}`, name, d);
    const allowed = classes?.[i];
    if (allowed && !allowed.some((c) => d instanceof c)) {
      throw new TypeError(
        `Cannot compute ${what} as ${name} must be a tensor ${
          allowed.map((c) => c.name).join(" or ")
        } (of @elbo/elbo/tensor): current value is a ${className(d)}`,
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
