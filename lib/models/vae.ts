import { tf } from "../tensor/_tf.ts";
import { TensorDistributionBase } from "../tensor/distributions/distribution.ts";
import type { Bernoulli } from "../tensor/distributions/bernoulli.ts";
import type { DiagNormal } from "../tensor/distributions/diag_normal.ts";
import type { ContinuousBernoulli } from "../tensor/distributions/continuous_bernoulli.ts";
import { Normal } from "../tensor/distributions/normal.ts";
import { TrainableModel } from "./trainable_model.ts";
import type { ModelReport } from "./report.ts";
import { deriveSeed } from "./_mlp.ts";
import { VAENetworks, type VAENetworksBase } from "./_vae_network.ts";
import { ConvNetworks } from "./_conv_network.ts";
import { dualAscent, fitOf } from "./objectives.ts";
import { evaluateVae } from "./_vae_evaluation.ts";
import type { EvaluateOptions, Evaluation } from "./evaluation.ts";
import { resolveVAEOptions, type VAEConfig, type VAEOptions } from "./vae_options.ts";
import { checkBeta, dataRangeOf, draw, initialBeta, stepLoss, vaeReport } from "./_vae_training.ts";
import { FlowPosterior } from "./flow_posterior.ts";

/**
 * A variational autoencoder on TensorFlow.js (Kingma & Welling 2014), built from the tensor
 * distributions: an MLP encoder whose two linear heads give the location and log σ² of q(z|x) =
 * N(μ(x), diag σ²(x)) (a `DiagNormal`; with `posterior: { flow: "iaf" }` that Gaussian through
 * an inverse autoregressive flow conditioned on a third head, a {@linkcode FlowPosterior}), the
 * prior p(z) = N(0, 1) per coordinate (a `Normal`), and an MLP decoder whose p(x|z) is a
 * `Bernoulli` on logits or a `DiagNormal` with a fixed σ. β-VAE, capacity annealing, the
 * constrained form with β as a Lagrange multiplier, and the importance-weighted bound are
 * objectives of the same model (see {@linkcode Objective}); each is a small function of these
 * distributions in `lib/models/objectives.ts`.
 *
 * @example Train a few steps and evaluate
 * ```ts
 * import { VAE } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const vae = new VAE({ inputSize: 4, hiddenSizes: [8], latentSize: 2, seed: 1 });
 * const batch = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]);
 * const first = await vae.trainStep(batch);
 * for (let i = 0; i < 50; i++) await vae.trainStep(batch);
 * assert.ok((await vae.trainStep(batch)).loss < first.loss);
 * assert.deepEqual(Object.keys(first.terms), ["reconstruction", "kl", "beta"]);
 * const ev = await vae.evaluate(batch, { importanceSamples: 10 });
 * assert.ok(ev.logLikelihood >= ev.elbo - 0.5);
 * vae.dispose();
 * ```
 */
export class VAE extends TrainableModel {
  /** The resolved configuration. */
  readonly config: VAEConfig;
  /** D. */
  readonly inputSize: number;
  /** K. */
  readonly latentSize: number;
  /** The current KL weight β (moves only under the constrained objective). */
  beta: number;
  /** The prior p(z): N(0, 1) for each latent coordinate. */
  readonly prior: Normal;
  /** What the VAE reports: the ELBO's terms and its objective's weights, and its evaluation. */
  readonly report: ModelReport;
  readonly #net: VAENetworksBase;

  /**
   * Creates a VAE with seeded Glorot-uniform weights.
   *
   * @param options See {@linkcode VAEOptions}. Unknown keys are refused, so
   *   that a misspelt option is not silently ignored.
   * @throws {RangeError} If a size or setting is out of range (sizes must give
   *   at most 2²⁵ parameters).
   * @throws {TypeError} If an option has the wrong type, a choice is unknown,
   *   or an option is not one of {@linkcode VAEOptions}.
   */
  constructor(options: VAEOptions) {
    const c = resolveVAEOptions(options);
    const Networks = c.network === "conv" ? ConvNetworks : VAENetworks;
    Networks.assertSize(c);
    super(c.learningRate);
    this.config = c;
    this.inputSize = c.inputSize;
    this.latentSize = c.latentSize;
    this.beta = initialBeta(c.objective);
    this.report = vaeReport(c);
    this.#net = new Networks(this.prefix, c);
    this.prior = new Normal(0, 1);
  }

