/**
 * The VAE 784-400-20 as a JavaScript user writes it with plain tfjs, in the
 * manner of the tfjs-examples VAE: `tf.layers.dense` layers, a sigmoid
 * output, the loss from `tf.metrics.binaryCrossentropy` × 784 plus the
 * analytic KL, autodiff and `optimizer.minimize`; the test log p(x) by
 * tiling each batch k times. The baseline of `deno task bench:reference`.
 *
 * @module
 */
import { tf } from "../../lib/tensor/_tf.ts";

const D = 784, H = 400, K = 20;

/** The naive model: its layers and Adam. */
export class NaiveVae {
  readonly #encoder = tf.layers.dense({ units: H, activation: "relu", inputShape: [D] });
  readonly #loc = tf.layers.dense({ units: K });
  readonly #logVar = tf.layers.dense({ units: K });
  readonly #decoder = tf.layers.dense({ units: H, activation: "relu", inputShape: [K] });
  readonly #out = tf.layers.dense({ units: D, activation: "sigmoid" });
  readonly #optimizer = tf.train.adam(1e-3);

  /** Builds the layers' weights (minimize differentiates the variables that exist when called). */
  constructor() {
    tf.tidy(() => this.#decode(this.#encode(tf.zeros([1, D]))[0]));
  }

  #encode(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const h = this.#encoder.apply(x) as tf.Tensor;
    return [this.#loc.apply(h) as tf.Tensor, this.#logVar.apply(h) as tf.Tensor];
  }

  #decode(z: tf.Tensor): tf.Tensor {
    return this.#out.apply(this.#decoder.apply(z)) as tf.Tensor;
  }

  /** One Adam step on a batch [n, 784]; returns the loss. */
  async step(x: tf.Tensor2D): Promise<number> {
    const loss = this.#optimizer.minimize(() => {
      const [loc, logVar] = this.#encode(x);
      const z = tf.add(loc, tf.mul(tf.exp(tf.mul(0.5, logVar)), tf.randomNormal(loc.shape)));
      const p = this.#decode(z);
      const reconstruction = tf.mul(tf.metrics.binaryCrossentropy(x, p), D);
      const kl = tf.mul(
        -0.5,
        tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(loc)), tf.exp(logVar)), -1),
      );
      return tf.mean(tf.add(reconstruction, kl)) as tf.Scalar;
    }, true)!;
    const [value] = await loss.data();
    loss.dispose();
    return value!;
  }

  /** Σ over rows of the importance-sampled log p(x) with k draws, the batch tiled k times. */
  async logPx(x: tf.Tensor2D, k: number): Promise<number> {
    const n = x.shape[0];
    const t = tf.tidy(() => {
      const [loc, logVar] = this.#encode(x);
      const std = tf.exp(tf.mul(0.5, logVar));
      const eps = tf.randomNormal([k, n, K]);
      const z = tf.add(loc, tf.mul(std, eps));
      const p = tf.reshape(this.#decode(tf.reshape(z, [k * n, K])), [k, n, D]);
      const xs = tf.tile(tf.expandDims(x, 0), [k, 1, 1]);
      const ll = tf.mul(-D, tf.metrics.binaryCrossentropy(xs, p));
      const logPz = tf.mul(-0.5, tf.sum(tf.add(tf.square(z), Math.log(2 * Math.PI)), -1));
      const logQz = tf.mul(
        -0.5,
        tf.sum(tf.add(tf.add(tf.square(eps), Math.log(2 * Math.PI)), logVar), -1),
      );
      const w = tf.sub(tf.add(ll, logPz), logQz);
      return tf.sum(tf.sub(tf.logSumExp(w, 0), Math.log(k)));
    });
    const [value] = await t.data();
    t.dispose();
    return value!;
  }

  /** Frees the layers' weights and Adam's state. */
  dispose(): void {
    for (const l of [this.#encoder, this.#loc, this.#logVar, this.#decoder, this.#out]) {
      tf.dispose(l.getWeights());
    }
    this.#optimizer.dispose();
  }
}
