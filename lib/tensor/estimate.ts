import { tf } from "./_tf.ts";
import { assertTensor } from "./_validate.ts";

/** A Monte Carlo estimate on tensors: its value and standard error, each of the batch shape. */
export type TensorEstimate = {
  /** The estimate. */
  value: tf.Tensor;
  /** Its standard error: the sample standard deviation over √n. */
  standardError: tf.Tensor;
};

/**
 * The mean over axis 0 (the draws) and its standard error; the tensor twin
 * of the core's `meanAndStandardError`, with its answer where a draw is
 * infinite: the mean is that infinity and the standard error +∞ (not NaN).
 *
 * ```text
 * value = (1/n) Σᵢ vᵢ,   standardError = √( Σᵢ (vᵢ − value)² / ((n − 1) n) )
 * ```
 *
 * (Where draws hold both +∞ and −∞ the mean is undefined: the core throws,
 * and here, whose values stay on the device, it is NaN.)
 *
 * @param values The draws on axis 0 (n ≥ 2 of them), float32.
 * @returns The estimate and its standard error.
 * @throws {TypeError} If `values` is not a live float32 tensor with n ≥ 2
 *   draws on axis 0.
 */
export function meanAndStandardError(values: tf.Tensor): TensorEstimate {
  const what = "Cannot compute meanAndStandardError";
  assertTensor(what, "values", values);
  if (values.rank < 1 || values.shape[0]! < 2) {
    throw new TypeError(
      `${what} as values must hold n ≥ 2 draws on axis 0: current shape is [${values.shape}]`,
    );
  }
  return tf.tidy(() => {
    const n = values.shape[0]!;
    const { mean, variance } = tf.moments(values, 0);
    const se = tf.sqrt(tf.div(variance, n - 1));
    return {
      value: mean,
      standardError: tf.where(tf.isInf(mean), tf.fill(se.shape, Infinity), se),
    };
  });
}
