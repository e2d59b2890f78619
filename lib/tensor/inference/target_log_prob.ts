import type { tf } from "../_tf.ts";

/**
 * A user's unnormalized log joint log p(z, data) as a function of the
 * latents: z is `[n, ...eventShape]` (n draws), the result `[n]`, written
 * with tfjs ops so that autodiff can differentiate it.
 */
export type TargetLogProb = (z: tf.Tensor) => tf.Tensor;
