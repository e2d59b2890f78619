import { tf } from "../tensor/_tf.ts";
import {
  bernoulliLogProb,
  diagGaussianLogProb,
  gaussianLogLikelihood,
  klStandardNormalPerDim,
  logMeanExp,
} from "../tensor/distributions.ts";
import { dense, denseAutodiff } from "../tensor/dense.ts";
import { type StepResult, type Terms, TrainableModel } from "./trainable_model.ts";
import { type DenseGradient, deriveSeed, type Layer, makeLayer, mlp } from "./_mlp.ts";

/**
 * What the VAE minimises (MATH.md §8–10), per example, with
 * R = −E_q[log p(x|z)] and KL = KL(q(z|x) ‖ p(z)):
 *
 * ```text
 * elbo         R + KL
 * beta         R + β KL                                (fixed β; β > 1 for disentangling)
 * capacity     R + γ |KL − C|,  C = C_max · min(1, t / T)    (Burgess et al. 2018)
 * constrained  R + β (KL − δ),  then β ← max(0, β + η (KL − δ))   (dual ascent, seed 004)
 * iwae         −log (1/k) Σᵢ p(x, zᵢ) / q(zᵢ|x)        (Burda et al. 2015)
 * ```
 */
export type Objective =
  | { kind: "elbo" }
  | { kind: "beta"; beta: number }
  | { kind: "capacity"; gamma: number; maxCapacity: number; annealSteps: number }
  | { kind: "constrained"; budget: number; dualStepSize?: number; initialBeta?: number }
  | { kind: "iwae"; k: number };

/** Options of {@linkcode VAE}. */
export interface VAEOptions {
  /** D, the number of input coordinates (784 for MNIST). */
  inputSize: number;
  /** Hidden layer widths of the encoder; the decoder mirrors them (default [400]). */
  hiddenSizes?: number[];
  /** K, the latent size (default 20). */
  latentSize?: number;
  /** `"bernoulli"` (logits, binary cross-entropy; default) or `"gaussian"` (fixed-σ mean, MSE). */
  likelihood?: "bernoulli" | "gaussian";
  /** σ of the Gaussian likelihood (default 1/√2, which makes −log p the sum of squared errors + const). */
  observationScale?: number;
  /** The objective (default `{ kind: "elbo" }`). */
  objective?: Objective;
  /** `"analytic"` (closed form, default) or `"monteCarlo"` (log q(z|x) − log p(z) at the sample). */
  klEstimator?: "analytic" | "monteCarlo";
  /** Adam's step size (default 1e-3). */
  learningRate?: number;
  /** Seed of the initial weights and of every step's noise (default 0). */
  seed?: number;
  /** The dense layers' gradient: hand-written (`"custom"`, default) or tfjs's autodiff. */
  denseGradient?: DenseGradient;
}

/** What {@linkcode VAE.evaluate} reports, per example (nats). */
export interface Evaluation {
  /** The ELBO, E_q[log p(x|z)] − KL (the expectation averaged over the k draws, the KL analytic). */
  elbo: number;
  /** The importance-sampled log p(x), L_k with k = importanceSamples. */
  logLikelihood: number;
  /** −E_q[log p(x|z)]. */
  reconstruction: number;
  /** KL(q(z|x) ‖ p(z)). */
  kl: number;
  /** The KL of each latent coordinate. */
  klPerDimension: number[];
  /** Latent coordinates whose posterior mean varies across the data: Cov_x(E_q[z_u]) > 0.01 (Burda et al.). */
  activeUnits: number;
  /** k of the importance-sampled log p(x). */
  importanceSamples: number;
  /** How many examples were evaluated. */
  examples: number;
}

/** A VAE's configuration with every default filled in. */
export type VAEConfig = Required<Omit<VAEOptions, "objective">> & { objective: Objective };

