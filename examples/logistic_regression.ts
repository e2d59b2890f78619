/**
 * Worked example: Bayesian logistic regression written only as a tfjs log
 * joint, fitted with each estimator of `fitSurrogatePosterior`, and compared
 * with the float64 core's version of the same model, whose gradient is
 * written by hand (`logisticRegressionModel` with `fitVariational`).
 *
 * ```text
 * w ~ N(0, I),   yₙ | w ~ Bernoulli(σ(aₙ · w))
 * log p(w, y) = Σₙ [yₙ ℓₙ − softplus(ℓₙ)] + log N(w; 0, I),   ℓₙ = aₙ · w
 * ```
 *
 * Both sides fit a mean-field Gaussian; each fit is scored by the ELBO and
 * by the importance-sampled log p(y) (L_k with k = 1000), both estimated by
 * the float64 core's estimators on the same draws, so the two libraries are
 * compared on one yardstick.
 *
 * Run: `deno run --allow-read examples/logistic_regression.ts`
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  createRng,
  DiagNormal as CoreDiagNormal,
  elbo as coreElbo,
  type Estimate,
  fitVariational,
  importanceWeightedBound as coreBound,
  logisticRegressionData,
  logisticRegressionModel,
} from "../mod.ts";
import {
  fitSurrogatePosterior,
  meanFieldSurrogate,
  Normal,
  SURROGATE_ESTIMATORS,
  type SurrogateEstimator,
  type TrainableSurrogate,
} from "../tensor.ts";
import { printTable } from "./_table.ts";

/** Examples and features of the synthetic data set. */
export const SIZE = { examples: 200, dimension: 4 };
const data = logisticRegressionData(createRng(0), SIZE);
const model = logisticRegressionModel({ features: data.features, dimension: SIZE.dimension });

/** log p(w, y) for w of shape [m, d], in tfjs ops. */
export function target(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.tensor2d(Float32Array.from(data.features), [SIZE.examples, SIZE.dimension]);
    const logits = tf.matMul(w, a.transpose()); // [m, N]
    const y = tf.tensor1d(Float32Array.from(data.labels));
    const lik = tf.sum(tf.sub(tf.mul(y, logits), tf.softplus(logits)), 1);
    return tf.add(lik, tf.sum(new Normal(0, 1).logProb(w), 1));
  });
}

/** A fit's score under the core's estimators. */
export interface Score {
  /** The ELBO. */
  elbo: Estimate;
  /** L_1000, the importance-sampled log p(y). */
  logEvidence: Estimate;
}

/** Scores a mean-field Gaussian with the float64 core's estimators. */
export function score(q: CoreDiagNormal, seed: number): Score {
  return {
    elbo: coreElbo(model, q, data.labels, {
      method: "monteCarlo",
      samples: 20000,
      rng: createRng(seed),
    }),
    logEvidence: coreBound(model, q, data.labels, { k: 1000, samples: 20, rng: createRng(seed) }),
  };
}

/** The fitted surrogate as the core's DiagNormal. */
async function toCore(q: TrainableSurrogate): Promise<CoreDiagNormal> {
  const [m, v] = [q.mean(), q.variance()];
  const loc = Array.from(await m.data()), scale = Array.from(await v.data(), Math.sqrt);
  tf.dispose([m, v]);
  return new CoreDiagNormal(loc, scale);
}

/** Fits with every tensor estimator and with the core, and scores each fit. */
export async function run(steps = 2000, seed = 1): Promise<Record<string, Score>> {
  const out: Record<string, Score> = {};
  for (const estimator of SURROGATE_ESTIMATORS) {
    const q = meanFieldSurrogate(SIZE.dimension, { seed });
    try {
      // The estimators of a bound of k draws: k = 8 (Rényi's α at its default, ½).
      const k = ["iwae", "dreg", "renyi", "vimco"].includes(estimator) ? 8 : undefined;
      await fitSurrogatePosterior(target, q, {
        steps,
        learningRate: 0.02,
        samples: k ? 4 : 32,
        estimator: estimator as SurrogateEstimator,
        k,
        seed,
      });
      out[`tensor, "${estimator}"`] = score(await toCore(q), seed + 10);
    } finally {
      q.dispose();
    }
  }
  const { q } = fitVariational(model, data.labels, {
    init: new CoreDiagNormal(
      new Float64Array(SIZE.dimension),
      new Float64Array(SIZE.dimension).fill(0.1),
    ),
    estimator: "stickingTheLanding",
    steps,
    rng: createRng(seed),
  });
  out["core, stickingTheLanding"] = score(q as CoreDiagNormal, seed + 10);
  return out;
}

if (import.meta.main) {
  const f = (e: Estimate) => `${e.value.toFixed(3)} ± ${e.standardError.toFixed(3)}`;
  const r = await run();
  printTable(
    ["fit", "ELBO", "log p(y) (L_1000)"],
    Object.entries(r).map(([name, s]) => [name, f(s.elbo), f(s.logEvidence)]),
  );
}
