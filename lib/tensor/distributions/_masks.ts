// Conditions as float32 masks of 1s and 0s. tfjs differentiates cast and
// greaterEqual (their gradients are 0) but not logicalAnd, logicalOr,
// logicalNot or equal: a condition on a tensor that carries a gradient (a
// point drawn by a reparameterized sampler) is combined as numbers — and as
// ×, or as max, not as 1 − m — and turned back into a condition for tf.where
// by `holds`.
import { tf } from "../_tf.ts";

/** 1 where a ≥ b, else 0. */
export function atLeast(a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return tf.cast(tf.greaterEqual(a, b), "float32");
}

/** 1 where a = b, else 0. */
export function equalTo(a: tf.Tensor | number, b: tf.Tensor | number): tf.Tensor {
  return tf.mul(atLeast(a, b), atLeast(b, a));
}

/** The condition of a mask: where it is 1. */
export function holds(mask: tf.Tensor): tf.Tensor {
  return tf.greaterEqual(mask, 1);
}
