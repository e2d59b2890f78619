// What the stable-math functions (lib/tensor/_stable.ts) build on: which
// backend kernels are accurate, Horner's rule, and a value with its
// derivative written out.
import { tf } from "../_tf.ts";

/** The kernels of each backend measured accurate to float32 rounding. */
const NATIVE: Readonly<Record<string, ReadonlySet<string>>> = {
  cpu: new Set(["log", "log1p", "expm1", "max"]),
  wasm: new Set(["log", "expm1", "max"]),
};

/** Whether the active backend's own kernel for `op` is accurate. */
export function native(op: string): boolean {
  return NATIVE[tf.getBackend()]?.has(op) ?? false;
}

/** Σₖ c[k] xᵏ by Horner's rule (c of length ≥ 2). */
export function horner(x: tf.Tensor, c: readonly number[]): tf.Tensor {
  let s = tf.add(tf.mul(x, c[c.length - 1]!), c[c.length - 2]!);
  for (let k = c.length - 3; k >= 0; k--) s = tf.add(tf.mul(s, x), c[k]!);
  return s;
}

/**
 * A function whose value is computed by `value` and whose gradient is
 * dy · `derivative(x)`: for forms with branches, whose autodiff would be
 * the derivative of an approximation (or NaN from a branch not taken).
 */
export function withDerivative(
  value: (x: tf.Tensor) => tf.Tensor,
  derivative: (x: tf.Tensor) => tf.Tensor,
): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    save([x]);
    return {
      value: value(x),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => [
        tf.mul(dy as tf.Tensor, derivative(saved[0]!)),
      ],
    };
  }) as (x: tf.Tensor) => tf.Tensor;
}
