import { tf } from "../tensor/_tf.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { type BrokenTerm, NonFiniteError } from "./errors.ts";

/** What one training step reports. */
export interface StepResult {
  /** The 1-based step number. */
  step: number;
  /** The objective minimised at this step (per example). */
  loss: number;
  /** −E_q[log p(x|z)] per example (the autoencoder: Σ squared error per example). */
  reconstruction: number;
  /** KL(q(z|x) ‖ p(z)) per example (0 for the autoencoder). */
  kl: number;
  /** The weight on the KL used at this step. */
  beta: number;
  /** The capacity C of capacity annealing at this step (0 otherwise). */
  capacity: number;
}

/** Loss terms of one batch, as scalars. */
export interface Terms {
  /** The objective. */
  loss: tf.Scalar;
  /** −E_q[log p(x|z)]. */
  reconstruction: tf.Scalar;
  /** KL(q(z|x) ‖ p(z)). */
  kl: tf.Scalar;
}

/** The on-disk format written by `save` (tfjs's model.json + weights). */
export interface SavedModel {
  /** Always "elbo-model". */
  format: string;
  /** The package and version that wrote it. */
  generatedBy: string;
  /** The model's class and the configuration to rebuild it. */
  modelTopology: { class: string; config: Record<string, unknown> };
  /** tfjs's weights manifest: the binary file and each weight's name, shape and dtype. */
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  /** The step and any schedule state (β). */
  trainingState: Record<string, number>;
  /** The same for Adam's state, so that training resumes exactly. */
  optimizerManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

let instances = 0;

/**
 * What the autoencoder and the VAE share: variables with unique names, an
 * Adam optimiser, a training step that never applies a non-finite update,
 * and saving in tfjs's format.
 */
export abstract class TrainableModel {
  /** The number of steps taken. */
  step = 0;
  /** A prefix that keeps this instance's variable names unique in tfjs. */
  protected readonly prefix: string;
  /** Adam. */
  protected optimizer: tf.AdamOptimizer;

  /**
   * Creates the optimiser and a unique variable-name prefix.
   *
   * @param learningRate Adam's step size.
   */
  constructor(learningRate: number) {
    this.prefix = `elbo${instances++}`;
    this.optimizer = tf.train.adam(learningRate);
  }

  /** Every trainable variable, in a fixed order. */
  abstract variables(): tf.Variable[];
  /** Number of input coordinates. */
  abstract readonly inputSize: number;
  /** The loss terms of a batch (inside a tidy). */
  protected abstract terms(x: tf.Tensor2D, seed: number): Terms;
  /** The KL weight and capacity in use at the coming step. */
  protected abstract schedule(): { beta: number; capacity: number };
  /** Updates state after an applied step (e.g. the dual ascent on β). */
  protected afterStep(_kl: number): void {}
  /** The model's class name and configuration, for model.json. */
  protected abstract topology(): { class: string; config: Record<string, unknown> };
  /** Extra numbers to save with the weights. */
  protected abstract trainingState(): Record<string, number>;
  /** Restores those numbers. */
  protected abstract restoreTrainingState(state: Record<string, number>): void;
  /** The seed for the random ops of step t. */
  protected abstract stepSeed(step: number): number;

  /** Converts a batch to a tensor, checking it is finite. */
  protected batchTensor(batch: Float32Array | tf.Tensor2D, step: number): tf.Tensor2D {
    if (batch instanceof tf.Tensor) {
      if (batch.shape[1] !== this.inputSize) {
        throw new TypeError(
          `trainStep expects batches of ${this.inputSize} columns: current shape is [${batch.shape}]`,
        );
      }
      return batch;
    }
    if (
      !(batch instanceof Float32Array) || batch.length === 0 || batch.length % this.inputSize !== 0
    ) {
      throw new TypeError(
        `trainStep expects a Float32Array of whole rows of ${this.inputSize} values: current length is ${
          (batch as { length?: number })?.length
        }`,
      );
    }
    for (let i = 0; i < batch.length; i++) {
      if (!Number.isFinite(batch[i]!)) {
        throw new NonFiniteError(
          "batch",
          step,
          batch[i]!,
          `row ${Math.floor(i / this.inputSize)}, column ${i % this.inputSize}`,
        );
      }
    }
    return tf.tensor2d(batch, [batch.length / this.inputSize, this.inputSize]);
  }

