import { assertFinite, MAX_ARRAY_VALUES, show } from "../math/_validate.ts";
import type { LatentModel } from "../targets/latent_model.ts";

/** Throws a TypeError unless `model` is a LatentModel with `logJoint` and a valid `latentSize`. */
export function checkModel<X>(what: string, model: LatentModel<X>): void {
  if (model === null || typeof model !== "object" || typeof model.logJoint !== "function") {
    throw new TypeError(
      `${what} as model must be a LatentModel with logJoint: current value is ${show(model)}`,
    );
  }
  const K = model.latentSize;
  if (!Number.isSafeInteger(K) || K < 1 || K > Math.sqrt(MAX_ARRAY_VALUES)) {
    throw new TypeError(
      `${what} as model.latentSize must be an integer in [1, ${
        Math.sqrt(MAX_ARRAY_VALUES) | 0
      }]: current value is ${show(K)}`,
    );
  }
}

/**
 * Rejects observations that are NaN or ±∞: a number `x`, or the numeric
 * entries of an array or typed array `x`. Other kinds of data are the
 * model's to check.
 */
export function checkData(what: string, x: unknown): void {
  if (typeof x === "number") {
    assertFinite(what, "x", x);
    return;
  }
  if (Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))) {
    const a = x as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v === "number" && !Number.isFinite(v)) {
        throw new RangeError(`${what} as x[${i}] must be finite: current value is ${show(v)}`);
      }
    }
  }
}

/** Throws unless a value the model returned is a number other than NaN. */
export function checkTerm(what: string, source: string, v: unknown, z: ArrayLike<number>): number {
  if (typeof v !== "number") {
    throw new TypeError(`${what} as ${source} must return a number: it returned ${show(v)}`);
  }
  if (v !== v) {
    throw new RangeError(`${what} as ${source} returned NaN at z = ${show(z)}`);
  }
  return v;
}

/**
 * Returns the gradient-of-log-joint function, bound to the model, after
 * checking that the model has one; each call validates what it returns (a
 * length-K array of finite numbers) and copies it into `out`.
 */
export function needGradient<X>(
  what: string,
  model: LatentModel<X>,
  estimator: string,
): (x: X, z: Float64Array, out: Float64Array) => Float64Array {
  if (typeof model.gradLogJoint !== "function") {
    throw new TypeError(
      `${what} with estimator "${estimator}" needs model.gradLogJoint (the gradient of log p(x, z) in z); use "scoreFunction" for a model without it`,
    );
  }
  const grad = model.gradLogJoint.bind(model);
  const K = model.latentSize;
  return (x, z, out) => {
    const g = grad(x, z, out) as unknown;
    const a = g as ArrayLike<unknown>;
    if (g === null || typeof g !== "object" || a.length !== K) {
      throw new TypeError(
        `${what} as model.gradLogJoint(x, z) must return ${K} numbers: it returned ${show(g)}`,
      );
    }
    for (let i = 0; i < K; i++) {
      const v = a[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `${what} as model.gradLogJoint(x, z) returned a non-finite gradient (entry ${i} is ${
            show(v)
          }) at z = ${show(z)}`,
        );
      }
      if (g !== out) out[i] = v;
    }
    return out;
  };
}
