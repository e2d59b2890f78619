// softplus and the functions built on it, for the stable math
// (lib/tensor/_stable.ts); on wasm, softplus is one SIMD pass.
import { tf } from "../_tf.ts";
import { offsetOf, uninitialised, wasmKernels } from "../_wasm_kernels.ts";
import { softplusFew } from "../_wasm_softplus_op.ts";
import { log1mexp, log1p } from "./elementary.ts";
import { withDerivative } from "./native.ts";

/**
 * softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}), with the
 * gradient σ(x) written out (½ at 0, where an autodiff of the max would
 * give 0 or 1). On wasm, one SIMD pass over the values.
 *
 * @param x Values.
 * @returns softplus(x) > 0, elementwise.
 */
export const softplus: (x: tf.Tensor) => tf.Tensor = withDerivative(
  (x) => softplusValue(x),
  (x) => tf.sigmoid(x),
);

/**
 * softplus(x) as a value only, with no gradient recorded: for the forward
 * pass of an op whose gradient is written by hand (inside `tf.customGrad`).
 * On the wasm backend one SIMD pass (exact to a few float32 roundings down to
 * e⁻⁸⁷, the least normal float32, below which it gives e⁻⁸⁷), against
 * tfjs-wasm's own scalar loop, 2.4 times slower; elsewhere
 * max(x, 0) + {@linkcode log1p}(e^{−|x|}).
 */
export function softplusValue(x: tf.Tensor): tf.Tensor {
  const k = wasmKernels();
  if (k === undefined || x.dtype !== "float32") {
    return tf.tidy(() => tf.add(tf.relu(x), log1p(tf.exp(tf.neg(tf.abs(x))))));
  }
  const out = uninitialised(x.shape);
  // Fewer than four values: in float64 in JavaScript, one kernel's worth.
  if (x.size < 4) softplusFew(offsetOf(x), offsetOf(out), x.size);
  else k.softplus(offsetOf(x), offsetOf(out), x.size);
  return out;
}

/**
 * log σ(x) = −softplus(−x), the log-probability of a logit.
 *
 * @param x Values.
 * @returns log σ(x) < 0, elementwise.
 */
export function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(softplus(tf.neg(x))));
}

/**
 * softplus⁻¹(y) = log(eʸ − 1) = y + log(1 − e^{−y}) for y > 0: no overflow
 * for large y, no cancellation for small y; NaN for y < 0.
 *
 * @param y Values > 0.
 * @returns softplus⁻¹(y), elementwise.
 */
export function softplusInverse(y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(y, log1mexp(tf.neg(y))));
}
