import { tf } from "../_tf.ts";
import { type OptionReader, readOptions } from "../../math/_options.ts";
import { type Estimate, meanAndStandardError } from "../../math/mean_and_standard_error.ts";
import { deriveSeed } from "../../math/rng.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import { logSumExp } from "../../math/log_sum_exp.ts";
import { assertValuesAtOnce, MAX_VALUES_AT_ONCE } from "../_validate.ts";
import { checkProblem, eventSize, targetAt } from "./_target.ts";
import type { TargetLogProb } from "./target_log_prob.ts";

/** Options of the tensor {@linkcode elbo}. */
export interface ElboOptions {
  /** Draws from q, an integer ≥ 2 (default 1000). */
  samples?: number;
  /** Seed of the draws, a safe integer (default 0). */
  seed?: number;
}

/** Options of the tensor {@linkcode importanceWeightedBound}. */
export interface ImportanceWeightedBoundOptions {
  /** Importance samples per bound, an integer ≥ 1 (default 100). */
  k?: number;
  /** Independent bounds averaged, an integer ≥ 2 (default 100). */
  samples?: number;
  /** Seed of the draws, a safe integer (default 0). */
  seed?: number;
}

/** Draws taken at once, at most: bounds memory for any `samples` and `k`. */
const CHUNK = 4096;

/** Why log p(z) − log q(z) is `w` (NaN or +∞) at a draw where log p(z) is `lp`. */
function brokenWeight(what: string, w: number, lp: number, draw: number): RangeError {
  const why = !Number.isFinite(lp)
    ? `targetLogProb returned ${lp} there${
      lp === Infinity ? ": log p(z, data) must be finite, or −∞ where z is impossible" : ""
    }`
    : `log q(z) is ${lp - w} there (the surrogate's own log-density is not finite at its draw)`;
  return new RangeError(`${what}: log p(z) − log q(z) is ${w} at draw ${draw} (${why})`);
}

/**
 * Per-draw log weights log p(z) − log q(z) for `n` draws, chunk by chunk, as
 * float64, in groups of `group` draws (a bound's k) that share a chunk.
 * Refuses NaN and +∞, which no estimate can average; −∞ (a draw the target
 * rules out) is a weight of 0.
 */
async function logWeights(
  what: string,
  target: TargetLogProb,
  q: TensorDistribution,
  n: number,
  seed: number,
  group: number,
): Promise<Float64Array> {
  const out = new Float64Array(n);
  const drawsAtOnce = Math.min(CHUNK, Math.floor(MAX_VALUES_AT_ONCE / eventSize(q)));
  const per = Math.max(1, Math.floor(drawsAtOnce / group)) * group;
  for (let at = 0, chunk = 0; at < n; at += per, chunk++) {
    const m = Math.min(per, n - at);
    const [lpT, wT] = tf.tidy(() => {
      // (log q at the draws from the same pass where q can: a flow's inverse is slow.)
      const own = q.sampleAndLogProb?.(m, deriveSeed(seed, chunk));
      const z = own?.sample ?? q.sample(m, deriveSeed(seed, chunk));
      const lp = targetAt(what, target, z);
      // (A clone: the target may return a tensor of its own, not ours to free.)
      return [tf.clone(lp), tf.sub(lp, own?.logProb ?? q.logProb(z))];
    });
    try {
      const values = await wT.data();
      for (let i = 0; i < m; i++) {
        const v = values[i]!;
        if (Number.isNaN(v) || v === Infinity) {
          throw brokenWeight(what, v, (await lpT.data())[i]!, at + i);
        }
        out[at + i] = v;
      }
    } finally {
      tf.dispose([lpT, wT]);
    }
  }
  return out;
}

