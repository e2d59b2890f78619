import { tf } from "../tensor/_tf.ts";
import { type Terms, TrainableModel } from "./trainable_model.ts";
import { type DenseGradient, deriveSeed, type Layer, makeLayer, mlp } from "./_mlp.ts";

/** Options of {@linkcode Autoencoder}. */
export interface AutoencoderOptions {
  /** D. */
  inputSize: number;
  /** Hidden widths of the encoder; the decoder mirrors them (default [400]). */
  hiddenSizes?: number[];
  /** The code size (default 20). */
  latentSize?: number;
  /** Adam's step size (default 1e-3). */
  learningRate?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
  /** The dense layers' gradient (default `"custom"`). */
  denseGradient?: DenseGradient;
}

/**
 * The deterministic autoencoder of seed 001, the starting point of the VAE:
 *
 * ```text
 * x̂ = d(e(x)),   loss = ‖x − x̂‖²   (summed over coordinates, averaged over the batch)
 * ```
 *
 * e is an MLP with a linear code layer; d an MLP with a sigmoid output.
 *
 * @example
 * ```ts
 * import { Autoencoder, useBackend } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const ae = new Autoencoder({ inputSize: 4, hiddenSizes: [8], latentSize: 2, learningRate: 0.01 });
 * const batch = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]);
 * const first = (await ae.trainStep(batch)).loss;
 * for (let i = 0; i < 100; i++) await ae.trainStep(batch);
 * assert.ok((await ae.trainStep(batch)).loss < first / 2);
 * ae.dispose();
 * ```
 */
export class Autoencoder extends TrainableModel {
  /** The resolved configuration. */
  readonly config: Required<AutoencoderOptions>;
  /** D. */
  readonly inputSize: number;
  /** The code size. */
  readonly latentSize: number;
  readonly #encoder: Layer[];
  readonly #decoder: Layer[];

  /**
   * Creates an autoencoder with seeded weights.
   *
   * @param options See {@linkcode AutoencoderOptions}.
   * @throws {RangeError} If a size is not a positive integer.
   */
  constructor(options: AutoencoderOptions) {
    const c: Required<AutoencoderOptions> = {
      inputSize: options?.inputSize,
      hiddenSizes: options?.hiddenSizes ?? [400],
      latentSize: options?.latentSize ?? 20,
      learningRate: options?.learningRate ?? 1e-3,
      seed: options?.seed ?? 0,
      denseGradient: options?.denseGradient ?? "custom",
    };
    for (
      const [name, v] of [
        ["inputSize", c.inputSize],
        ["latentSize", c.latentSize],
        ...c.hiddenSizes.map((h, i) => [`hiddenSizes[${i}]`, h]),
      ] as [string, number][]
    ) {
      if (!Number.isInteger(v) || v < 1) {
        throw new RangeError(
          `Cannot construct Autoencoder as ${name} must be an integer ≥ 1: current value is ${v}`,
        );
      }
    }
    super(c.learningRate);
    this.config = c;
    this.inputSize = c.inputSize;
    this.latentSize = c.latentSize;
    let n = 0;
    const layer = (name: string, i: number, o: number) =>
      makeLayer(`${this.prefix}/${name}`, i, o, deriveSeed(c.seed, n++));
    const sizes = [c.inputSize, ...c.hiddenSizes, c.latentSize];
    this.#encoder = sizes.slice(1).map((o, i) => layer(`encoder/${i}`, sizes[i]!, o));
    const dsizes = [...sizes].reverse();
    this.#decoder = dsizes.slice(1).map((o, i) => layer(`decoder/${i}`, dsizes[i]!, o));
  }

  /** Every trainable variable. */
  variables(): tf.Variable[] {
    return [...this.#encoder, ...this.#decoder].flatMap((l) => [l.kernel, l.bias]);
  }

  /**
   * The code e(x).
   *
   * @param x [batch, D].
   * @returns [batch, latentSize].
   */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => mlp(x, this.#encoder, this.config.denseGradient, false, true));
  }

  /**
   * d(code), in [0, 1].
   *
   * @param code [batch, latentSize].
   * @returns [batch, D].
   */
  decode(code: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(mlp(code, this.#decoder, this.config.denseGradient)));
  }

  /**
   * x̂ = d(e(x)).
   *
   * @param x [batch, D].
   * @returns [batch, D].
   */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decode(this.encode(x)));
  }

  /** The seed of the random ops of a step. */
  protected override stepSeed(step: number): number {
    return step;
  }

  /** The KL weight and capacity of the coming step. */
  protected override schedule(): { beta: number; capacity: number } {
    return { beta: 0, capacity: 0 };
  }

  /** The loss and its terms on a batch. */
  protected override terms(x: tf.Tensor2D): Terms {
    const rec = tf.mean(tf.sum(tf.square(tf.sub(x, this.reconstruct(x))), -1)) as tf.Scalar;
    return { loss: rec, reconstruction: rec, kl: tf.scalar(0) };
  }

  /**
   * The mean squared reconstruction error per example, ‖x − x̂‖².
   *
   * @param data Rows of D values.
   * @returns `{ reconstruction, examples }`.
   */
  async evaluate(data: Float32Array): Promise<{ reconstruction: number; examples: number }> {
    const D = this.inputSize, N = data.length / D;
    if (!Number.isInteger(N) || N === 0) {
      throw new TypeError(
        `Autoencoder.evaluate expects whole rows of ${D} values: current length is ${data.length}`,
      );
    }
    let total = 0;
    for (let s = 0; s < N; s += 500) {
      const n = Math.min(500, N - s);
      const t = tf.tidy(() => {
        const x = tf.tensor2d(data.subarray(s * D, (s + n) * D), [n, D]);
        return tf.sum(tf.square(tf.sub(x, this.reconstruct(x))));
      });
      total += (await t.data())[0]!;
      t.dispose();
    }
    return { reconstruction: total / N, examples: N };
  }

  /** The class name and configuration written to model.json. */
  protected override topology(): { class: string; config: Record<string, unknown> } {
    return { class: "Autoencoder", config: { ...this.config } };
  }

  /** The numbers saved beside the weights. */
  protected override trainingState(): Record<string, number> {
    return {};
  }

  /** Restores the numbers saved beside the weights. */
  protected override restoreTrainingState(): void {}

  /**
   * Loads an autoencoder written by `save`.
   *
   * @param dirOrUrl The folder (or URL) holding model.json.
   * @returns The model.
   */
  static load(dirOrUrl: string | URL): Promise<Autoencoder> {
    return TrainableModel.loadAs(
      dirOrUrl,
      "Autoencoder",
      (c) => new Autoencoder(c as unknown as AutoencoderOptions),
    );
  }
}