function resolve(o: VAEOptions): VAEConfig {
  const what = "Cannot construct VAE";
  if (!Number.isInteger(o?.inputSize) || o.inputSize < 1) {
    throw new RangeError(
      `${what} as inputSize must be an integer ≥ 1: current value is ${o?.inputSize}`,
    );
  }
  const r = {
    inputSize: o.inputSize,
    hiddenSizes: o.hiddenSizes ?? [400],
    latentSize: o.latentSize ?? 20,
    likelihood: o.likelihood ?? "bernoulli",
    observationScale: o.observationScale ?? Math.SQRT1_2,
    objective: o.objective ?? { kind: "elbo" as const },
    klEstimator: o.klEstimator ?? "analytic",
    learningRate: o.learningRate ?? 1e-3,
    seed: o.seed ?? 0,
    denseGradient: o.denseGradient ?? "custom",
  };
  if (!Array.isArray(r.hiddenSizes) || r.hiddenSizes.some((h) => !Number.isInteger(h) || h < 1)) {
    throw new RangeError(
      `${what} as hiddenSizes must be positive integers: current value is [${r.hiddenSizes}]`,
    );
  }
  if (!Number.isInteger(r.latentSize) || r.latentSize < 1) {
    throw new RangeError(
      `${what} as latentSize must be an integer ≥ 1: current value is ${r.latentSize}`,
    );
  }
  if (r.likelihood !== "bernoulli" && r.likelihood !== "gaussian") {
    throw new TypeError(
      `${what} as likelihood must be "bernoulli" or "gaussian": current value is "${r.likelihood}"`,
    );
  }
  if (r.klEstimator !== "analytic" && r.klEstimator !== "monteCarlo") {
    throw new TypeError(
      `${what} as klEstimator must be "analytic" or "monteCarlo": current value is "${r.klEstimator}"`,
    );
  }
  if (!(r.learningRate > 0)) {
    throw new RangeError(`${what} as learningRate must be > 0: current value is ${r.learningRate}`);
  }
  if (!(r.observationScale > 0)) {
    throw new RangeError(
      `${what} as observationScale must be > 0: current value is ${r.observationScale}`,
    );
  }
  const ob = r.objective;
  const pos = (name: string, v: unknown, allowZero = false) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
      throw new RangeError(
        `${what} as objective.${name} must be ${allowZero ? "≥ 0" : "> 0"}: current value is ${v}`,
      );
    }
  };
  switch (ob?.kind) {
    case "elbo":
      break;
    case "beta":
      pos("beta", ob.beta, true);
      break;
    case "capacity":
      pos("gamma", ob.gamma);
      pos("maxCapacity", ob.maxCapacity, true);
      pos("annealSteps", ob.annealSteps);
      break;
    case "constrained":
      pos("budget", ob.budget, true);
      pos("dualStepSize", ob.dualStepSize ?? 0.01);
      pos("initialBeta", ob.initialBeta ?? 1, true);
      break;
    case "iwae":
      if (!Number.isInteger(ob.k) || ob.k < 1) {
        throw new RangeError(
          `${what} as objective.k must be an integer ≥ 1: current value is ${ob.k}`,
        );
      }
      break;
    default:
      throw new TypeError(
        `${what} as objective.kind must be elbo, beta, capacity, constrained or iwae: current value is ${
          JSON.stringify(ob)
        }`,
      );
  }
  return r;
}