  /**
   * One step of Adam on a batch. The loss terms and the gradient norm are
   * read back together (one asynchronous read) and checked before the update
   * is applied, so a non-finite value leaves the weights as they were.
   *
   * @param batch Rows of `inputSize` values (a Float32Array or a 2-D tensor).
   * @returns The loss, its terms and the KL weight of this step.
   * @throws {NonFiniteError} If the batch, a loss term or the gradient is not finite.
   */
  async trainStep(batch: Float32Array | tf.Tensor2D): Promise<StepResult> {
    const step = this.step + 1;
    const { beta, capacity } = this.schedule();
    const x = this.batchTensor(batch, step);
    const vars = this.variables();
    let kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const t = this.terms(x, this.stepSeed(step));
      kept = [tf.keep(t.reconstruction), tf.keep(t.kl)];
      return t.loss;
    }, vars);
    if (x !== batch) x.dispose();
    // Loss, its terms and the squared gradient norm, stacked into one tensor
    // (a running sum rather than addN, which the WebGPU backend gets wrong).
    const values = tf.tidy(() => {
      let norm: tf.Tensor = tf.scalar(0);
      for (const g of Object.values(grads)) norm = tf.add(norm, tf.sum(tf.square(g)));
      return tf.stack([value, ...kept, norm]);
    });
    tf.dispose([value, ...kept]);
    // The one read-back of the step: asynchronous, so that it also works on
    // WebGPU, where a synchronous read is not available in Deno.
    const [loss, reconstruction, kl, gradNorm] = (await values.data()) as unknown as [
      number,
      number,
      number,
      number,
    ];
    values.dispose();
    const broken: [BrokenTerm, number] | undefined = !Number.isFinite(reconstruction)
      ? ["reconstruction", reconstruction]
      : !Number.isFinite(kl)
      ? ["kl", kl]
      : !Number.isFinite(loss) || !Number.isFinite(gradNorm)
      ? ["gradient", gradNorm]
      : undefined;
    if (broken) {
      tf.dispose(grads);
      throw new NonFiniteError(broken[0], step, broken[1]);
    }
    this.optimizer.applyGradients(
      grads as unknown as Parameters<tf.AdamOptimizer["applyGradients"]>[0],
    );
    tf.dispose(grads);
    this.step = step;
    this.afterStep(kl);
    return { step, loss, reconstruction, kl, beta, capacity };
  }

  /** Strips the instance prefix from a variable name. */
  protected localName(v: tf.Variable): string {
    return v.name.slice(this.prefix.length + 1);
  }

  /**
   * Writes the model in tfjs's format: `model.json` (topology, weights
   * manifest, training state) beside `weights.bin`, plus the optimiser state
   * in `optimizer.bin` so that training can resume exactly. Every file is
   * written to a temporary name and renamed, `model.json` last, so a folder
   * never holds a half-written model.
   *
   * @param dir The folder (created if missing).
   */
  async save(dir: string): Promise<void> {
    await Deno.mkdir(dir, { recursive: true });
    const vars = this.variables();
    const weights = await tf.io.encodeWeights(
      vars.map((v) => ({ name: this.localName(v), tensor: v })),
    );
    const opt = await this.optimizer.getWeights();
    const optWeights = await tf.io.encodeWeights(
      opt.map((w, i) => ({ name: i === 0 ? "iter" : `slot${i}`, tensor: w.tensor })),
    );
    await writeAtomic(`${dir}/weights.bin`, new Uint8Array(weights.data));
    await writeAtomic(`${dir}/optimizer.bin`, new Uint8Array(optWeights.data));
    const json: SavedModel = {
      format: "elbo-model",
      generatedBy: "@elbo/elbo 0.1.0",
      modelTopology: this.topology(),
      weightsManifest: [{ paths: ["weights.bin"], weights: weights.specs }],
      optimizerManifest: [{ paths: ["optimizer.bin"], weights: optWeights.specs }],
      trainingState: { step: this.step, ...(await this.adamPowers()), ...this.trainingState() },
    };
    await writeAtomic(`${dir}/model.json`, JSON.stringify(json, null, 1));
  }

  /**
   * Loads a model written by {@linkcode save}: reads model.json, builds the
   * model from its configuration, then restores weights and state.
   *
   * @param dirOrUrl The folder or URL holding model.json.
   * @param className The class expected in model.json.
   * @param build Builds a fresh model from the saved configuration.
   * @returns The loaded model.
   */
  protected static async loadAs<M extends TrainableModel>(
    dirOrUrl: string | URL,
    className: string,
    build: (config: Record<string, unknown>) => M,
  ): Promise<M> {
    const { json, base } = await readModelJson(dirOrUrl, className);
    const model = build(json.modelTopology.config);
    try {
      await model.restore(json, base);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  }

  /** Loads weights, optimiser state and training state saved by {@linkcode save}. */
  protected async restore(json: SavedModel, base: URL): Promise<void> {
    const read = async (path: string) => {
      const res = await fetch(new URL(path, base));
      if (!res.ok) {
        throw new Error(`Cannot load ${new URL(path, base)}: ${res.status} ${res.statusText}`);
      }
      return await res.arrayBuffer();
    };
    const manifest = json.weightsManifest?.[0];
    if (!manifest) {
      throw new Error(`Cannot load model from ${base}: model.json has no weightsManifest`);
    }
    const buffer = await read(manifest.paths[0]!);
    const expected = manifest.weights.reduce(
      (s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1),
      0,
    );
    if (buffer.byteLength !== expected) {
      throw new Error(
        `Cannot load model from ${base}: ${
          manifest.paths[0]
        } holds ${buffer.byteLength} bytes but model.json describes ${expected}; the checkpoint is corrupt or incomplete`,
      );
    }
    const named = tf.io.decodeWeights(buffer, manifest.weights);
    for (const v of this.variables()) {
      const t = named[this.localName(v)];
      if (!t) {
        throw new Error(`Cannot load model from ${base}: weight ${this.localName(v)} is missing`);
      }
      if (t.shape.join() !== v.shape.join()) {
        throw new Error(
          `Cannot load model from ${base}: weight ${
            this.localName(v)
          } has shape [${t.shape}], expected [${v.shape}]`,
        );
      }
      v.assign(t);
    }
    tf.dispose(Object.values(named));
    const optManifest = json.optimizerManifest?.[0];
    if (optManifest) {
      const ob = await read(optManifest.paths[0]!);
      const ow = tf.io.decodeWeights(ob, optManifest.weights);
      const list = optManifest.weights.map((w) => ({ name: w.name, tensor: ow[w.name]! }));
      await this.optimizer.setWeights(list);
    }
    this.step = json.trainingState?.step ?? 0;
    this.restoreAdamPowers(json.trainingState ?? {});
    this.restoreTrainingState(json.trainingState ?? {});
  }

  /**
   * Adam keeps β₁ᵗ and β₂ᵗ as running float32 products; its `setWeights`
   * recomputes them with a power, which differs in the last bit. Saving and
   * restoring the products themselves makes a resumed run bit-identical.
   */
  private async adamPowers(): Promise<Record<string, number>> {
    const o = this.optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
    if (!o.accBeta1 || !o.accBeta2) return {};
    return {
      adamBeta1Power: (await o.accBeta1.data())[0]!,
      adamBeta2Power: (await o.accBeta2.data())[0]!,
    };
  }

  private restoreAdamPowers(state: Record<string, number>): void {
    const o = this.optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
    if (o.accBeta1 && typeof state.adamBeta1Power === "number") {
      o.accBeta1.assign(tf.scalar(state.adamBeta1Power));
    }
    if (o.accBeta2 && typeof state.adamBeta2Power === "number") {
      o.accBeta2.assign(tf.scalar(state.adamBeta2Power));
    }
  }

  /** Frees every tensor the model holds. */
  dispose(): void {
    tf.dispose(this.variables());
    this.optimizer.dispose();
  }
}

