import { readOptions } from "../math/_options.ts";
import {
  assertArrayLike,
  assertCount,
  assertScale,
  MIN_NORMAL,
  show,
  toFiniteVector,
} from "../math/_validate.ts";
import type { LinearGaussianOptions } from "./linear_gaussian_model.ts";

/** The checked parameters of a linear-Gaussian model: W flat row-major D × K, b, σ and σ². */
export interface LinearGaussianParams {
  /** W, flat row-major D × K. */
  W: Float64Array;
  /** b, length D. */
  bias: Float64Array;
  /** D, the number of observed coordinates. */
  D: number;
  /** K, the number of latent coordinates. */
  K: number;
  /** σ. */
  sigma: number;
  /** σ², a normal float64. */
  s2: number;
}

/**
 * Checks the options of {@linkcode linearGaussianModel} and returns W as a
 * flat D × K matrix with b, σ and σ².
 *
 * @param what The message prefix of the errors.
 * @param options The options to check.
 * @returns The checked parameters.
 * @throws {TypeError} If the shapes do not match, a value is not a number, or
 *   `options` has a key other than these.
 * @throws {RangeError} If a value is not finite or `noiseScale` is outside
 *   [1.5e-154, 1.3e154].
 */
export function checkLinearGaussianOptions(
  what: string,
  options: LinearGaussianOptions,
): LinearGaussianParams {
  const o = readOptions(what, options, ["weight", "bias", "noiseScale", "latentSize"]);
  const weight = o.label("weight"), latentSize = o.label("latentSize");
  const bias = toFiniteVector(what, o.label("bias"), o.get("bias"));
  const D = bias.length;
  assertCount(what, `${o.label("bias")}.length`, D, 1, D);
  const w = assertArrayLike(what, weight, o.get("weight"), "a D × K matrix");
  const givenK = o.has("latentSize") ? o.count("latentSize", { min: 1 }) : undefined;
  let W: Float64Array, K: number;
  if (w.length > 0 && typeof w[0] === "object" && w[0] !== null) {
    if (w.length !== D) {
      throw new TypeError(
        `${what} as ${weight} must have ${D} rows (one per bias entry): current number is ${w.length}`,
      );
    }
    K = assertArrayLike(what, `${weight}[0]`, w[0]).length;
    if (givenK !== undefined && givenK !== K) {
      throw new TypeError(
        `${what} as ${latentSize} must match the ${K} columns of ${weight}: current value is ${givenK}`,
      );
    }
    W = new Float64Array(D * K);
    for (let i = 0; i < D; i++) {
      W.set(toFiniteVector(what, `${weight}[${i}]`, w[i], K, `${weight}[0]`), i * K);
    }
  } else {
    K = givenK ?? (w.length / D);
    if (!Number.isInteger(K) || K < 1 || K * D !== w.length) {
      throw new TypeError(
        `${what} as a flat ${weight} must hold D × latentSize = ${D} × ${
          givenK ?? "K"
        } values (D is the length of ${o.label("bias")}): current length is ${w.length}`,
      );
    }
    W = toFiniteVector(what, weight, w);
  }
  assertCount(what, latentSize, K, 1, K);
  const sigma = o.get("noiseScale");
  assertScale(what, o.label("noiseScale"), sigma);
  const s2 = sigma * sigma;
  if (!(s2 >= MIN_NORMAL) || !Number.isFinite(s2)) {
    throw new RangeError(
      `${what} as ${
        o.label("noiseScale")
      } must be in [1.5e-154, 1.3e154] so that noiseScale² is a normal float64: current value is ${
        show(sigma)
      }`,
    );
  }
  return { W, bias, D, K, sigma, s2 };
}
