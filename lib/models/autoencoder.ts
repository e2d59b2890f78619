import { tf } from "../tensor/_tf.ts";
import { assertRows } from "../tensor/_validate.ts";
import { TrainableModel } from "./trainable_model.ts";
import type { ModelReport } from "./report.ts";
import type { DenseGradient } from "../tensor/dense.ts";
import { deriveSeed, type Layer, makeLayer, mlp } from "./_mlp.ts";
import { readOptions } from "../math/_options.ts";
import { assertModelSize, NETWORK_OPTIONS, networkOptions } from "./_options.ts";
import { EVALUATION_CHUNK_ELEMENTS } from "./_limits.ts";

/** Options of {@linkcode Autoencoder}. */
export interface AutoencoderOptions {
  /** D. */
  inputSize: number;
  /** Hidden widths of the encoder; the decoder mirrors them (default [400]; [] for none). */
  hiddenSizes?: number[];
  /** The code size (default 20). */
  latentSize?: number;
  /** Adam's step size (default 1e-3). */
  learningRate?: number;
  /** Seed of the initial weights: any safe integer (default 0). */
  seed?: number;
  /** The dense layers' gradient (default `"custom"`). */
  denseGradient?: DenseGradient;
}

/**
 * A deterministic autoencoder, the starting point of the VAE:
 *
 * ```text
 * x̂ = d(e(x)),   loss = ‖x − x̂‖²   (summed over coordinates, averaged over the batch)
 * ```
 *
 * e is an MLP with a linear code layer; d an MLP with a sigmoid output. Its
 * one term, reported by `trainStep` and `evaluate`, is that squared error,
 * under the key `reconstruction`.
 *
 * @example
 * ```ts
 * import { Autoencoder } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const ae = new Autoencoder({ inputSize: 4, hiddenSizes: [8], latentSize: 2, learningRate: 0.01 });
 * const batch = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]);
 * const first = (await ae.trainStep(batch)).loss;
 * for (let i = 0; i < 100; i++) await ae.trainStep(batch);
 * const last = await ae.trainStep(batch);
 * assert.ok(last.loss < first / 2);
 * assert.deepEqual(last.terms, { reconstruction: last.loss });
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
  /** What the autoencoder reports: its squared error. */
  readonly report: ModelReport = {
    terms: [{ key: "reconstruction", label: "error", description: "squared error ‖x − x̂‖²" }],
    metrics: [{
      key: "reconstruction",
      label: "test error",
      description: "test squared error ‖x − x̂‖² per image",
    }],
    testLoss: { key: "reconstruction", sign: 1, label: "test error" },
    unit: "squared error",
    generative: false,
  };
  readonly #encoder: Layer[];
  readonly #decoder: Layer[];

  /**
   * Creates an autoencoder with seeded weights.
   *
   * @param options See {@linkcode AutoencoderOptions}. Unknown keys are refused.
   * @throws {RangeError} If a size is not an integer ≥ 1, the sizes give more
   *   than 2²⁵ parameters, or the learning rate or seed is out of range.
   * @throws {TypeError} If an option has the wrong type or is not one of
   *   {@linkcode AutoencoderOptions}.
   */
  constructor(options: AutoencoderOptions) {
    const what = "Cannot construct Autoencoder";
    const c: Required<AutoencoderOptions> = networkOptions(
      readOptions(what, options, NETWORK_OPTIONS),
    );
    const sizes = [c.inputSize, ...c.hiddenSizes, c.latentSize];
    const dsizes = [...sizes].reverse();
    const pairs = (l: number[]) => l.slice(1).map((o, i): [number, number] => [l[i]!, o]);
    assertModelSize(what, [...pairs(sizes), ...pairs(dsizes)]);
    super(c.learningRate);
    this.config = c;
    this.inputSize = c.inputSize;
    this.latentSize = c.latentSize;
    let n = 0;
    const layer = (name: string, i: number, o: number) =>
      makeLayer(`${this.prefix}/${name}`, i, o, deriveSeed(c.seed, n++));
    this.#encoder = sizes.slice(1).map((o, i) => layer(`encoder/${i}`, sizes[i]!, o));
    this.#decoder = dsizes.slice(1).map((o, i) => layer(`decoder/${i}`, dsizes[i]!, o));
  }

  /** Every trainable variable. */
  variables(): tf.Variable[] {
    return [...this.#encoder, ...this.#decoder].flatMap((l) => [l.kernel, l.bias]);
  }

  /**
   * The code e(x).
   *
   * @param x [batch, D], float32.
   * @returns [batch, latentSize].
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    this.assertInput("encode", "x", x, this.inputSize);
    return tf.tidy(() => mlp(x, this.#encoder, this.config.denseGradient, false, true));
  }

  /**
   * d(code), in [0, 1].
   *
   * @param code [batch, latentSize], float32.
   * @returns [batch, D].
   * @throws {TypeError} If `code` is not a live float32 tensor of latentSize columns, or the
   *   model is disposed.
   */
  decode(code: tf.Tensor2D): tf.Tensor2D {
    this.assertInput("decode", "code", code, this.latentSize);
    return tf.tidy(() => tf.sigmoid(mlp(code, this.#decoder, this.config.denseGradient)));
  }

  /**
   * The code e(x): the point of the latent space that stands for x (the
   * same as {@linkcode encode}).
   *
   * @param x [batch, D], float32.
   * @returns [batch, latentSize].
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    return this.encode(x);
  }

  /**
   * d(code), the decoder's output (the same as {@linkcode decode}).
   *
   * @param code [batch, latentSize], float32.
   * @returns [batch, D].
   * @throws {TypeError} If `code` is not a live float32 tensor of latentSize columns, or the
   *   model is disposed.
   */
  decodeMean(code: tf.Tensor2D): tf.Tensor2D {
    return this.decode(code);
  }

  /**
   * x̂ = d(e(x)).
   *
   * @param x [batch, D], float32.
   * @returns [batch, D].
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    this.assertInput("reconstruct", "x", x, this.inputSize);
    return tf.tidy(() => this.decode(this.encode(x)));
  }

  /** The seed of the random ops of a step. */
  protected override stepSeed(step: number): number {
    return step;
  }

  /** The loss on a batch, ‖x − x̂‖² averaged over the rows; its one term. */
  protected override objective(
    x: tf.Tensor2D,
  ): { loss: tf.Scalar; terms: { reconstruction: tf.Scalar } } {
    const rec = tf.mean(tf.sum(tf.square(tf.sub(x, this.reconstruct(x))), -1)) as tf.Scalar;
    return { loss: rec, terms: { reconstruction: rec } };
  }

  /**
   * The mean squared reconstruction error per example, ‖x − x̂‖², in batches
   * of at most about 2²¹ values per tensor.
   *
   * @param data Rows of D finite values.
   * @returns `{ reconstruction, examples }`.
   * @throws {TypeError} If `data` is not a Float32Array of whole rows, or the model is
   *   disposed or busy.
   * @throws {RangeError} If `data` holds a non-finite value.
   */
  async evaluate(data: Float32Array): Promise<{ reconstruction: number; examples: number }> {
    const what = this.where("evaluate");
    return await this.exclusive(what, async () => {
      const D = this.inputSize, N = assertRows(what, "data", data, D);
      const rows = Math.max(1, Math.floor(EVALUATION_CHUNK_ELEMENTS / this.width()));
      let total = 0;
      for (let s = 0; s < N; s += rows) {
        const n = Math.min(rows, N - s);
        const t = tf.tidy(() => {
          const x = tf.tensor2d(data.subarray(s * D, (s + n) * D), [n, D]);
          return tf.sum(tf.square(tf.sub(x, this.reconstruct(x))));
        });
        total += (await t.data())[0]!;
        t.dispose();
      }
      return { reconstruction: total / N, examples: N };
    });
  }

  /** The class name and configuration written to model.json. */
  protected override topology(): { class: string; config: Record<string, unknown> } {
    return { class: "Autoencoder", config: structuredClone(this.config) };
  }

  /**
   * Loads an autoencoder written by `save`.
   *
   * @param dirOrUrl The folder (or URL) holding model.json.
   * @returns The model.
   * @throws {CheckpointError} If a file is missing, corrupt, or of another model.
   * @throws {TypeError} If `dirOrUrl` is not a string or a URL.
   * @throws {RangeError} If `dirOrUrl` is the empty string.
   */
  static load(dirOrUrl: string | URL): Promise<Autoencoder> {
    return TrainableModel.loadAs(
      dirOrUrl,
      "Autoencoder",
      (c) => new Autoencoder(c as unknown as AutoencoderOptions),
    );
  }
}
