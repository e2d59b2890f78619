import { tf } from "./_tf.ts";

/** A Monte Carlo estimate on tensors: its value and standard error, each of the batch shape. */
export type TensorEstimate = {
  /** The estimate. */
  value: tf.Tensor;
  /** Its standard error: the sample standard deviation over √n. */
  standardError: tf.Tensor;
};

/**
 * The mean over axis 0 (the draws) and its standard error; the tensor twin
 * of the core's `meanAndStandardError`:
 *
 * ```text
 * value = (1/n) Σᵢ vᵢ,   standardError = √( Σᵢ (vᵢ − value)² / ((n − 1) n) )
 * ```
 *
 * @param values The draws on axis 0 (n ≥ 2 of them).
 * @returns The estimate and its standard error.
 */
export function meanAndStandardError(values: tf.Tensor): TensorEstimate {
  return tf.tidy(() => {
    const n = values.shape[0]!;
    const { mean, variance } = tf.moments(values, 0);
    return { value: mean, standardError: tf.sqrt(tf.div(variance, n - 1)) };
  });
}
