// The VAE's evaluation in bounded memory: rows in batches, the k importance
// samples in chunks of at most 2²¹ values per tensor, each chunk's
// log-sum-exp of the weights combined in float64 with a running maximum.
import { tf } from "../tensor/_tf.ts";
import { logSumExp } from "../tensor/_stable.ts";
import type { DiagNormal } from "../tensor/distributions/diag_normal.ts";
import type { Normal } from "../tensor/distributions/normal.ts";
import { readOptions } from "../math/_options.ts";
import { deriveSeed } from "../math/rng.ts";
import { assertRows } from "../tensor/_validate.ts";
import { EVALUATION_CHUNK_ELEMENTS, MAX_IMPORTANCE_SAMPLES } from "./_limits.ts";
import { type Fit, klPerLatent, logQ, logWeights, priorLogProb } from "./objectives.ts";
import { FlowPosterior } from "./flow_posterior.ts";
import type { Quantity } from "./report.ts";
import type { EvaluateOptions, Evaluation } from "./evaluation.ts";

/** The numbers of an {@linkcode Evaluation} a results table lists, the headline first. */
export function evaluationMetrics(latentSize: number): Quantity[] {
  return [
    { key: "elbo", label: "test ELBO", description: "test ELBO (nats per image)" },
    {
      key: "logLikelihood",
      label: "test log p(x)",
      description: "test log p(x), importance-sampled",
    },
    { key: "importanceSamples", label: "k", description: "importance samples k of log p(x)" },
    {
      key: "reconstruction",
      label: "test rec",
      description: "test reconstruction −E_q[log p(x|z)]",
    },
    { key: "kl", label: "test KL", description: "test KL(q(z|x) ‖ p(z))" },
    { key: "activeUnits", label: "active units", description: `active units (of ${latentSize})` },
  ];
}

/** What the evaluation needs of a VAE. */
export interface EvaluatedModel {
  /** D. */
  inputSize: number;
  /** K. */
  latentSize: number;
  /** p(z). */
  prior: Normal;
  /** q(z|x) of rows x [n, D]. */
  encode(x: tf.Tensor2D): DiagNormal | FlowPosterior;
}

/** What the evaluation needs of a VAE's networks. */
export interface EvaluatedNetworks {
  /** The widest layer. */
  width: number;
  /** log p(x|zᵢ) of rows x [n, D] at draws z [k, n, K], [k, n]. */
  logLikelihood(x: tf.Tensor2D, z: tf.Tensor): tf.Tensor;
}

/**
 * How many importance samples share one draw of noise for n rows: up to 64,
 * fewer when 64 · n · K values would pass the evaluation chunk size.
 */
function noiseBlock(n: number, K: number): number {
  return Math.max(1, Math.min(64, Math.floor(EVALUATION_CHUNK_ELEMENTS / (n * K))));
}

/**
 * Draws zᵢ ~ q(z|x) for importance samples `from` to `to` − 1, [to − from,
 * n, K], with log q(zᵢ|x) [to − from, n] from the same pass for a flow
 * posterior. Samples are drawn in blocks of B, block b from its own seed
 * `deriveSeed(seed, b)`, so sample i is the same however the k samples are
 * split into chunks.
 */
function draws(
  q: DiagNormal | FlowPosterior,
  from: number,
  to: number,
  seed: number,
): { z: tf.Tensor; logQ?: tf.Tensor } {
  const [n, K] = [q.batchShape[0]!, q.eventShape[0]!], B = noiseBlock(n, K);
  const flow = q instanceof FlowPosterior;
  const [z, lq] = tf.tidy(() => {
    const parts: tf.Tensor[] = [], logQs: tf.Tensor[] = [];
    const join = (ts: tf.Tensor[]) => (ts.length === 1 ? ts[0]! : tf.concat(ts, 0));
    for (let b = Math.floor(from / B); b * B < to; b++) {
      const s = deriveSeed(seed, b);
      const block: { sample: tf.Tensor; logProb?: tf.Tensor } = flow
        ? q.sampleAndLogProb(B, s)
        : { sample: q.sample(B, s) };
      const lo = Math.max(from, b * B) - b * B, hi = Math.min(to, (b + 1) * B) - b * B;
      const whole = lo === 0 && hi === B;
      parts.push(whole ? block.sample : tf.slice(block.sample, [lo, 0, 0], [hi - lo, n, K]));
      if (flow) {
        logQs.push(whole ? block.logProb! : tf.slice(block.logProb!, [lo, 0], [hi - lo, n]));
      }
    }
    return flow ? [join(parts), join(logQs)] : [join(parts)];
  });
  return { z: z!, logQ: lq };
}

/** Checks the options of an evaluation and fills in the defaults. */
function resolve(what: string, options: unknown): Required<Omit<EvaluateOptions, "chunkSize">> & {
  chunkSize?: number;
} {
  const o = readOptions(what, options, ["importanceSamples", "batchSize", "seed", "chunkSize"]);
  const samples = { min: 1, max: MAX_IMPORTANCE_SAMPLES };
  return {
    importanceSamples: o.int("importanceSamples", { ...samples, default: 50 }),
    batchSize: o.int("batchSize", { min: 1, default: 100 }),
    seed: o.seed("seed", 0),
    chunkSize: o.has("chunkSize") ? o.int("chunkSize", samples) : undefined,
  };
}

