// What the categorical families of the tensor layer (Categorical,
// OneHotCategorical, RelaxedOneHotCategorical) share: their parameters, read
// and checked once; the entropy; draws of category indices by the inverse
// CDF; the check that points given as numbers lie on the simplex.
import { tf } from "../_tf.ts";
import { oneOfTwo, readOptions } from "../../math/_options.ts";
import { deriveSeed } from "../../math/rng.ts";
import { log, logSoftmax } from "../_stable.ts";
import type { ParamRule, TensorInput } from "./distribution.ts";
import { flatten } from "./_params.ts";

/** How far from 1 probabilities, or a point of the simplex, given as numbers may sum. */
export const SIMPLEX_TOLERANCE = 1e-6;

/** A categorical family's parameters, `[...batch, K]`. */
export interface CategoricalTensors {
  /** The logits, as given (from `probs`: log pₖ). */
  logits: tf.Tensor;
  /** pₖ, summing to 1 over the last axis. */
  probs: tf.Tensor;
  /** log pₖ, normalised. */
  logProbs: tf.Tensor;
  /** Whether they were given as probabilities. */
  fromProbs: boolean;
  /** K. */
  numCategories: number;
  /** All axes but the last. */
  batchShape: number[];
}

/**
 * Reads `{ logits }` or `{ probs }` for the constructor `what` (a
 * distribution's `param` and `own` convert and keep the tensors), with at
 * least `minK` categories and, where `positive`, every probability given as
 * a number > 0.
 */
export function readCategorical(
  what: string,
  params: unknown,
  param: (name: string, raw: TensorInput, rule: ParamRule) => tf.Tensor,
  own: (t: tf.Tensor) => tf.Tensor,
  minK = 1,
  positive = false,
): CategoricalTensors {
  const o = readOptions(what, params, ["logits", "probs"], "params");
  const name = oneOfTwo(what, o, params, "logits", "probs");
  const fromProbs = name === "probs", raw = o.get(name) as TensorInput;
  const t = param(name, raw, fromProbs ? "probability" : "finite");
  if (t.rank === 0 || t.shape[t.rank - 1]! < minK) {
    throw new TypeError(
      `${what} as ${name} must have a category axis of at least ${minK} (the last): current shape is [${t.shape}]`,
    );
  }
  if (fromProbs && !(raw instanceof tf.Tensor)) checkRows(what, "probs", raw, t.shape, positive);
  const numCategories = t.shape[t.rank - 1]!, batchShape = t.shape.slice(0, -1);
  if (fromProbs) {
    const probs = own(tf.tidy(() => tf.div(t, tf.sum(t, -1, true))));
    if (raw instanceof tf.Tensor) {
      return {
        probs,
        logProbs: own(log(probs)),
        logits: own(log(t)),
        fromProbs,
        numCategories,
        batchShape,
      };
    }
    // Numbers: their logs in float64 (10⁻⁴⁶ is 0 in float32; its log is −105.9).
    const p = flatten(what, name, raw).values as number[];
    const logs = p.map(Math.log), normalised = logs.slice();
    for (let i = 0; i < p.length; i += numCategories) {
      let sum = 0;
      for (let j = i; j < i + numCategories; j++) sum += p[j]!;
      for (let j = i; j < i + numCategories; j++) normalised[j] = logs[j]! - Math.log(sum);
    }
    const logProbs = own(tf.tensor(normalised, t.shape, "float32"));
    return {
      probs,
      logProbs,
      logits: own(tf.tensor(logs, t.shape, "float32")),
      fromProbs,
      numCategories,
      batchShape,
    };
  }
  const logProbs = own(logSoftmax(t));
  return {
    logits: t,
    logProbs,
    probs: own(tf.exp(logProbs)),
    fromProbs,
    numCategories,
    batchShape,
  };
}

/**
 * Throws a RangeError unless each row of `name` (numbers, last axis of
 * `shape`) is in [0, 1] and sums to 1 within 10⁻⁶ — a point of the simplex —
 * with every entry > 0 where `positive`.
 */
export function checkRows(
  what: string,
  name: string,
  raw: TensorInput,
  shape: number[],
  positive = false,
): void {
  const { values } = flatten(what, name, raw);
  const k = shape[shape.length - 1]!;
  if (values.length % k !== 0) return; // the caller reports the shape
  for (let i = 0; i < values.length; i += k) {
    let sum = 0;
    for (let j = i; j < i + k; j++) {
      const v = values[j];
      if (typeof v !== "number") return; // the caller reports the type
      if (!(v >= 0 && v <= 1) || (positive && !(v > 0))) {
        throw new RangeError(
          `${what} as ${name}[${j}] must be in ${
            positive ? "(0, 1]" : "[0, 1]"
          } (a point of the simplex): current value is ${v}`,
        );
      }
      sum += v;
    }
    if (!(Math.abs(sum - 1) <= SIMPLEX_TOLERANCE)) {
      throw new RangeError(
        `${what} as ${name} must sum to 1 (within ${SIMPLEX_TOLERANCE}) over the last axis, a point of the simplex: current sum of ${name}[${i}…${
          i + k - 1
        }] is ${sum}`,
      );
    }
  }
}

/** −Σₖ pₖ log pₖ over the last axis (terms with pₖ = 0 are 0). */
export function categoricalEntropy(probs: tf.Tensor, logProbs: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.mul(probs, logProbs);
    return tf.neg(tf.sum(tf.where(tf.greaterEqual(0, probs), tf.zerosLike(t), t), -1));
  });
}

/**
 * `n` category indices by the inverse CDF, `[n, ...batch]`, float32
 * integers: the first k with Fₖ > u F_{K−1}, u ~ U[0, 1).
 */
export function drawCategories(probs: tf.Tensor, n: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const K = probs.shape[probs.rank - 1]!, axis = probs.rank - 1, batch = probs.shape.slice(0, -1);
    const cdf = tf.cumsum(probs, axis);
    const total = tf.slice(cdf, [...new Array(axis).fill(0), K - 1], [...batch, 1]);
    const u = tf.randomUniform([n, ...batch, 1], 0, 1, "float32", deriveSeed(seed));
    const t = tf.mul(u, total);
    const below = tf.where(tf.greaterEqual(t, cdf), tf.onesLike(t), tf.zerosLike(t));
    return tf.minimum(tf.sum(below, -1), K - 1);
  });
}
