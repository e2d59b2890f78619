// The convolutional encoder and decoder of Burgess et al. 2018 ("Understanding
// disentangling in β-VAE"): four 4×4 convolutions of stride 2 with 32
// channels and ReLU, then dense layers (256 units by default) and the two
// heads; the decoder mirrors it with transposed convolutions. Square images
// of side s, a multiple of 16, one channel, flattened row-major as D = s².
import { tf } from "../tensor/_tf.ts";
import { conv2d, conv2dTranspose } from "../tensor/conv.ts";
import { dense } from "../tensor/dense.ts";
import { deriveSeed, type Layer, makeLayer, mlp } from "./_mlp.ts";
import { assertModelSize } from "./_options.ts";
import { VAENetworksBase } from "./_vae_network.ts";
import type { VAEConfig } from "./vae_options.ts";

/** Channels of every convolution, kernel side and stride (Burgess et al. 2018). */
export const CONV = { channels: 32, kernel: 4, stride: 2, layers: 4 } as const;

/** A convolution's filter [k, k, in, out] (transposed: [k, k, out, in]) and bias. */
interface ConvLayer {
  filter: tf.Variable<tf.Rank.R4>;
  bias: tf.Variable<tf.Rank.R1>;
}

/** Glorot-uniform filter (fans k²·in and k²·out), zero bias, seeded. */
function makeConv(name: string, shape: [number, number, number, number], seed: number): ConvLayer {
  const k2 = shape[0] * shape[1];
  const limit = Math.sqrt(6 / (k2 * shape[2] + k2 * shape[3]));
  const w = tf.randomUniform(shape, -limit, limit, "float32", seed);
  // A transposed convolution's bias has its output channels, which come third.
  const b = tf.zeros([name.includes("deconv") ? shape[2] : shape[3]]);
  const layer = {
    filter: tf.variable(w, true, `${name}/kernel`) as tf.Variable<tf.Rank.R4>,
    bias: tf.variable(b, true, `${name}/bias`) as tf.Variable<tf.Rank.R1>,
  };
  tf.dispose([w, b]);
  return layer;
}

/** The image side s of a configuration (√D). */
export function imageSide(c: { inputSize: number }): number {
  return Math.round(Math.sqrt(c.inputSize));
}

/** The convolutional encoder and decoder, with seeded Glorot-uniform weights. */
export class ConvNetworks extends VAENetworksBase {
  readonly #convs: ConvLayer[] = [];
  readonly #encoder: Layer[];
  readonly #locHead: Layer;
  readonly #logVarHead: Layer;
  readonly #decoder: Layer[];
  readonly #deconvs: ConvLayer[] = [];
  readonly #side: number;
  readonly width: number;

  constructor(prefix: string, c: VAEConfig) {
    super(c);
    const s = imageSide(c), ch = CONV.channels, k = CONV.kernel;
    const flat = ConvNetworks.#flat(c);
    let n = 0;
    const seed = () => deriveSeed(c.seed, n++);
    for (let i = 0; i < CONV.layers; i++) {
      this.#convs.push(makeConv(`${prefix}/encoder/conv${i}`, [k, k, i ? ch : 1, ch], seed()));
    }
    const sizes = [flat, ...c.hiddenSizes], last = sizes.at(-1)!;
    this.#encoder = c.hiddenSizes.map((h, i) =>
      makeLayer(`${prefix}/encoder/${i}`, sizes[i]!, h, seed())
    );
    this.#locHead = makeLayer(`${prefix}/encoder/loc`, last, c.latentSize, seed());
    this.#logVarHead = makeLayer(`${prefix}/encoder/logVar`, last, c.latentSize, seed());
    const dsizes = [c.latentSize, ...[...c.hiddenSizes].reverse(), flat];
    this.#decoder = dsizes.slice(1).map((o, i) =>
      makeLayer(`${prefix}/decoder/${i}`, dsizes[i]!, o, seed())
    );
    for (let i = 0; i < CONV.layers; i++) {
      const out = i === CONV.layers - 1 ? 1 : ch;
      this.#deconvs.push(makeConv(`${prefix}/decoder/deconv${i}`, [k, k, out, ch], seed()));
    }
    this.#side = s;
    this.addFlow(prefix, last);
    // The first convolution's output is the widest activation: (s/2)² × 32.
    this.width = Math.max(c.inputSize, (s / 2) ** 2 * ch, ...sizes, this.flowWidth);
  }

  /** Values after the last convolution: (s/16)² × 32. */
  static #flat(c: VAEConfig): number {
    return (imageSide(c) / CONV.stride ** CONV.layers) ** 2 * CONV.channels;
  }

  /** Throws a RangeError if the networks would hold more than 2²⁵ parameters. */
  static assertSize(c: VAEConfig): void {
    const k2 = CONV.kernel ** 2, ch = CONV.channels, flat = ConvNetworks.#flat(c);
    const sizes = [flat, ...c.hiddenSizes], last = sizes.at(-1)!;
    const dsizes = [c.latentSize, ...[...c.hiddenSizes].reverse(), flat];
    assertModelSize("Cannot construct VAE", [
      [k2, ch],
      [k2 * ch, ch],
      [k2 * ch, ch],
      [k2 * ch, ch],
      ...c.hiddenSizes.map((h, i): [number, number] => [sizes[i]!, h]),
      [last, c.latentSize],
      [last, c.latentSize],
      ...dsizes.slice(1).map((o, i): [number, number] => [dsizes[i]!, o]),
      [k2 * ch, ch],
      [k2 * ch, ch],
      [k2 * ch, ch],
      [k2 * ch, 1],
      ...VAENetworksBase.flowSizes(c, last),
    ]);
  }

  protected networkVariables(): tf.Variable[] {
    const conv = (l: ConvLayer) => [l.filter, l.bias];
    const fc = (l: Layer) => [l.kernel, l.bias];
    return [
      ...this.#convs.flatMap(conv),
      ...[...this.#encoder, this.#locHead, this.#logVarHead, ...this.#decoder].flatMap(fc),
      ...this.#deconvs.flatMap(conv),
    ];
  }

  protected heads(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
    const n = x.shape[0], s = this.#side;
    let h: tf.Tensor4D = tf.reshape(x, [n, s, s, 1]);
    // The first layer's input is data: its gradient is never needed.
    this.#convs.forEach((l, i) => {
      h = tf.relu(
        conv2d(h, l.filter, l.bias, { stride: CONV.stride, pad: 1, inputGradient: i > 0 }),
      );
    });
    const flat = mlp(tf.reshape(h, [n, -1]), this.#encoder, "custom", true);
    return [
      dense(flat, this.#locHead.kernel, this.#locHead.bias),
      dense(flat, this.#logVarHead.kernel, this.#logVarHead.bias),
      flat,
    ];
  }

  protected decoderOutput(z: tf.Tensor2D): tf.Tensor2D {
    const m = z.shape[0], side = this.#side / CONV.stride ** CONV.layers;
    const flat = mlp(z, this.#decoder, "custom", true);
    let h: tf.Tensor4D = tf.reshape(flat, [m, side, side, CONV.channels]);
    this.#deconvs.forEach((l, i) => {
      h = conv2dTranspose(h, l.filter, l.bias, { stride: CONV.stride, pad: 1 });
      if (i < this.#deconvs.length - 1) h = tf.relu(h);
    });
    return tf.reshape(h, [m, this.c.inputSize]);
  }
}