/**
 * A Monte Carlo estimate of the evidence lower bound of a surrogate q for a
 * user's unnormalized log joint, with its standard error — the tensor twin
 * of the core's `elbo`:
 *
 * ```text
 * ELBO(q) = E_q[log p(z, data) − log q(z)] ≤ log p(data),   z₁…zₙ ~ q seeded
 * ```
 *
 * Draws are taken in chunks, so memory stays bounded for any `samples`.
 *
 * @param targetLogProb log p(z, data) as tfjs ops: `[n, ...eventShape]` → `[n]`.
 * @param surrogate q: any tensor distribution with no batch (a trained
 *   surrogate, or a fixed one).
 * @param options `{ samples, seed }`.
 * @returns `{ value, standardError }`.
 * @throws {TypeError} If an argument has the wrong type, the surrogate was
 *   disposed, or the target returns anything but a float32 tensor of shape `[n]`.
 * @throws {RangeError} If `samples` or `seed` is out of range, one draw
 *   holds more than 2²⁶ values, or a log weight is NaN or +∞.
 *
 * @example The ELBO of the exact posterior is the log evidence
 * ```ts
 * import { elbo, Normal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // p(z, x = 1) = N(z; 0, 1) N(1; z, 1): evidence N(1; 0, 2), posterior N(½, ½).
 * const prior = new Normal(0, 1);
 * const target = (z: tf.Tensor) =>
 *   tf.tidy(() => tf.add(prior.logProb(z), new Normal(z, 1).logProb(1)));
 * const q = new Normal(0.5, Math.sqrt(0.5));
 * const { value } = await elbo(target, q, { samples: 100 });
 * const logEvidence = -0.5 * Math.log(4 * Math.PI) - 0.25;
 * assert.ok(Math.abs(value - logEvidence) < 1e-5);
 * ```
 */
export async function elbo(
  targetLogProb: TargetLogProb,
  surrogate: TensorDistribution,
  options: ElboOptions = {},
): Promise<Estimate> {
  const what = "Cannot estimate elbo";
  checkProblem(what, targetLogProb, surrogate);
  const o = readOptions(what, options, ["samples", "seed"]);
  const samples = o.count("samples", { min: 2, default: 1000 }), seed = o.seed("seed", 0);
  assertValuesAtOnce(what, [["event size", eventSize(surrogate)]], "per draw");
  return meanAndStandardError(
    await logWeights(what, targetLogProb, surrogate, samples, seed, 1),
  );
}

/**
 * A Monte Carlo estimate of the importance-weighted bound of Burda et al.
 * (2016) with its standard error — the tensor twin of the core's
 * `importanceWeightedBound`. It rises with k towards log p(data):
 *
 * ```text
 * L_k = E[log (1/k) Σᵢ p(zᵢ, data)/q(zᵢ)],   z₁…z_k ~ q;   L₁ = ELBO ≤ L_k ≤ L_{k+1} ≤ log p(data)
 * ```
 *
 * Each of `samples` bounds uses its own k draws; the estimate is their mean.
 *
 * @param targetLogProb log p(z, data) as tfjs ops: `[n, ...eventShape]` → `[n]`.
 * @param surrogate q, a tensor distribution with no batch.
 * @param options `{ k, samples, seed }`.
 * @returns `{ value, standardError }`.
 * @throws {TypeError} If an argument has the wrong type, the surrogate was
 *   disposed, or the target returns anything but a float32 tensor of shape `[n]`.
 * @throws {RangeError} If `k`, `samples` or `seed` is out of range, the k
 *   draws of one bound hold more than 2²⁶ values, or a log weight is NaN or +∞.
 *
 * @example
 * ```ts
 * import { importanceWeightedBound, Normal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const prior = new Normal(0, 1);
 * const target = (z: tf.Tensor) =>
 *   tf.tidy(() => tf.add(prior.logProb(z), new Normal(z, 1).logProb(1)));
 * // The prior as q: a poor proposal, improved by more importance samples.
 * const one = await importanceWeightedBound(target, prior, { k: 1, samples: 2000 });
 * const many = await importanceWeightedBound(target, prior, { k: 100, samples: 200 });
 * const logEvidence = -0.5 * Math.log(4 * Math.PI) - 0.25;
 * assert.ok(one.value < many.value && many.value < logEvidence + 3 * many.standardError);
 * ```
 */
