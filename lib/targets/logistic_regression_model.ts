import { DiagNormal } from "../distributions/diag_normal.ts";
import { readOptions } from "../math/_options.ts";
import {
  assertEventLength,
  assertRng,
  assertScale,
  MAX_ARRAY_VALUES,
  show,
  toFiniteVector,
} from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import { logSigmoid, sigmoid } from "../math/softplus.ts";
import type { LatentModel } from "./latent_model.ts";

/** Options of {@linkcode logisticRegressionModel}. */
export interface LogisticRegressionOptions {
  /** Features, one row of `dimension` values per example (flat). */
  features: ArrayLike<number>;
  /** The number of features per example (K, the latent size). */
  dimension: number;
  /** σ₀ of the prior w ~ N(0, σ₀² I) (default 1). */
  priorScale?: number;
}

/** Bayesian logistic regression: latent weights, observed labels. */
export interface LogisticRegressionModel extends LatentModel<Float64Array> {
  /** The prior N(0, σ₀² I). */
  readonly prior: DiagNormal;
  /** The number of examples. */
  readonly examples: number;
  /** log p(y | w) = Σₙ log σ(±aₙ·w). */
  logLikelihood(y: Float64Array, w: ArrayLike<number>): number;
  /** ∇_w log p(y, w). */
  gradLogJoint(y: Float64Array, w: ArrayLike<number>, out?: Float64Array): Float64Array;
}

/**
 * Bayesian logistic regression, a model with no closed-form posterior or
 * evidence (the non-conjugate case of the estimator tests):
 *
 * ```text
 * w ~ N(0, σ₀² I),   yₙ | w ~ Bernoulli(σ(aₙ · w)),   yₙ ∈ {0, 1}
 * log p(y, w) = Σₙ [yₙ log σ(aₙ·w) + (1 − yₙ) log σ(−aₙ·w)] + log N(w; 0, σ₀² I)
 * ∇_w        = Σₙ (yₙ − σ(aₙ·w)) aₙ − w/σ₀²
 * ```
 *
 * @param options `features`, `dimension`, `priorScale`.
 * @returns The model; x is the label vector y.
 * @throws {TypeError} If `options` is not an object or has a key other than
 *   these, or the feature array is not whole rows of numbers.
 * @throws {RangeError} If a value is not finite, `dimension` is not an
 *   integer ≥ 1, or `priorScale` is not > 0 (or is subnormal).
 *
 * @example
 * ```ts
 * import { createRng, elbo, logisticRegressionModel, logisticRegressionData, DiagNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const data = logisticRegressionData(createRng(0), { examples: 50, dimension: 2 });
 * const model = logisticRegressionModel({ features: data.features, dimension: 2 });
 * const q = new DiagNormal(data.weights, [0.3, 0.3]);
 * const e = elbo(model, q, data.labels, { method: "monteCarlo", samples: 100, rng: createRng(1) });
 * assert.ok(e.value < 0 && e.standardError > 0);
 * ```
 */
export function logisticRegressionModel(
  options: LogisticRegressionOptions,
): LogisticRegressionModel {
  const what = "Cannot construct logisticRegressionModel";
  const o = readOptions(what, options, ["features", "dimension", "priorScale"]);
  const K = o.int("dimension", {
    min: 1,
    max: Math.floor(Math.sqrt(MAX_ARRAY_VALUES)),
    why: "dimension² float64 values would not fit in one array of at most 2²⁷ values (1 GiB)",
  });
  const A = toFiniteVector(what, o.label("features"), o.get("features"));
  if (A.length % K !== 0) {
    throw new TypeError(
      `${what} as ${
        o.label("features")
      } must hold whole rows of ${K} values (dimension is ${K}): current length is ${A.length}`,
    );
  }
  const N = A.length / K;
  const s0 = o.has("priorScale") ? o.get("priorScale") : 1;
  assertScale(what, o.label("priorScale"), s0);
  const prior = new DiagNormal(new Float64Array(K), new Float64Array(K).fill(s0));
  const checkY = (y: ArrayLike<number>) => {
    assertEventLength("logisticRegressionModel", "labels", y, N);
    for (let n = 0; n < N; n++) {
      if (y[n] !== 0 && y[n] !== 1) {
        throw new RangeError(
          `logisticRegressionModel expects labels in {0, 1}: labels[${n}] is ${show(y[n])}`,
        );
      }
    }
  };
  const dot = (w: ArrayLike<number>, n: number) => {
    let s = 0;
    for (let k = 0; k < K; k++) s += A[n * K + k]! * w[k]!;
    if (s !== s) {
      throw new RangeError(
        `logisticRegressionModel cannot evaluate features · w as w is so large that it overflows: w = ${
          show(w)
        }`,
      );
    }
    return s;
  };
  const model: LogisticRegressionModel = {
    latentSize: K,
    examples: N,
    prior,
    logLikelihood(y, w) {
      checkY(y);
      assertEventLength("logisticRegressionModel", "w", w, K);
      let s = 0;
      for (let n = 0; n < N; n++) {
        const a = dot(w, n);
        s += y[n] === 1 ? logSigmoid(a) : logSigmoid(-a);
      }
      return s;
    },
    logJoint(y, w) {
      return model.logLikelihood(y, w) + prior.logProb(w);
    },
    gradLogJoint(y, w, out) {
      checkY(y);
      assertEventLength("logisticRegressionModel", "w", w, K);
      if (out === undefined) out = new Float64Array(K);
      else if (!(out instanceof Float64Array) || out.length !== K) {
        throw new TypeError(
          `logisticRegressionModel expects out to be a Float64Array of length ${K}: current value is ${
            show(out)
          }`,
        );
      }
      for (let k = 0; k < K; k++) out[k] = -(w[k]! / s0) / s0;
      for (let n = 0; n < N; n++) {
        const r = y[n]! - sigmoid(dot(w, n));
        for (let k = 0; k < K; k++) out[k]! += r * A[n * K + k]!;
      }
      return out;
    },
  };
  return model;
}

/**
 * A small generated data set for {@linkcode logisticRegressionModel}:
 * standard-normal features and labels drawn from the model with weights
 * w ~ N(0, I).
 *
 * @param rng The random source.
 * @param options `examples` and `dimension`, integers ≥ 1.
 * @returns The features (flat rows), labels in {0, 1}, and the true weights.
 * @throws {TypeError} If `rng` is not an Rng, or `options` is not an object
 *   or has a key other than these.
 * @throws {RangeError} If a count is not an integer ≥ 1, or the features
 *   (examples × dimension values) would not fit in one array of 2²⁷ values.
 *
 * @example
 * ```ts
 * import { createRng, logisticRegressionData } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const d = logisticRegressionData(createRng(2), { examples: 10, dimension: 3 });
 * assert.equal(d.features.length, 30);
 * ```
 */
export function logisticRegressionData(
  rng: Rng,
  options: { examples: number; dimension: number },
): { features: Float64Array; labels: Float64Array; weights: Float64Array } {
  const what = "Cannot generate logisticRegressionData";
  assertRng(what, "rng", rng);
  const o = readOptions(what, options, ["examples", "dimension"]);
  const K = o.count("dimension", { min: 1 });
  const N = o.count("examples", { min: 1, perItem: K });
  const weights = rng.fillNormal(new Float64Array(K));
  const features = rng.fillNormal(new Float64Array(N * K));
  const labels = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let a = 0;
    for (let k = 0; k < K; k++) a += features[n * K + k]! * weights[k]!;
    labels[n] = rng.uniform() < sigmoid(a) ? 1 : 0;
  }
  return { features, labels, weights };
}