/**
 * A variational autoencoder on TensorFlow.js (MATH.md §8): an MLP encoder with
 * linear heads for the location and log σ² of q(z|x) = N(μ(x), diag σ²(x)), a
 * prior p(z) = N(0, I), and an MLP decoder with a Bernoulli (logits) or
 * Gaussian (fixed σ) likelihood. β-VAE, capacity annealing, the constrained
 * form with β as a Lagrange multiplier, and the importance-weighted bound are
 * objectives of the same model (see {@linkcode Objective}).
 *
 * @example Train a few steps and evaluate
 * ```ts
 * import { useBackend, VAE } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const vae = new VAE({ inputSize: 4, hiddenSizes: [8], latentSize: 2, seed: 1 });
 * const batch = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]);
 * const first = await vae.trainStep(batch);
 * for (let i = 0; i < 50; i++) await vae.trainStep(batch);
 * assert.ok((await vae.trainStep(batch)).loss < first.loss);
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
  readonly #encoder: Layer[];
  readonly #locHead: Layer;
  readonly #logVarHead: Layer;
  readonly #decoder: Layer[];

  /**
   * Creates a VAE with seeded Glorot-uniform weights.
   *
   * @param options See {@linkcode VAEOptions}.
   * @throws {RangeError} If a size or setting is out of range.
   * @throws {TypeError} If a choice is unknown.
   */
  constructor(options: VAEOptions) {
    const c = resolve(options);
    super(c.learningRate);
    this.config = c;
    this.inputSize = c.inputSize;
    this.latentSize = c.latentSize;
    const ob = c.objective;
    this.beta = ob.kind === "beta" ? ob.beta : ob.kind === "constrained" ? ob.initialBeta ?? 1 : 1;
    let n = 0;
    const layer = (name: string, i: number, o: number) =>
      makeLayer(`${this.prefix}/${name}`, i, o, deriveSeed(c.seed, n++));
    const sizes = [c.inputSize, ...c.hiddenSizes];
    this.#encoder = c.hiddenSizes.map((h, i) => layer(`encoder/${i}`, sizes[i]!, h));
    const last = sizes[sizes.length - 1]!;
    this.#locHead = layer("encoder/loc", last, c.latentSize);
    this.#logVarHead = layer("encoder/logVar", last, c.latentSize);
    const dsizes = [c.latentSize, ...[...c.hiddenSizes].reverse(), c.inputSize];
    this.#decoder = dsizes.slice(1).map((o, i) => layer(`decoder/${i}`, dsizes[i]!, o));
  }

  /** Every trainable variable. */
  variables(): tf.Variable[] {
    return [...this.#encoder, this.#locHead, this.#logVarHead, ...this.#decoder].flatMap((
      l,
    ) => [l.kernel, l.bias]);
  }

  /**
   * The parameters of q(z|x).
   *
   * @param x Inputs, [batch, D].
   * @returns μ and log σ², each [batch, K] (the caller disposes them).
   */
  encode(x: tf.Tensor2D): { loc: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const f = this.config.denseGradient === "custom" ? dense : denseAutodiff;
      const h = mlp(x, this.#encoder, this.config.denseGradient, true, true);
      return {
        loc: f(h, this.#locHead.kernel, this.#locHead.bias),
        logVar: f(h, this.#logVarHead.kernel, this.#logVarHead.bias),
      };
    });
  }

  /** The decoder's raw output: logits (Bernoulli) or the pre-sigmoid mean (Gaussian). */
  #decodeRaw(z: tf.Tensor2D): tf.Tensor2D {
    return mlp(z, this.#decoder, this.config.denseGradient);
  }

  /** log p(x|z) per row, given the decoder's raw output. */
  #logLikelihood(x: tf.Tensor2D, raw: tf.Tensor2D): tf.Tensor1D {
    return this.config.likelihood === "bernoulli"
      ? bernoulliLogProb(x, raw)
      : gaussianLogLikelihood(x, tf.sigmoid(raw), this.config.observationScale);
  }

  /**
   * The mean of p(x|z): pixel probabilities (Bernoulli) or means (Gaussian).
   *
   * @param z Latent codes, [batch, K].
   * @returns [batch, D].
   */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.#decodeRaw(z)));
  }

  /**
   * Decodes the posterior mean: x ↦ E[p(x | z = μ(x))].
   *
   * @param x Inputs, [batch, D].
   * @returns [batch, D].
   */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decode(this.encode(x).loc));
  }

  /**
   * Draws from the model: z ~ N(0, I), then the mean of p(x|z).
   *
   * @param n How many.
   * @param seed Seed of the draws.
   * @returns [n, D].
   * @throws {RangeError} If `n` is not an integer ≥ 1.
   */
  sample(n: number, seed = 0): tf.Tensor2D {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`VAE.sample as n must be an integer ≥ 1: current value is ${n}`);
    }
    return tf.tidy(() =>
      this.decode(
        tf.randomNormal(
          [n, this.latentSize],
          0,
          1,
          "float32",
          deriveSeed(this.config.seed ^ 0x5a5a, seed),
        ),
      )
    );
  }

  /** The seed of the random ops of a step. */
  protected override stepSeed(step: number): number {
    return deriveSeed(this.config.seed, step + 1000);
  }

  /** The KL weight and capacity of the coming step. */
  protected override schedule(): { beta: number; capacity: number } {
    const ob = this.config.objective;
    if (ob.kind === "capacity") {
      return { beta: ob.gamma, capacity: ob.maxCapacity * Math.min(1, this.step / ob.annealSteps) };
    }
    return { beta: ob.kind === "beta" || ob.kind === "constrained" ? this.beta : 1, capacity: 0 };
  }

  /** Dual ascent on β after an applied step (constrained objective). */
  protected override afterStep(kl: number): void {
    const ob = this.config.objective;
    if (ob.kind === "constrained") {
      this.beta = Math.max(0, this.beta + (ob.dualStepSize ?? 0.01) * (kl - ob.budget));
    }
  }

  /**
   * k draws zᵢ = μ + σ ⊙ εᵢ per row and the pieces of the importance weights:
   * log p(x|zᵢ), log p(zᵢ), log q(zᵢ|x), each [k, batch], and the bound
   * log (1/k) Σᵢ p(x, zᵢ)/q(zᵢ|x), [batch].
   */
  #importanceWeights(
    x: tf.Tensor2D,
    loc: tf.Tensor2D,
    logVar: tf.Tensor2D,
    k: number,
    seed: number,
  ): {
    logPx: tf.Tensor;
    logPz: tf.Tensor;
    logQz: tf.Tensor;
    bound: tf.Tensor;
  } {
    const n = x.shape[0], K = this.latentSize;
    const eps = tf.randomNormal([k, n, K], 0, 1, "float32", seed);
    const z = tf.add(loc, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tf.Tensor3D;
    const xk = tf.reshape(tf.tile(tf.expandDims(x, 0), [k, 1, 1]), [
      k * n,
      this.inputSize,
    ]) as tf.Tensor2D;
    const logPx = tf.reshape(
      this.#logLikelihood(xk, this.#decodeRaw(tf.reshape(z, [k * n, K]) as tf.Tensor2D)),
      [k, n],
    );
    const logPz = diagGaussianLogProb(z, tf.zerosLike(z), tf.zerosLike(z));
    const logQz = diagGaussianLogProb(z, loc, logVar);
    return { logPx, logPz, logQz, bound: logMeanExp(tf.sub(tf.add(logPx, logPz), logQz), 0) };
  }

  /** The loss and its terms on a batch. */
  protected override terms(x: tf.Tensor2D, seed: number): Terms {
    const ob = this.config.objective;
    const { loc, logVar } = this.encode(x);
    const B = x.shape[0], K = this.latentSize;
    if (ob.kind === "iwae") {
      const { logPx, logPz, logQz, bound } = this.#importanceWeights(x, loc, logVar, ob.k, seed);
      return {
        loss: tf.neg(tf.mean(bound)),
        reconstruction: tf.neg(tf.mean(logPx)),
        kl: tf.mean(tf.sub(logQz, logPz)),
      };
    }
    const eps = tf.randomNormal([B, K], 0, 1, "float32", seed);
    const z = tf.add(loc, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps)) as tf.Tensor2D;
    const reconstruction = tf.neg(tf.mean(this.#logLikelihood(x, this.#decodeRaw(z))));
    const kl = this.config.klEstimator === "analytic"
      ? tf.mean(tf.sum(klStandardNormalPerDim(loc, logVar), -1))
      : tf.mean(
        tf.sub(
          diagGaussianLogProb(z, loc, logVar),
          diagGaussianLogProb(z, tf.zerosLike(z), tf.zerosLike(z)),
        ),
      );
    const { beta, capacity } = this.schedule();
    let loss: tf.Tensor;
    if (ob.kind === "capacity") {
      loss = tf.add(reconstruction, tf.mul(beta, tf.abs(tf.sub(kl, capacity))));
    } else if (ob.kind === "constrained") {
      loss = tf.add(reconstruction, tf.mul(beta, tf.sub(kl, ob.budget)));
    } else loss = tf.add(reconstruction, tf.mul(beta, kl));
    return {
      loss: loss as tf.Scalar,
      reconstruction: reconstruction as tf.Scalar,
      kl: kl as tf.Scalar,
    };
  }

  /**
   * Evaluates on a data set: the ELBO, the importance-sampled log p(x), the
   * KL per latent coordinate and the active units. Runs in batches; the
   * noise is seeded, so the same call gives the same numbers.
   *
   * @param data Rows of D values (binarised for the Bernoulli likelihood).
   * @param options `importanceSamples` k (default 50), `batchSize` (100), `seed` (0).
   * @returns Per-example averages (see {@linkcode Evaluation}).
   * @throws {TypeError} If `data` is not whole rows.
   */
  async evaluate(
    data: Float32Array,
    options: { importanceSamples?: number; batchSize?: number; seed?: number } = {},
  ): Promise<Evaluation> {
    const D = this.inputSize, K = this.latentSize;
    if (!(data instanceof Float32Array) || data.length === 0 || data.length % D !== 0) {
      throw new TypeError(
        `VAE.evaluate expects a Float32Array of whole rows of ${D} values: current length is ${
          (data as { length?: number })?.length
        }`,
      );
    }
    const k = options.importanceSamples ?? 50,
      bs = options.batchSize ?? 100,
      seed = options.seed ?? 0;
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(
        `VAE.evaluate as importanceSamples must be an integer ≥ 1: current value is ${k}`,
      );
    }
    const N = data.length / D;
    let rec = 0, ll = 0;
    const klDim = new Float64Array(K), muSum = new Float64Array(K), muSq = new Float64Array(K);
    for (let start = 0, b = 0; start < N; start += bs, b++) {
      const n = Math.min(bs, N - start);
      const r = tf.tidy(() => {
        const x = tf.tensor2d(data.subarray(start * D, (start + n) * D), [n, D]);
        const { loc, logVar } = this.encode(x);
        const { logPx, bound } = this.#importanceWeights(x, loc, logVar, k, deriveSeed(seed, b));
        const kd = klStandardNormalPerDim(loc, logVar);
        return tf.concat([
          tf.reshape(tf.div(tf.sum(logPx), k), [1]),
          tf.reshape(tf.sum(bound), [1]),
          tf.sum(kd, 0),
          tf.sum(loc, 0),
          tf.sum(tf.square(loc), 0),
        ]);
      });
      const v = await r.data();
      r.dispose();
      rec -= v[0]!;
      ll += v[1]!;
      for (let j = 0; j < K; j++) {
        klDim[j]! += v[2 + j]!;
        muSum[j]! += v[2 + K + j]!;
        muSq[j]! += v[2 + 2 * K + j]!;
      }
    }
    const klPerDimension = Array.from(klDim, (s) => s / N);
    const kl = klPerDimension.reduce((a, b) => a + b, 0);
    rec /= N;
    let activeUnits = 0;
    for (let j = 0; j < K; j++) {
      const m = muSum[j]! / N;
      if (muSq[j]! / N - m * m > 0.01) activeUnits++;
    }
    return {
      elbo: -rec - kl,
      logLikelihood: ll / N,
      reconstruction: rec,
      kl,
      klPerDimension,
      activeUnits,
      importanceSamples: k,
      examples: N,
    };
  }

  /** The class name and configuration written to model.json. */
  protected override topology(): { class: string; config: Record<string, unknown> } {
    return { class: "VAE", config: { ...this.config } };
  }

  /** The numbers saved beside the weights. */
  protected override trainingState(): Record<string, number> {
    return { beta: this.beta };
  }

  /** Restores the numbers saved beside the weights. */
  protected override restoreTrainingState(state: Record<string, number>): void {
    if (typeof state.beta === "number") this.beta = state.beta;
  }

  /**
   * Loads a VAE written by `save`, from a folder path or a URL (so a browser
   * can load it with `fetch`).
   *
   * @param dirOrUrl The folder holding model.json.
   * @returns The model, with its weights, optimiser state and step.
   * @throws {Error} If a file is missing, corrupt or of another model.
   */
  static load(dirOrUrl: string | URL): Promise<VAE> {
    return TrainableModel.loadAs(dirOrUrl, "VAE", (c) => new VAE(c as unknown as VAEOptions));
  }
}

export type { StepResult };
