import { tf } from "../tensor/_tf.ts";
import {
  bernoulliLogProb,
  diagGaussianLogProb,
  gaussianLogLikelihood,
  klStandardNormalPerDim,
  logMeanExp,
  logSumExp,
  reparameterize,
} from "../tensor/distributions.ts";
import { dense, denseAutodiff } from "../tensor/dense.ts";
import { assertIntegerIn } from "../math/_validate.ts";
import { assertOptions, assertRows, assertTensor } from "../tensor/_validate.ts";
import { assertSeed } from "../math/rng.ts";
import { type StepResult, type Terms, TrainableModel } from "./trainable_model.ts";
import { deriveSeed, type Layer, makeLayer, mlp } from "./_mlp.ts";
import { assertModelSize } from "./_options.ts";
import { EVALUATION_CHUNK_ELEMENTS, MAX_IMPORTANCE_SAMPLES, MAX_STEP_ELEMENTS } from "./_limits.ts";
import {
  type Objective,
  resolveVAEOptions,
  type VAEConfig,
  type VAEOptions,
} from "./vae_options.ts";

export type { Objective, VAEConfig, VAEOptions };

/** The path under the model's seed of the draws of {@linkcode VAE.sample}. */
const SAMPLE_STREAM = -1;

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

/**
 * A variational autoencoder on TensorFlow.js (Kingma & Welling 2014): an MLP
 * encoder with linear heads for the location and log σ² of
 * q(z|x) = N(μ(x), diag σ²(x)), a prior p(z) = N(0, I), and an MLP decoder
 * with a Bernoulli (logits) or Gaussian (fixed σ) likelihood. β-VAE, capacity
 * annealing, the constrained form with β as a Lagrange multiplier, and the
 * importance-weighted bound are objectives of the same model (see
 * {@linkcode Objective}).
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
   * @param options See {@linkcode VAEOptions}. Unknown keys are refused, so
   *   that a misspelt option is not silently ignored.
   * @throws {RangeError} If a size or setting is out of range (sizes must give
   *   at most 2²⁵ parameters).
   * @throws {TypeError} If an option has the wrong type, a choice is unknown,
   *   or an option is not one of {@linkcode VAEOptions}.
   */
  constructor(options: VAEOptions) {
    const c = resolveVAEOptions(options);
    const sizes = [c.inputSize, ...c.hiddenSizes];
    const last = sizes[sizes.length - 1]!;
    const dsizes = [c.latentSize, ...[...c.hiddenSizes].reverse(), c.inputSize];
    const shapes: [number, number][] = [
      ...c.hiddenSizes.map((h, i): [number, number] => [sizes[i]!, h]),
      [last, c.latentSize],
      [last, c.latentSize],
      ...dsizes.slice(1).map((o, i): [number, number] => [dsizes[i]!, o]),
    ];
    assertModelSize("Cannot construct VAE", shapes);
    super(c.learningRate);
    this.config = c;
    this.inputSize = c.inputSize;
    this.latentSize = c.latentSize;
    const ob = c.objective;
    this.beta = ob.kind === "beta" ? ob.beta : ob.kind === "constrained" ? ob.initialBeta ?? 1 : 1;
    let n = 0;
    const layer = (name: string, i: number, o: number) =>
      makeLayer(`${this.prefix}/${name}`, i, o, deriveSeed(c.seed, n++));
    this.#encoder = c.hiddenSizes.map((h, i) => layer(`encoder/${i}`, sizes[i]!, h));
    this.#locHead = layer("encoder/loc", last, c.latentSize);
    this.#logVarHead = layer("encoder/logVar", last, c.latentSize);
    this.#decoder = dsizes.slice(1).map((o, i) => layer(`decoder/${i}`, dsizes[i]!, o));
  }

  /** Every trainable variable. */
  variables(): tf.Variable[] {
    return [...this.#encoder, this.#locHead, this.#logVarHead, ...this.#decoder].flatMap((
      l,
    ) => [l.kernel, l.bias]);
  }

  /** Checks an input of `encode`, `decode` or `reconstruct`: [rows, columns], float32. */
  #assertInput(method: string, name: string, x: unknown, columns: number): void {
    const what = this.where(method);
    this.assertLive(what);
    assertTensor(what, name, x, 2);
    if (x.shape[1] !== columns) {
      throw new TypeError(
        `${what} as ${name} must have ${columns} columns: current shape is [${x.shape}]`,
      );
    }
  }

  /**
   * The parameters of q(z|x).
   *
   * @param x Inputs, [batch, D], float32.
   * @returns μ and log σ², each [batch, K] (the caller disposes them).
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  encode(x: tf.Tensor2D): { loc: tf.Tensor2D; logVar: tf.Tensor2D } {
    this.#assertInput("encode", "x", x, this.inputSize);
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
   * @param z Latent codes, [batch, K], float32.
   * @returns [batch, D].
   * @throws {TypeError} If `z` is not a live float32 tensor of K columns, or the model is disposed.
   */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    this.#assertInput("decode", "z", z, this.latentSize);
    return tf.tidy(() => tf.sigmoid(this.#decodeRaw(z)));
  }

  /**
   * Decodes the posterior mean: x ↦ E[p(x | z = μ(x))].
   *
   * @param x Inputs, [batch, D], float32.
   * @returns [batch, D].
   * @throws {TypeError} If `x` is not a live float32 tensor of D columns, or the model is disposed.
   */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    this.#assertInput("reconstruct", "x", x, this.inputSize);
    return tf.tidy(() => this.decode(this.encode(x).loc));
  }

  /**
   * Draws from the model: z ~ N(0, I), then the mean of p(x|z). The draws
   * depend on the model's seed and on `seed`.
   *
   * @param n How many: at most as many as keep the result under 2²⁵ values.
   * @param seed Seed of the draws, any safe integer (default 0).
   * @returns [n, D].
   * @throws {RangeError} If `n` is not an integer ≥ 1 or is too large, or `seed` is not a safe integer.
   * @throws {TypeError} If `n` or `seed` is not a number, or the model is disposed.
   */
  sample(n: number, seed = 0): tf.Tensor2D {
    const what = this.where("sample");
    this.assertLive(what);
    assertIntegerIn(
      what,
      "n",
      n,
      1,
      Math.max(1, Math.floor(MAX_STEP_ELEMENTS / this.width())),
      "draw larger sets in parts",
    );
    assertSeed(what, "seed", seed);
    return tf.tidy(() =>
      this.decode(
        tf.randomNormal(
          [n, this.latentSize],
          0,
          1,
          "float32",
          deriveSeed(this.config.seed, SAMPLE_STREAM, seed),
        ),
      )
    );
  }

  /** The seed of the random ops of a step. */
  protected override stepSeed(step: number): number {
    return deriveSeed(this.config.seed, step + 1000);
  }

  /** Data for the Bernoulli likelihood are in [0, 1]. */
  protected override dataRange(): { min: number; max: number; why: string } | undefined {
    return this.config.likelihood === "bernoulli"
      ? { min: 0, max: 1, why: "the Bernoulli likelihood's pixel values" }
      : undefined;
  }

  /** k for the importance-weighted bound, else 1. */
  protected override stepSamples(): number {
    return this.config.objective.kind === "iwae" ? this.config.objective.k : 1;
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
   * How many importance samples share one draw of noise for n rows: up to
   * 64, fewer when 64 · n · K values would pass the evaluation chunk size.
   */
  #noiseBlock(n: number): number {
    return Math.max(1, Math.min(64, Math.floor(EVALUATION_CHUNK_ELEMENTS / (n * this.latentSize))));
  }

  /**
   * Standard-normal noise for importance samples `from` to `to` − 1 of n
   * rows, [to − from, n, K]. Samples are drawn in blocks, each with its own
   * seed (block b: `deriveSeed(seed, b)`), so the noise of sample i is the
   * same however the k samples are split into chunks.
   */
  #noise(n: number, from: number, to: number, seed: number): tf.Tensor3D {
    const B = this.#noiseBlock(n), K = this.latentSize;
    return tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      for (let b = Math.floor(from / B); b * B < to; b++) {
        const block = tf.randomNormal([B, n, K], 0, 1, "float32", deriveSeed(seed, b));
        const lo = Math.max(from, b * B) - b * B, hi = Math.min(to, (b + 1) * B) - b * B;
        parts.push(lo === 0 && hi === B ? block : tf.slice(block, [lo, 0, 0], [hi - lo, n, K]));
      }
      return (parts.length === 1 ? parts[0]! : tf.concat(parts, 0)) as tf.Tensor3D;
    });
  }

  /**
   * Draws zᵢ = μ + σ ⊙ εᵢ for noise ε [k, n, K] and the pieces of the
   * importance weights, each [k, n]: log p(x|zᵢ), log p(zᵢ), log q(zᵢ|x) and
   * the log-weight log p(x, zᵢ) − log q(zᵢ|x).
   */
  #importanceWeights(
    x: tf.Tensor2D,
    loc: tf.Tensor2D,
    logVar: tf.Tensor2D,
    eps: tf.Tensor3D,
  ): { logPx: tf.Tensor; logPz: tf.Tensor; logQz: tf.Tensor; logW: tf.Tensor } {
    const [k, n] = eps.shape, K = this.latentSize;
    const z = reparameterize(loc, logVar, eps) as tf.Tensor3D;
    const xk = tf.reshape(tf.tile(tf.expandDims(x, 0), [k, 1, 1]), [
      k * n,
      this.inputSize,
    ]) as tf.Tensor2D;
    const logPx = tf.reshape(
      this.#logLikelihood(xk, this.#decodeRaw(tf.reshape(z, [k * n, K]) as tf.Tensor2D)),
      [k, n],
    );
    const zero = tf.zeros([1]);
    const logPz = diagGaussianLogProb(z, zero, zero);
    const logQz = diagGaussianLogProb(z, loc, logVar);
    return { logPx, logPz, logQz, logW: tf.sub(tf.add(logPx, logPz), logQz) };
  }

  /** The loss and its terms on a batch. */
  protected override terms(x: tf.Tensor2D, seed: number): Terms {
    const ob = this.config.objective;
    const { loc, logVar } = this.encode(x);
    const B = x.shape[0], K = this.latentSize;
    if (ob.kind === "iwae") {
      const eps = this.#noise(B, 0, ob.k, seed);
      const { logPx, logPz, logQz, logW } = this.#importanceWeights(x, loc, logVar, eps);
      return {
        loss: tf.neg(tf.mean(logMeanExp(logW, 0))),
        reconstruction: tf.neg(tf.mean(logPx)),
        kl: tf.mean(tf.sub(logQz, logPz)),
      };
    }
    const eps = tf.randomNormal([B, K], 0, 1, "float32", seed);
    const z = reparameterize(loc, logVar, eps) as tf.Tensor2D;
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
   * KL per latent coordinate and the active units. The noise is seeded, so
   * the same call gives the same numbers.
   *
   * Memory stays bounded for any k: rows go through in batches and the k
   * importance samples in chunks, each tensor at most about 2²¹ values
   * (8 MiB). Each chunk's log-sum-exp of the weights is read back and the
   * chunks are combined in float64 with a running maximum,
   *
   * ```text
   * m ← max(m, ℓ),   s ← s·e^(m_old − m) + e^(ℓ − m),   log p̂(x) = m + log s − log k
   * ```
   *
   * which is exact (no overflow, no cancellation) and adds no float32
   * rounding across chunks; the chunking does not change the result beyond
   * rounding, since each sample's noise has its own seed.
   *
   * @param data Rows of D finite values (binarised for the Bernoulli likelihood).
   * @param options `importanceSamples` k (default 50, at most 2²⁰), `batchSize`
   *   (rows per batch, default 100; lowered to fit the memory bound), `seed`
   *   (any safe integer, default 0), `chunkSize` (at most this many importance
   *   samples per tensor op; default: as many as fit 8 MiB).
   * @returns Per-example averages (see {@linkcode Evaluation}).
   * @throws {TypeError} If `data` is not a Float32Array of whole rows, an option has the
   *   wrong type or is unknown, or the model is disposed or busy.
   * @throws {RangeError} If `data` holds a non-finite value (or, for the Bernoulli
   *   likelihood, one outside [0, 1]) or an option is out of range.
   */
  async evaluate(
    data: Float32Array,
    options: { importanceSamples?: number; batchSize?: number; seed?: number; chunkSize?: number } =
      {},
  ): Promise<Evaluation> {
    const what = this.where("evaluate");
    return await this.exclusive(what, () => this.#evaluate(what, data, options));
  }

  async #evaluate(
    what: string,
    data: Float32Array,
    options: { importanceSamples?: number; batchSize?: number; seed?: number; chunkSize?: number },
  ): Promise<Evaluation> {
    const D = this.inputSize, K = this.latentSize;
    const N = assertRows(what, "data", data, D, this.dataRange());
    assertOptions(what, "options", options);
    const o = options ?? {};
    for (const key of Object.keys(o)) {
      if (!["importanceSamples", "batchSize", "seed", "chunkSize"].includes(key)) {
        throw new TypeError(
          `${what} as options.${key} is not an option (choose from importanceSamples, batchSize, seed, chunkSize)`,
        );
      }
    }
    const k = o.importanceSamples ?? 50, bs = o.batchSize ?? 100, seed = o.seed ?? 0;
    assertIntegerIn(what, "options.importanceSamples", k, 1, MAX_IMPORTANCE_SAMPLES);
    assertIntegerIn(what, "options.batchSize", bs, 1, Number.MAX_SAFE_INTEGER);
    assertSeed(what, "options.seed", seed);
    if (o.chunkSize !== undefined) {
      assertIntegerIn(what, "options.chunkSize", o.chunkSize, 1, MAX_IMPORTANCE_SAMPLES);
    }
    const width = this.width();
    const rows = Math.min(bs, Math.max(1, Math.floor(EVALUATION_CHUNK_ELEMENTS / width)));
    let logPxSum = 0, ll = 0;
    const klDim = new Float64Array(K), muSum = new Float64Array(K), muSq = new Float64Array(K);
    for (let start = 0, b = 0; start < N; start += rows, b++) {
      const n = Math.min(rows, N - start);
      const x = tf.tensor2d(data.subarray(start * D, (start + n) * D), [n, D]);
      const { loc, logVar } = this.encode(x);
      try {
        const stats = tf.tidy(() =>
          tf.concat([
            tf.sum(klStandardNormalPerDim(loc, logVar), 0),
            tf.sum(loc, 0),
            tf.sum(tf.square(loc), 0),
          ])
        );
        const sv = await stats.data();
        stats.dispose();
        for (let j = 0; j < K; j++) {
          klDim[j]! += sv[j]!;
          muSum[j]! += sv[K + j]!;
          muSq[j]! += sv[2 * K + j]!;
        }
        // As many samples as fit the chunk size, in whole blocks of noise.
        const fit = Math.max(1, Math.floor(EVALUATION_CHUNK_ELEMENTS / (n * width)));
        const block = this.#noiseBlock(n);
        const chunk = Math.min(k, o.chunkSize ?? (fit >= block ? fit - (fit % block) : fit));
        // Per row: the running maximum m and Σ exp(ℓ − m) of the chunks' log-sum-exps ℓ.
        const m = new Float64Array(n).fill(-Infinity), sum = new Float64Array(n);
        const batchSeed = deriveSeed(seed, b);
        for (let from = 0; from < k; from += chunk) {
          const to = Math.min(k, from + chunk);
          const r = tf.tidy(() => {
            const eps = this.#noise(n, from, to, batchSeed);
            const { logPx, logW } = this.#importanceWeights(x, loc, logVar, eps);
            return tf.concat([tf.reshape(tf.sum(logPx), [1]), logSumExp(logW, 0)]);
          });
          const v = await r.data();
          r.dispose();
          logPxSum += v[0]!;
          for (let j = 0; j < n; j++) {
            const l = v[1 + j]!;
            if (l === -Infinity) continue;
            if (l > m[j]!) {
              sum[j] = sum[j]! * Math.exp(m[j]! - l) + 1;
              m[j] = l;
            } else sum[j]! += Math.exp(l - m[j]!);
          }
        }
        for (let j = 0; j < n; j++) ll += m[j]! + Math.log(sum[j]!) - Math.log(k);
      } finally {
        tf.dispose([x, loc, logVar]);
      }
    }
    const klPerDimension = Array.from(klDim, (s) => s / N);
    const kl = klPerDimension.reduce((a, b) => a + b, 0);
    const rec = -logPxSum / k / N;
    let activeUnits = 0;
    for (let j = 0; j < K; j++) {
      const mean = muSum[j]! / N;
      if (muSq[j]! / N - mean * mean > 0.01) activeUnits++;
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
    return {
      class: "VAE",
      config: {
        ...this.config,
        hiddenSizes: [...this.config.hiddenSizes],
        objective: { ...this.config.objective },
      },
    };
  }

  /** The numbers saved beside the weights. */
  protected override trainingState(): Record<string, number> {
    return { beta: this.beta };
  }

  /** What is wrong with saved training state: β must be ≥ 0. */
  protected override checkTrainingState(state: Record<string, number>): string | undefined {
    if (state.beta !== undefined && !(state.beta >= 0)) {
      return `trainingState.beta = ${state.beta}, which must be ≥ 0`;
    }
    return super.checkTrainingState(state);
  }

  /** Restores the numbers saved beside the weights. */
  protected override restoreTrainingState(state: Record<string, number>): void {
    if (typeof state.beta === "number") this.beta = state.beta;
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
   * import { useBackend, VAE } from "@elbo/elbo/models";
   * import assert from "node:assert/strict";
   *
   * await useBackend("cpu");
   * const root = await Deno.makeTempDir();
   * const dir = `${root}/a #?% folder`; // any name the system accepts
   * const vae = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 7 });
   * await vae.save(dir);
   * const back = await VAE.load(dir);
   * assert.deepEqual(back.config, vae.config);
   * vae.dispose();
   * back.dispose();
   * await Deno.remove(root, { recursive: true });
   * ```
   */
  static load(dirOrUrl: string | URL): Promise<VAE> {
    return TrainableModel.loadAs(dirOrUrl, "VAE", (c) => new VAE(c as unknown as VAEOptions));
  }
}

export type { StepResult };
