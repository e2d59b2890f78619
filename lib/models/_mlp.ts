import { tf } from "../tensor/_tf.ts";
import { dense, denseAutodiff } from "../tensor/dense.ts";

export { deriveSeed } from "../math/rng.ts";

/** Which gradient the dense layers use. */
export type DenseGradient = "custom" | "autodiff";

/** A dense layer's variables. */
export interface Layer {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

/**
 * A dense layer initialised as tfjs's Glorot-uniform default
 * (U(±√(6/(in+out)))), with zero bias, seeded.
 */
export function makeLayer(name: string, inSize: number, outSize: number, seed: number): Layer {
  const limit = Math.sqrt(6 / (inSize + outSize));
  return {
    kernel: tf.variable(
      tf.randomUniform([inSize, outSize], -limit, limit, "float32", seed),
      true,
      `${name}/kernel`,
    ),
    bias: tf.variable(tf.zeros([outSize]), true, `${name}/bias`),
  };
}

/**
 * Applies layers in turn, with ReLU between them (and none after the last).
 * `xIsData` marks x as input data, whose gradient is never needed.
 */
export function mlp(
  x: tf.Tensor2D,
  layers: Layer[],
  gradient: DenseGradient,
  lastActivation = false,
  xIsData = false,
): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = gradient === "custom"
      ? dense(h, l.kernel, l.bias, { inputGradient: !(xIsData && i === 0) })
      : denseAutodiff(h, l.kernel, l.bias);
    if (i < layers.length - 1 || lastActivation) h = tf.relu(h);
  });
  return h;
}
