import { tf } from "../tensor/_tf.ts";
import { TensorAdam } from "../tensor/adam.ts";
import { folderPath } from "../io/file_url.ts";
import type { SavedModel } from "../io/checkpoint.ts";
import {
  checkSavedState,
  loadModel,
  type ModelParts,
  restoreModel,
  saveModel,
} from "./_model_files.ts";
import { numberOf } from "../math/_ranges.ts";
import { POSITIVE_FLOAT32 } from "./_options.ts";
import { applyStep, assertColumns, assertStepFits } from "./_step.ts";
import { ModelGuard } from "./_guard.ts";
import type { ModelReport, StepResult } from "./report.ts";

export type { SavedModel };

let instances = 0;

/**
 * What the autoencoder and the VAE share: variables with unique names, an
 * Adam optimiser, a training step that never applies a non-finite update,
 * saving in tfjs's format, and a {@linkcode ModelReport} saying what the
 * model reports, so that a trainer or a report never needs its class.
 */
export abstract class TrainableModel {
  /** The number of steps taken. */
  step = 0;
  /** What the model reports: its terms, evaluation metrics and figures. */
  abstract readonly report: ModelReport;
  /** A prefix that keeps this instance's variable names unique in tfjs. */
  protected readonly prefix: string;
  /** Adam. */
  readonly #optimizer: TensorAdam;
  /** One operation at a time, none after dispose. */
  readonly #guard = new ModelGuard();

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
    numberOf(`Cannot construct ${new.target.name}`, "learningRate", learningRate, POSITIVE_FLOAT32);
    this.prefix = `elbo${instances++}`;
    this.#optimizer = new TensorAdam(learningRate);
  }

  /** Every trainable variable, in a fixed order. */
  abstract variables(): tf.Variable[];
  /** Number of input coordinates. */
  abstract readonly inputSize: number;
  /** x̂: the model's reconstruction of each row of x, [batch, D]. */
  abstract reconstruct(x: tf.Tensor2D): tf.Tensor2D;
  /** The point of the latent space standing for each row of x, [batch, latent size]. */
  abstract embed(x: tf.Tensor2D): tf.Tensor2D;
  /** The image of each latent point: the decoder's output (its mean), [batch, D]. */
  abstract decodeMean(z: tf.Tensor2D): tf.Tensor2D;
  /** n draws from a generative model, as images [n, D] (absent for the autoencoder). */
  sample?(n: number, seed?: number): tf.Tensor2D;
  /** Evaluates on a data set: the numbers `report.metrics` lists, per example. */
  abstract evaluate(
    data: Float32Array,
    options?: { importanceSamples?: number },
  ): Promise<Record<string, number | number[]>>;

  /**
   * The loss of a batch and its terms, run inside `tf.variableGrads`: a
   * scalar tensor for each term averaged over the batch, a number for each
   * weight set for the step (β, C).
   */
  protected abstract objective(
    x: tf.Tensor2D,
    seed: number,
  ): { loss: tf.Scalar; terms: Record<string, tf.Scalar | number> };
  /** Updates state after an applied step (e.g. the dual ascent on β). */
  protected afterStep(_terms: Record<string, number>): void {}
  /** The model's class name and configuration, for model.json. */
  protected abstract topology(): { class: string; config: Record<string, unknown> };
  /** Extra numbers to save with the weights. */
  protected trainingState(): Record<string, number> {
    return {};
  }
  /** Restores those numbers (checked by {@linkcode checkTrainingState}). */
  protected restoreTrainingState(_state: Record<string, number>): void {}
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
    return checkSavedState(state);
  }

  /** `Class.method`, for messages. */
  protected where(method: string): string {
    return `${this.constructor.name}.${method}`;
  }

  /** Throws a TypeError if the model has been disposed. */
  protected assertLive(what: string): void {
    this.#guard.assertLive(what);
  }

  /** Checks an input of `encode`, `decode`, `embed` or `reconstruct`: [rows, columns], float32. */
  protected assertInput(method: string, name: string, x: unknown, columns: number): void {
    const what = this.where(method);
    this.assertLive(what);
    assertColumns(what, name, x, columns);
  }

  /**
   * Runs an operation that reads or writes the weights, one at a time: a
   * second one started before the first finished would see (or save) weights
   * from the middle of a step.
   */
  protected async exclusive<T>(what: string, run: () => Promise<T>): Promise<T> {
    return await this.#guard.exclusive(what, run);
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
   * import { VAE } from "@elbo/elbo/models";
   * import { useBackend } from "@elbo/elbo/tensor";
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
    assertStepFits(this.where("trainStep"), rows, this.stepSamples(), this.width());
  }

  /**
   * One step of Adam on a batch. The loss, its terms and the gradient norm
   * are read back together (one asynchronous read) and checked before the
   * update is applied, so a non-finite value leaves the weights as they were.
   *
   * @param batch Rows of `inputSize` values (a Float32Array or a 2-D float32 tensor).
   * @returns The loss and the model's terms of this step (see `report.terms`).
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
    const rules = {
      columns: this.inputSize,
      range: this.dataRange(),
      step,
      fits: (rows: number) => this.assertStepFits(rows),
    };
    const seed = this.stepSeed(step);
    const { loss, terms } = await applyStep(
      this.where("trainStep"),
      batch,
      rules,
      this.variables(),
      this.#optimizer,
      (x) => this.objective(x, seed),
    );
    this.step = step;
    this.afterStep(terms);
    return { loss, terms };
  }

  /** The variables, their names in files, and Adam. */
  #parts(): ModelParts {
    const vars = this.variables();
    return {
      variables: vars,
      names: vars.map((v) => v.name.slice(this.prefix.length + 1)),
      optimizer: this.#optimizer,
    };
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
      const state = { step: this.step, ...this.trainingState() };
      await saveModel(path, this.#parts(), this.topology(), state);
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
  protected static loadAs<M extends TrainableModel>(
    dirOrUrl: string | URL,
    className: string,
    build: (config: Record<string, unknown>) => M,
  ): Promise<M> {
    return loadModel(dirOrUrl, className, build, async (model, json, base) => {
      const state = await restoreModel(
        json,
        base,
        model.#parts(),
        (s) => model.checkTrainingState(s),
      );
      model.step = state.step ?? 0;
      model.restoreTrainingState(state);
    });
  }

  /**
   * Frees every tensor the model holds (its weights and Adam's state). A
   * second call does nothing; any other use of a disposed model throws.
   *
   * @throws {TypeError} If a step, save or evaluation of the model is running.
   */
  dispose(): void {
    if (!this.#guard.dispose(this.where("dispose"))) return;
    tf.dispose(this.variables());
    this.#optimizer.dispose();
    this.disposeExtra();
  }

  /** Frees tensors a model holds besides its variables (the VAE's prior). */
  protected disposeExtra(): void {}
}