/** Resolves a folder path or URL to the URL of its model.json's folder. */
export function folderUrl(dirOrUrl: string | URL): URL {
  if (dirOrUrl instanceof URL) {
    return new URL(dirOrUrl.href.endsWith("/") ? dirOrUrl.href : dirOrUrl.href + "/");
  }
  if (/^[a-z]+:\/\//i.test(dirOrUrl)) {
    return new URL(dirOrUrl.endsWith("/") ? dirOrUrl : dirOrUrl + "/");
  }
  const abs = dirOrUrl.startsWith("/") ? dirOrUrl : `${Deno.cwd()}/${dirOrUrl}`;
  return new URL(`file://${abs.endsWith("/") ? abs : abs + "/"}`);
}

/** Reads model.json from a folder or URL, with clear errors. */
export async function readModelJson(
  dirOrUrl: string | URL,
  expectedClass: string,
): Promise<{ json: SavedModel; base: URL }> {
  const base = folderUrl(dirOrUrl);
  let text: string;
  try {
    const res = await fetch(new URL("model.json", base));
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    text = await res.text();
  } catch (e) {
    throw new Error(
      `Cannot load model: ${new URL("model.json", base)} cannot be read (${(e as Error).message})`,
    );
  }
  let json: SavedModel;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `Cannot load model: ${new URL("model.json", base)} is not valid JSON (${
        (e as Error).message
      }); the checkpoint is corrupt`,
    );
  }
  if (json?.modelTopology?.class !== expectedClass) {
    throw new Error(
      `Cannot load model: ${new URL("model.json", base)} holds a ${
        json?.modelTopology?.class ?? "unknown model"
      }, not a ${expectedClass}`,
    );
  }
  return { json, base };
}