  /** Every trainable variable. */
  variables(): tf.Variable[] {
    return this.#net.variables();
  }

  /** The most values a layer's activations hold per input row. */
  protected override width(): number {
    return this.#net.width;
  }

  /**
   * The approximate posterior q(z|x) = N(μ(x), diag σ²(x)): the encoder's
   * heads give μ and log σ², and σ = exp(½ log σ²). With a flow posterior,
   * that Gaussian through the flow conditioned on the encoder's context h(x).
   *
   * @param x Inputs, [batch, D], float32.
   * @returns A `DiagNormal` (a {@linkcode FlowPosterior} with a flow) of batch
   *   shape [batch] and event shape [K]; its `dispose()` frees every tensor it holds.
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  encode(x: tf.Tensor2D): DiagNormal | FlowPosterior {
    this.assertInput("encode", "x", x, this.inputSize);
    return TensorDistributionBase.tidy(() => this.#net.posterior(x));
  }

  /**
   * The likelihood p(x|z) of latent codes: independent (continuous)
   * Bernoulli pixels on the decoder's logits, or N(x̂, σ²) per pixel with
   * x̂ = sigmoid(decoder output) and σ = `observationScale` (a `DiagNormal`:
   * the image is the event of each, and `logProb(x)` one number per image).
   *
   * @param z Latent codes, [batch, K], float32.
   * @returns A `Bernoulli`, `ContinuousBernoulli` or `DiagNormal` of batch shape [batch] and event
   *   shape [D]; its `dispose()` frees every tensor it holds.
   * @throws {TypeError} If `z` is not a live float32 tensor of K columns, or the model is disposed.
   */
  decode(z: tf.Tensor2D): Bernoulli | DiagNormal | ContinuousBernoulli {
    this.assertInput("decode", "z", z, this.latentSize);
    return TensorDistributionBase.tidy(() => this.#net.likelihood(z));
  }

  /**
   * The posterior mean E_q[z|x] = μ(x), the point that stands for x (with a
   * flow posterior, whose mean has no closed form, `FlowPosterior.center()`).
   *
   * @param x Inputs, [batch, D], float32.
   * @returns [batch, K].
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  embed(x: tf.Tensor2D): tf.Tensor2D {
    this.assertInput("embed", "x", x, this.inputSize);
    return tf.tidy(() => {
      const q = this.encode(x);
      return (q instanceof FlowPosterior ? q.center() : q.loc) as tf.Tensor2D;
    });
  }

  /**
   * The mean of p(x|z): pixel probabilities (Bernoulli) or means (Gaussian).
   *
   * @param z Latent codes, [batch, K], float32.
   * @returns [batch, D].
   * @throws {TypeError} If `z` is not a live float32 tensor of K columns, or the model is disposed.
   */
  decodeMean(z: tf.Tensor2D): tf.Tensor2D {
    this.assertInput("decodeMean", "z", z, this.latentSize);
    return tf.tidy(() => this.decode(z).mean() as tf.Tensor2D);
  }

  /**
   * Decodes the posterior mean: x ↦ E[p(x | z = μ(x))].
   *
   * @param x Inputs, [batch, D], float32.
   * @returns [batch, D].
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    this.assertInput("reconstruct", "x", x, this.inputSize);
    return tf.tidy(() => this.decodeMean(this.embed(x)));
  }

  /**
   * Draws from the model: z ~ p(z), then the mean of p(x|z). The draws
   * depend on the model's seed and on `seed`.
   *
   * @param n How many: at most as many as keep the result under 2²⁵ values.
   * @param seed Seed of the draws, any safe integer (default 0).
   * @returns [n, D].
   * @throws {RangeError} If `n` is not an integer ≥ 1 or is too large, or `seed` is not a safe integer.
   * @throws {TypeError} If `n` or `seed` is not a number, or the model is disposed.
   */
  override sample(n: number, seed = 0): tf.Tensor2D {
    const what = this.where("sample");
    this.assertLive(what);
    return draw(what, this, this.width(), this.config.seed, n, seed);
  }

  /** The seed of the random ops of a step. */
  protected override stepSeed(step: number): number {
    return deriveSeed(this.config.seed, step + 1000);
  }

  /** Data for the Bernoulli likelihood are in [0, 1]. */
  protected override dataRange(): { min: number; max: number; why: string } | undefined {
    return dataRangeOf(this.config);
  }

  /** k for the importance-weighted bound, else 1. */
  protected override stepSamples(): number {
    return this.config.objective.kind === "iwae" ? this.config.objective.k : 1;
  }

  /**
   * The objective on a batch: q(z|x), k draws z ~ q (and a flow's log q(z|x), same pass),
   * p(x|z) at each, then the terms and the loss of `objectives.ts` with this step's weights.
   */
  protected override objective(
    x: tf.Tensor2D,
    seed: number,
  ): { loss: tf.Scalar; terms: Record<string, tf.Scalar | number> } {
    const f = fitOf(
      this.encode(x),
      this.prior,
      this.stepSamples(),
      seed,
      (z) => this.#net.logLikelihood(x, z),
    );
    return stepLoss(f, this.config, this.step, this.beta);
  }

  /** Dual ascent on β after an applied step (the constrained objective). */
  protected override afterStep(terms: Record<string, number>): void {
    this.beta = dualAscent(this.config.objective, this.beta, terms.kl!);
  }

  /**
   * Evaluates on a data set, from seeded draws: the ELBO, the importance-sampled
   * log p(x) with log wᵢ = log p(x|zᵢ) + log p(zᵢ) − log q(zᵢ|x) (a flow
   * posterior's own density), the KL (and, for the diagonal Gaussian, per
   * coordinate) and the active units, in memory bounded for any k.
   *
   * @param data Rows of D finite values (binarised for the Bernoulli likelihood).
   * @param options See {@linkcode EvaluateOptions}: k, rows per batch, seed, chunk size.
   * @returns Per-example averages (see {@linkcode Evaluation}).
   * @throws {TypeError} If `data` is not a Float32Array of whole rows, an option has the
   *   wrong type or is unknown, or the model is disposed or busy.
   * @throws {RangeError} If `data` holds a non-finite value (or, for the Bernoulli
   *   likelihood, one outside [0, 1]) or an option is out of range.
   */
  async evaluate(data: Float32Array, options: EvaluateOptions = {}): Promise<Evaluation> {
    const what = this.where("evaluate");
    return await this.exclusive(
      what,
      () => evaluateVae(what, this, this.#net, this.dataRange(), data, options),
    );
  }

  /** The class name and configuration written to model.json. */
  protected override topology(): { class: string; config: Record<string, unknown> } {
    return { class: "VAE", config: structuredClone(this.config) };
  }

  /** The numbers saved beside the weights. */
  protected override trainingState(): Record<string, number> {
    return { beta: this.beta };
  }

  /** What is wrong with saved training state: β must be ≥ 0. */
  protected override checkTrainingState(state: Record<string, number>): string | undefined {
    return checkBeta(state) ?? super.checkTrainingState(state);
  }

  /** Restores the numbers saved beside the weights. */
  protected override restoreTrainingState(state: Record<string, number>): void {
    if (typeof state.beta === "number") this.beta = state.beta;
  }

  /** Frees the prior's tensors. */
  protected override disposeExtra(): void {
    this.prior.dispose();
  }

  /**
   * Loads a VAE written by `save`, from a folder path or a URL (so a browser
   * can load it with `fetch`). Every file is checked (structure, sizes,
   * checksums, shapes, finite values) before any of it is used.
   *
   * @param dirOrUrl The folder holding model.json: a path, or a `file:` or `http(s):` URL.
   * @returns The model, with its weights, optimiser state and step.
   * @throws {CheckpointError} If a file is missing, corrupt, or of another model.
   * @throws {TypeError} If `dirOrUrl` is not a string or a URL.
   * @throws {RangeError} If `dirOrUrl` is the empty string.
   *
   * @example
   * ```ts
   * import { VAE } from "@elbo/elbo/models";
   * import { useBackend } from "@elbo/elbo/tensor";
   * import assert from "node:assert/strict";
   *
   * await useBackend("cpu");
   * const root = await Deno.makeTempDir();
   * const dir = `${root}/a #?% folder`; // any name the system accepts
   * const vae = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 7 });
   * await vae.save(dir);
   * const back = await VAE.load(dir);
   * assert.deepEqual(back.config, vae.config);
   * [vae, back].forEach((m) => m.dispose());
   * await Deno.remove(root, { recursive: true });
   * ```
   */
  static load(dirOrUrl: string | URL): Promise<VAE> {
    return TrainableModel.loadAs(dirOrUrl, "VAE", (c) => new VAE(c as unknown as VAEOptions));
  }
}