export async function importanceWeightedBound(
  targetLogProb: TargetLogProb,
  surrogate: TensorDistribution,
  options: ImportanceWeightedBoundOptions = {},
): Promise<Estimate> {
  const what = "Cannot estimate importanceWeightedBound";
  checkProblem(what, targetLogProb, surrogate);
  const o = readOptions(what, options, ["k", "samples", "seed"]);
  return await groupedBound(what, targetLogProb, surrogate, o, 0, 100);
}

/** Options of the tensor {@linkcode renyiBound}. */
export interface RenyiBoundOptions extends ImportanceWeightedBoundOptions {
  /** Rényi's α, any finite number (default 0.5). */
  alpha?: number;
}

/**
 * A Monte Carlo estimate of the variational Rényi bound of Li & Turner
 * (2016), with its standard error. The ELBO at α = 1 and the
 * importance-weighted bound L_k at α = 0, it falls as α grows:
 *
 * ```text
 * L_α = E[1/(1 − α) log (1/k) Σᵢ (p(zᵢ, data)/q(zᵢ))^(1−α)],   z₁…z_k ~ q
 * L_1 = ELBO,  L_0 = L_k,  α ≤ α′ ⇒ L_α ≥ L_α′
 * ```
 *
 * @param targetLogProb log p(z, data) as tfjs ops: `[n, ...eventShape]` → `[n]`.
 * @param surrogate q, a tensor distribution with no batch.
 * @param options `{ alpha, k, samples, seed }` (k: draws per bound, default 10).
 * @returns `{ value, standardError }`.
 * @throws {TypeError} If an argument has the wrong type, the surrogate was
 *   disposed, or the target returns anything but a float32 tensor of shape `[n]`.
 * @throws {RangeError} If `alpha` is not finite, `k`, `samples` or `seed`
 *   is out of range, or a log weight is NaN or +∞.
 *
 * @example α = 0 is the importance-weighted bound
 * ```ts
 * import { importanceWeightedBound, Normal, renyiBound, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const prior = new Normal(0, 1);
 * const target = (z: tf.Tensor) => tf.tidy(() => tf.add(prior.logProb(z), new Normal(z, 1).logProb(1)));
 * const r = await renyiBound(target, prior, { alpha: 0, k: 5, samples: 200, seed: 3 });
 * const iw = await importanceWeightedBound(target, prior, { k: 5, samples: 200, seed: 3 });
 * assert.ok(Math.abs(r.value - iw.value) < 1e-12);
 * ```
 */
export async function renyiBound(
  targetLogProb: TargetLogProb,
  surrogate: TensorDistribution,
  options: RenyiBoundOptions = {},
): Promise<Estimate> {
  const what = "Cannot estimate renyiBound";
  checkProblem(what, targetLogProb, surrogate);
  const o = readOptions(what, options, ["alpha", "k", "samples", "seed"]);
  return await groupedBound(
    what,
    targetLogProb,
    surrogate,
    o,
    o.number("alpha", { default: 0.5 }),
    10,
  );
}

/** The mean of `samples` bounds of k draws each, at Rényi's α (α = 0: L_k). */
async function groupedBound(
  what: string,
  targetLogProb: TargetLogProb,
  surrogate: TensorDistribution,
  o: OptionReader<"k" | "samples" | "seed" | "alpha">,
  alpha: number,
  defaultK: number,
): Promise<Estimate> {
  const k = o.int("k", {
    min: 1,
    max: 1 << 20,
    why: "at most 2²⁰ importance samples per bound",
    default: defaultK,
  });
  const samples = o.count("samples", { min: 2, perItem: k, default: 100 });
  const seed = o.seed("seed", 0);
  assertValuesAtOnce(
    what,
    [["k", k], ["event size", eventSize(surrogate)]],
    "(the draws of one bound, taken at once)",
  );
  const w = await logWeights(what, targetLogProb, surrogate, samples * k, seed, k);
  const bounds = Float64Array.from({ length: samples }, (_, i) => {
    const group = w.subarray(i * k, (i + 1) * k);
    if (alpha === 1) return group.reduce((a, b) => a + b, 0) / k;
    return (logSumExp(group.map((v) => (1 - alpha) * v)) - Math.log(k)) / (1 - alpha);
  });
  return meanAndStandardError(bounds);
}
