import { tf } from "../tensor/_tf.ts";
import { dense, denseAutodiff, type DenseGradient } from "../tensor/dense.ts";

export { deriveSeed } from "../math/rng.ts";

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
  // A variable shares its initial tensor's data and counts a reference to it:
  // the initial tensors are disposed here, or dispose() could never free them.
  const w = tf.randomUniform([inSize, outSize], -limit, limit, "float32", seed);
  const b = tf.zeros([outSize]);
  const layer = {
    kernel: tf.variable(w, true, `${name}/kernel`) as tf.Variable<tf.Rank.R2>,
    bias: tf.variable(b, true, `${name}/bias`) as tf.Variable<tf.Rank.R1>,
  };
  tf.dispose([w, b]);
  return layer;
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
