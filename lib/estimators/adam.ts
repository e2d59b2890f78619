import { assertPositive, show } from "../math/_validate.ts";

/** Settings of {@linkcode Adam}. */
export interface AdamOptions {
  /** Step size α (default 0.05). */
  learningRate?: number;
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
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
 * ```
 */
export class Adam {
  /** α. */
  learningRate: number;
  readonly #b1: number;
  readonly #b2: number;
  readonly #eps: number;
  #m: Float64Array;
  #v: Float64Array;
  #t = 0;

  /**
   * Creates an optimiser for `size` parameters.
   *
   * @param size The number of parameters.
   * @param options Step size and moment decay rates.
   * @throws {RangeError} If a setting is out of range.
   */
  constructor(size: number, options: AdamOptions = {}) {
    const what = "Cannot construct Adam";
    this.learningRate = options.learningRate ?? 0.05;
    assertPositive(what, "learningRate", this.learningRate);
    this.#b1 = options.beta1 ?? 0.9;
    this.#b2 = options.beta2 ?? 0.999;
    this.#eps = options.epsilon ?? 1e-8;
    for (const [n, v] of [["beta1", this.#b1], ["beta2", this.#b2]] as const) {
      if (!(v >= 0 && v < 1)) {
        throw new RangeError(`${what} as ${n} must be in [0, 1): current value is ${show(v)}`);
      }
    }
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
  }

  /**
   * One ascent step: updates `params` in place along `grad`.
   *
   * @param params The parameters.
   * @param grad The gradient of the objective to maximise.
   * @throws {RangeError} If the gradient has a non-finite entry.
   */
  ascend(params: Float64Array, grad: ArrayLike<number>): void {
    this.#t++;
    const c1 = 1 - this.#b1 ** this.#t, c2 = 1 - this.#b2 ** this.#t;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      if (!Number.isFinite(g)) {
        throw new RangeError(
          `Adam.ascend received a non-finite gradient: grad[${i}] is ${show(g)}`,
        );
      }
      this.#m[i] = this.#b1 * this.#m[i]! + (1 - this.#b1) * g;
      this.#v[i] = this.#b2 * this.#v[i]! + (1 - this.#b2) * g * g;
      params[i]! += (this.learningRate * (this.#m[i]! / c1)) /
        (Math.sqrt(this.#v[i]! / c2) + this.#eps);
    }
  }
}