/**
 * Evaluates a VAE on rows of data (see `VAE.evaluate`): the ELBO, the
 * importance-sampled log p(x), the KL per latent coordinate and the active
 * units. With a flow posterior log q(zᵢ|x) is the flow's density at its
 * draws, the KL is Monte Carlo, (1/k) Σᵢ log q(zᵢ|x) − log p(zᵢ) at the
 * same k draws, and there is no KL per coordinate. Each chunk's log-sum-exp ℓ of the weights is read back and the
 * chunks are combined in float64,
 *
 * ```text
 * m ← max(m, ℓ),   s ← s·e^(m_old − m) + e^(ℓ − m),   log p̂(x) = m + log s − log k
 * ```
 */
export async function evaluateVae(
  what: string,
  m: EvaluatedModel,
  net: EvaluatedNetworks,
  dataRange: { min: number; max: number; why: string } | undefined,
  data: Float32Array,
  options: unknown,
): Promise<Evaluation> {
  const D = m.inputSize, K = m.latentSize;
  const N = assertRows(what, "data", data, D, dataRange);
  const { importanceSamples: k, batchSize, seed, chunkSize } = resolve(what, options);
  const rows = Math.min(batchSize, Math.max(1, Math.floor(EVALUATION_CHUNK_ELEMENTS / net.width)));
  let logPxSum = 0, ll = 0, klMcSum = 0, flowSeen = false;
  const klDim = new Float64Array(K), muSum = new Float64Array(K), muSq = new Float64Array(K);
  for (let start = 0, b = 0; start < N; start += rows, b++) {
    const n = Math.min(rows, N - start);
    const x = tf.tensor2d(data.subarray(start * D, (start + n) * D), [n, D]);
    const q = m.encode(x);
    // A flow's KL does not split by coordinate: it is Monte Carlo, at the draws below.
    const flow = q instanceof FlowPosterior, J = flow ? 0 : K;
    flowSeen ||= flow;
    try {
      const stats = tf.tidy(() => {
        const center = flow ? q.center() : q.loc;
        return tf.concat([
          ...(flow ? [] : [tf.sum(klPerLatent(q, m.prior), 0)]),
          tf.sum(center, 0),
          tf.sum(tf.square(center), 0),
        ]);
      });
      const sv = await stats.data();
      stats.dispose();
      for (let j = 0; j < K; j++) {
        if (!flow) klDim[j]! += sv[j]!;
        muSum[j]! += sv[J + j]!;
        muSq[j]! += sv[J + K + j]!;
      }
      // As many samples as fit the chunk size, in whole blocks of noise.
      const fit = Math.max(1, Math.floor(EVALUATION_CHUNK_ELEMENTS / (n * net.width)));
      const block = noiseBlock(n, K);
      const chunk = Math.min(k, chunkSize ?? (fit >= block ? fit - (fit % block) : fit));
      // Per row: the running maximum and Σ exp(ℓ − max) of the chunks' log-sum-exps ℓ.
      const max = new Float64Array(n).fill(-Infinity), sum = new Float64Array(n);
      const batchSeed = deriveSeed(seed, b);
      for (let from = 0; from < k; from += chunk) {
        const r = tf.tidy(() => {
          const { z, logQ: lq } = draws(q, from, Math.min(k, from + chunk), batchSeed);
          const f: Fit = { q, prior: m.prior, z, logLikelihood: net.logLikelihood(x, z), logQ: lq };
          const sum = (t: tf.Tensor) => tf.reshape(tf.sum(t), [1]);
          return tf.concat([
            sum(f.logLikelihood),
            logSumExp(logWeights(f), 0),
            ...(flow ? [sum(tf.sub(logQ(f), priorLogProb(f.prior, z)))] : []),
          ]);
        });
        const v = await r.data();
        r.dispose();
        logPxSum += v[0]!;
        if (flow) klMcSum += v[1 + n]!;
        for (let j = 0; j < n; j++) {
          const l = v[1 + j]!;
          if (l === -Infinity) continue;
          if (l > max[j]!) {
            sum[j] = sum[j]! * Math.exp(max[j]! - l) + 1;
            max[j] = l;
          } else sum[j]! += Math.exp(l - max[j]!);
        }
      }
      for (let j = 0; j < n; j++) ll += max[j]! + Math.log(sum[j]!) - Math.log(k);
    } finally {
      x.dispose();
      q.dispose();
    }
  }
  const klPerDimension = flowSeen ? [] : Array.from(klDim, (s) => s / N);
  const kl = flowSeen ? klMcSum / k / N : klPerDimension.reduce((a, c) => a + c, 0);
  const reconstruction = -logPxSum / k / N;
  let activeUnits = 0;
  for (let j = 0; j < K; j++) {
    const mean = muSum[j]! / N;
    if (muSq[j]! / N - mean * mean > 0.01) activeUnits++;
  }
  return {
    elbo: -reconstruction - kl,
    logLikelihood: ll / N,
    reconstruction,
    kl,
    klPerDimension,
    activeUnits,
    importanceSamples: k,
    examples: N,
  };
}
