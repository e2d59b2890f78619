import { tf } from "../tensor/_tf.ts";
import { assertIntegerIn } from "../math/_validate.ts";
import { assertTensor, describe, firstBadValue } from "../tensor/_validate.ts";
import { type BrokenTerm, CheckpointError, NonFiniteError } from "./errors.ts";
import {
  fileName,
  folderPath,
  folderUrl,
  readCheckpoint,
  readModelJson,
  type SavedModel,
  writeCheckpoint,
} from "./_checkpoint.ts";
import { assertLearningRate } from "./_options.ts";
import { MAX_STEP_ELEMENTS } from "./_limits.ts";

export { folderUrl, readModelJson, type SavedModel };

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
  /** The operation in progress (a step, a save, an evaluation), if any. */
  #busy: string | undefined;
  #disposed = false;

  /**
   * Creates the optimiser and a unique variable-name prefix.
   *
   * @param learningRate Adam's step size.
   * @throws {TypeError} If `learningRate` is not a number, or the class constructed is
   *   TrainableModel itself.
   * @throws {RangeError} If it is not finite and > 0 (in float32 too).
   */
  constructor(learningRate: number) {
    if (new.target === TrainableModel) {
      throw new TypeError(
        "Cannot construct TrainableModel as it is abstract: construct a VAE or an Autoencoder",
      );
    }
    assertLearningRate(`Cannot construct ${new.target.name}`, learningRate);
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
  /** Restores those numbers (checked by {@linkcode checkTrainingState}). */
  protected abstract restoreTrainingState(state: Record<string, number>): void;
  /** The seed for the random ops of step t. */
  protected abstract stepSeed(step: number): number;
  /** The values the data may take, if limited (the Bernoulli likelihood's [0, 1]). */
  protected dataRange(): { min: number; max: number; why: string } | undefined {
    return undefined;
  }

  /** How many times a step decodes each row (k for the importance-weighted bound). */
  protected stepSamples(): number {
    return 1;
  }

  /**
   * What is wrong with saved training state, if anything (every value is
   * already known to be a finite number).
   */
  protected checkTrainingState(state: Record<string, number>): string | undefined {
    if (state.step !== undefined && !(Number.isSafeInteger(state.step) && state.step >= 0)) {
      return `trainingState.step = ${state.step}, which must be an integer ≥ 0`;
    }
    for (const key of ["adamBeta1Power", "adamBeta2Power"]) {
      const v = state[key];
      if (v !== undefined && !(v > 0 && v <= 1)) {
        return `trainingState.${key} = ${v}, which must be in (0, 1]`;
      }
    }
    return undefined;
  }

  /** `Class.method`, for messages. */
  protected where(method: string): string {
    return `${this.constructor.name}.${method}`;
  }

  /** Throws a TypeError if the model has been disposed. */
  protected assertLive(what: string): void {
    if (this.#disposed) {
      throw new TypeError(`${what} cannot run as the model has been disposed`);
    }
  }

  /**
   * Runs an operation that reads or writes the weights, one at a time: a
   * second one started before the first finished would see (or save) weights
   * from the middle of a step.
   */
  protected async exclusive<T>(what: string, run: () => Promise<T>): Promise<T> {
    this.assertLive(what);
    if (this.#busy) {
      throw new TypeError(
        `${what} cannot start while ${this.#busy} of this model is running: await it first`,
      );
    }
    this.#busy = what;
    try {
      return await run();
    } finally {
      this.#busy = undefined;
    }
  }

  /** The widest layer: the most columns any activation of the model has. */
  protected width(): number {
    return Math.max(...this.variables().flatMap((v) => v.shape));
  }

  /**
   * Checks that a training step on `rows` rows fits in the memory a step may
   * use: rows × k × the widest layer ≤ 2²⁵ values (k = the importance samples
   * of the IWAE objective, else 1), since a step keeps about a dozen tensors
   * of that size for its backward pass and the wasm backend has 4 GiB in all.
   * `trainStep` checks this itself; call it to refuse a setting before
   * training starts.
   *
   * @param rows The batch size.
   * @throws {RangeError} If the step would not fit (the message says what does), or `rows` is
   *   not an integer ≥ 1.
   * @throws {TypeError} If `rows` is not a number.
   *
   * @example
   * ```ts
   * import { useBackend, VAE } from "@elbo/elbo/models";
   * import assert from "node:assert/strict";
   *
   * await useBackend("cpu");
   * const vae = new VAE({ inputSize: 784, hiddenSizes: [8], latentSize: 2, objective: { kind: "iwae", k: 5000 } });
   * vae.assertStepFits(1); // 5000 × 784 values
   * assert.throws(() => vae.assertStepFits(100), RangeError);
   * vae.dispose();
   * ```
   */
  assertStepFits(rows: number): void {
    const what = this.where("trainStep");
    assertIntegerIn(what, "the batch's rows", rows, 1, Number.MAX_SAFE_INTEGER);
    const k = this.stepSamples(), w = this.width();
    if (rows * k * w > MAX_STEP_ELEMENTS) {
      const most = Math.floor(MAX_STEP_ELEMENTS / (k * w));
      throw new RangeError(
        `${what} as a batch of ${rows} rows${
          k > 1 ? ` × ${k} importance samples (objective.k)` : ""
        } × ${w} units needs activations of ${
          rows * k * w
        } values, more than ${MAX_STEP_ELEMENTS} (128 MiB; a step keeps about a dozen of them for its backward pass): ${
          most >= 1 ? `use batches of at most ${most} rows` : "lower objective.k"
        }`,
      );
    }
  }

  /** Converts a batch to a tensor, checking its shape, size and values. */
  protected batchTensor(batch: Float32Array | tf.Tensor2D, step: number): tf.Tensor2D {
    const what = this.where("trainStep"), D = this.inputSize;
    if (batch instanceof tf.Tensor) {
      assertTensor(what, "batch", batch, 2);
      if (batch.shape[1] !== D || batch.shape[0] === 0) {
        throw new TypeError(
          `${what} as batch must have rows of ${D} columns: current shape is [${batch.shape}]`,
        );
      }
      this.assertStepFits(batch.shape[0]);
      return batch;
    }
    if (!(batch instanceof Float32Array)) {
      throw new TypeError(
        `${what} as batch must be a Float32Array or a 2-D tensor of rows of ${D} values: current value is ${
          describe(batch)
        }`,
      );
    }
    if (batch.length === 0 || batch.length % D !== 0) {
      throw new TypeError(
        `${what} as batch must be a Float32Array of whole rows of ${D} values: current length is ${batch.length}`,
      );
    }
    this.assertStepFits(batch.length / D);
    const range = this.dataRange(), i = firstBadValue(batch, range);
    if (i >= 0) {
      const at = `row ${Math.floor(i / D)}, column ${i % D}`;
      if (!Number.isFinite(batch[i]!)) throw new NonFiniteError("batch", step, batch[i]!, at);
      throw new RangeError(
        `${what} as batch must hold values in [${range!.min}, ${range!.max}] (${
          range!.why
        }): ${at} is ${batch[i]}`,
      );
    }
    return tf.tensor2d(batch, [batch.length / D, D]);
  }

  /**
   * One step of Adam on a batch. The loss terms and the gradient norm are
   * read back together (one asynchronous read) and checked before the update
   * is applied, so a non-finite value leaves the weights as they were.
   *
   * @param batch Rows of `inputSize` values (a Float32Array or a 2-D float32 tensor).
   * @returns The loss, its terms and the KL weight of this step.
   * @throws {NonFiniteError} If the batch, a loss term or the gradient is not finite.
   * @throws {TypeError} If the batch is not whole rows of `inputSize` values, the model
   *   has been disposed, or another step, save or evaluation of it is running.
   * @throws {RangeError} If the step would need more memory than a step may use
   *   (see {@linkcode assertStepFits}), or a value of a Float32Array batch is
   *   outside [0, 1] for a Bernoulli likelihood.
   */
  async trainStep(batch: Float32Array | tf.Tensor2D): Promise<StepResult> {
    return await this.exclusive(this.where("trainStep"), () => this.#step(batch));
  }

  async #step(batch: Float32Array | tf.Tensor2D): Promise<StepResult> {
    const step = this.step + 1;
    const { beta, capacity } = this.schedule();
    const x = this.batchTensor(batch, step);
    const vars = this.variables();
    let kept: tf.Scalar[] = [];
    let value: tf.Scalar, grads: tf.NamedTensorMap;
    try {
      ({ value, grads } = tf.variableGrads(() => {
        const t = this.terms(x, this.stepSeed(step));
        kept = [tf.keep(t.reconstruction), tf.keep(t.kl)];
        return t.loss;
      }, vars));
    } finally {
      if (x !== batch) x.dispose();
    }
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
   * manifest, training state and a SHA-256 checksum of each binary file)
   * beside `weights.bin`, plus the optimiser state in `optimizer.bin` so that
   * training can resume exactly. Every file is written to a temporary name
   * and renamed, `model.json` last, so a folder never holds a half-written
   * model.
   *
   * @param dir The folder (created if missing): a path, or a `file:` URL.
   * @throws {TypeError} If `dir` is not a path or a `file:` URL, or the model is disposed or busy.
   * @throws {RangeError} If `dir` is the empty string.
   * @throws {Deno.errors.PermissionDenied} Or another file-system error, if the folder cannot be written.
   */
  async save(dir: string | URL): Promise<void> {
    const what = this.where("save");
    const path = folderPath(what, dir);
    return await this.exclusive(what, async () => {
      const vars = this.variables();
      // getWeights makes a new scalar for the step count: disposed below.
      const opt = await this.optimizer.getWeights();
      try {
        await writeCheckpoint(
          path,
          this.topology(),
          { step: this.step, ...(await this.adamPowers()), ...this.trainingState() },
          vars.map((v) => ({ name: this.localName(v), tensor: v })),
          opt.map((w, i) => ({ name: i === 0 ? "iter" : `slot${i}`, tensor: w.tensor })),
        );
      } finally {
        opt[0]?.tensor.dispose();
      }
    });
  }

  /**
   * Loads a model written by {@linkcode save}: reads model.json, builds the
   * model from its configuration, then checks every file against it and only
   * then restores weights and state.
   *
   * @param dirOrUrl The folder or URL holding model.json.
   * @param className The class expected in model.json.
   * @param build Builds a fresh model from the saved configuration.
   * @returns The loaded model.
   * @throws {CheckpointError} If a file is missing, corrupt, or does not match the model.
   */
  protected static async loadAs<M extends TrainableModel>(
    dirOrUrl: string | URL,
    className: string,
    build: (config: Record<string, unknown>) => M,
  ): Promise<M> {
    const what = `${className}.load`;
    if (!(dirOrUrl instanceof URL)) folderPath(what, dirOrUrl);
    const { json, base } = await readModelJson(dirOrUrl, className);
    const file = fileName(new URL("model.json", base));
    let model: M;
    try {
      model = build(json.modelTopology.config);
    } catch (e) {
      if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
      throw new CheckpointError(
        `Cannot load model: ${file} holds a configuration that cannot be built (${e.message})`,
        { file, cause: e },
      );
    }
    try {
      await model.restore(json, base);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  }

  /** Checks a saved checkpoint completely, then restores weights, optimiser and training state. */
  protected async restore(json: SavedModel, base: URL): Promise<void> {
    const file = fileName(new URL("model.json", base));
    const state = json.trainingState ?? {};
    const problem = this.checkTrainingState(state);
    if (problem) {
      throw new CheckpointError(`Cannot load model: ${file} has ${problem}`, { file });
    }
    const vars = this.variables();
    const specs = vars.map((v) => ({ name: this.localName(v), shape: v.shape }));
    const values = await readCheckpoint(json, base, specs);
    // Everything is checked: from here on nothing can fail half-way.
    tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(values.weights[i]!, v.shape))));
    if (values.optimizer) {
      const { iterations, slots } = values.optimizer;
      const list = [
        { name: "iter", tensor: tf.scalar(iterations, "int32") as tf.Tensor },
        ...slots.map((s, i) => ({
          name: `slot${i + 1}`,
          tensor: tf.tensor(s, specs[i % specs.length]!.shape),
        })),
      ];
      try {
        await this.optimizer.setWeights(list);
      } finally {
        // setWeights makes variables that share these tensors' data.
        tf.dispose(list.map((w) => w.tensor));
      }
    }
    this.step = state.step ?? 0;
    this.restoreAdamPowers(state);
    this.restoreTrainingState(state);
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

  /** Puts back the products saved by {@linkcode adamPowers}. */
  private restoreAdamPowers(state: Record<string, number>): void {
    const o = this.optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
    tf.tidy(() => {
      if (o.accBeta1 && typeof state.adamBeta1Power === "number") {
        o.accBeta1.assign(tf.scalar(state.adamBeta1Power));
      }
      if (o.accBeta2 && typeof state.adamBeta2Power === "number") {
        o.accBeta2.assign(tf.scalar(state.adamBeta2Power));
      }
    });
  }

  /**
   * Frees every tensor the model holds (its weights and Adam's state). A
   * second call does nothing; any other use of a disposed model throws.
   *
   * @throws {TypeError} If a step, save or evaluation of the model is running.
   */
  dispose(): void {
    if (this.#disposed) return;
    if (this.#busy) {
      throw new TypeError(
        `${
          this.where("dispose")
        } cannot run while ${this.#busy} of this model is running: await it first`,
      );
    }
    this.#disposed = true;
    tf.dispose(this.variables());
    this.optimizer.dispose();
  }
}
