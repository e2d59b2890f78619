import { tf } from "../tensor/_tf.ts";
import { dense, denseAutodiff } from "../tensor/dense.ts";

/** Which gradient the dense layers use. */
export type DenseGradient = "custom" | "autodiff";

/** A dense layer's variables. */
export interface Layer {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

/** A seed for tfjs's random ops derived from a base seed and a counter (in [1, 2³¹ − 1)). */
export function deriveSeed(seed: number, counter: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(counter | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  // Never 0: tfjs treats a seed of 0 as "no seed" and draws a random one.
  return ((h ^ (h >>> 13)) % 2147483646) + 1;
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
