import { readOptions } from "../math/_options.ts";
import { assertArrayLike, assertCount, assertPositive, show } from "../math/_validate.ts";

/** Settings of {@linkcode Adam}. */
export interface AdamOptions {
  /** Step size α, finite and > 0 (default 0.05). */
  learningRate?: number;
  /** β₁ in [0, 1) (default 0.9). */
  beta1?: number;
  /** β₂ in [0, 1) (default 0.999). */
  beta2?: number;
  /** ε, finite and > 0 (default 1e-8). */
  epsilon?: number;
}

/**
 * Adam (Kingma and Ba, 2015) on a float64 parameter vector, as gradient
 * ascent (the estimators return gradients of a bound to maximise):
 *
 * ```text
 * m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
 * θ ← θ + α_t · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * ```
 *
 * @example Maximising −(θ − 3)²
 * ```ts
 * import { Adam } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const theta = new Float64Array([0]);
 * const adam = new Adam(1, { learningRate: 0.1 });
 * for (let t = 0; t < 500; t++) adam.ascend(theta, new Float64Array([-2 * (theta[0]! - 3)]));
 * assert.ok(Math.abs(theta[0]! - 3) < 1e-3);
 * assert.throws(() => new Adam(1, { epsilon: 0 }), RangeError);
 * ```
 */
export class Adam {
  #lr: number;
  readonly #b1: number;
  readonly #b2: number;
  readonly #eps: number;
  readonly #size: number;
  #m: Float64Array;
  #v: Float64Array;
  #t = 0;

  /**
   * Creates an optimiser for `size` parameters.
   *
   * @param size The number of parameters, an integer ≥ 1.
   * @param options Step size, moment decay rates and ε.
   * @throws {TypeError} If `options` is not an object or has a key other than
   *   these, or a setting is not a number.
   * @throws {RangeError} If `size` is not an integer ≥ 1 (and at most 2²⁷),
   *   `learningRate` or `epsilon` is not finite and > 0, or `beta1`/`beta2`
   *   is outside [0, 1).
   */
  constructor(size: number, options: AdamOptions = {}) {
    const what = "Cannot construct Adam";
    assertCount(what, "size", size, 1);
    const o = readOptions(what, options, ["learningRate", "beta1", "beta2", "epsilon"]);
    this.#lr = o.number("learningRate", { min: 0, minExclusive: true, default: 0.05 });
    this.#b1 = o.number("beta1", { min: 0, max: 1, maxExclusive: true, default: 0.9 });
    this.#b2 = o.number("beta2", { min: 0, max: 1, maxExclusive: true, default: 0.999 });
    this.#eps = o.number("epsilon", { min: 0, minExclusive: true, default: 1e-8 });
    this.#size = size;
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
  }

  /**
   * α, the step size: finite and > 0 (setting another value throws a
   * RangeError, or a TypeError for a non-number).
   */
  get learningRate(): number {
    return this.#lr;
  }

  set learningRate(value: number) {
    assertPositive("Cannot set Adam.learningRate", "learningRate", value);
    this.#lr = value;
  }

  /**
   * One ascent step: updates `params` in place along `grad`. Both are
   * checked before anything changes, so a refused step leaves the
   * optimiser and the parameters as they were.
   *
   * @param params The parameters, a Float64Array of `size` finite values.
   * @param grad The gradient of the objective to maximise, `size` finite values.
   * @throws {TypeError} If an argument has the wrong type or length.
   * @throws {RangeError} If an entry of `params` or `grad` is not finite.
   */
  ascend(params: Float64Array, grad: ArrayLike<number>): void {
    const what = "Cannot take an Adam step";
    const n = this.#size;
    if (!(params instanceof Float64Array) || params.length !== n) {
      throw new TypeError(
        `${what} as params must be a Float64Array of length ${n} (the optimiser's size): current value is ${
          show(params)
        }`,
      );
    }
    const g = assertArrayLike(what, "grad", grad);
    if (g.length !== n) {
      throw new TypeError(
        `${what} as grad must have length ${n} (the optimiser's size): current length is ${g.length}`,
      );
    }
    for (let i = 0; i < n; i++) {
      const v = g[i];
      if (typeof v !== "number") {
        throw new TypeError(`${what} as grad[${i}] must be a number: current value is ${show(v)}`);
      }
      if (!Number.isFinite(v)) {
        throw new RangeError(`${what} as grad[${i}] must be finite: current value is ${show(v)}`);
      }
      if (!Number.isFinite(params[i]!)) {
        throw new RangeError(
          `${what} as params[${i}] must be finite: current value is ${show(params[i])}`,
        );
      }
    }
    this.#t++;
    const c1 = 1 - this.#b1 ** this.#t, c2 = 1 - this.#b2 ** this.#t;
    for (let i = 0; i < n; i++) {
      const gi = grad[i]!;
      this.#m[i] = this.#b1 * this.#m[i]! + (1 - this.#b1) * gi;
      this.#v[i] = this.#b2 * this.#v[i]! + (1 - this.#b2) * gi * gi;
      params[i]! += (this.#lr * (this.#m[i]! / c1)) / (Math.sqrt(this.#v[i]! / c2) + this.#eps);
    }
  }
}
