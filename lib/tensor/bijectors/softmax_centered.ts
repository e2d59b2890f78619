import { tf } from "../_tf.ts";
import { log, logSoftmax } from "../_stable.ts";
import { markDisposed } from "../_validate.ts";
import { checkEventRank, checkEventShape, checkPoint } from "./_check.ts";
import { sumEventAxes, type TensorBijector } from "./bijector.ts";

/**
 * Maps ℝᴷ⁻¹ onto the interior of the probability simplex of K coordinates,
 * `[..., K − 1]` → `[..., K]`, by a softmax with the last logit pinned at 0:
 * the tensor twin of the core's `SoftmaxCentered` (TensorFlow Probability's
 * `SoftmaxCentered`), for latents that are probability vectors.
 *
 * ```text
 * y = softmax([x₁, …, xₖ₋₁, 0]),   xᵢ = log yᵢ − log yₖ
 * log |det ∂(y₁…yₖ₋₁)/∂x| = Σᵢ₌₁ᴷ log yᵢ = Σᵢ xᵢ − K log(1 + Σᵢ exp xᵢ)
 * ```
 *
 * (the Jacobian of the first K − 1 coordinates is diag(y) − y yᵀ, whose
 * determinant is Πᵢ₌₁ᴷ yᵢ). The log-determinant is formed from a log-softmax,
 * so it stays finite where a yᵢ underflows. Its `minEventRank` is 1.
 *
 * @example
 * ```ts
 * import { SoftmaxCentered, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new SoftmaxCentered(), x = tf.tensor1d([0, 0]);
 * const y = b.forward(x);
 * for (const v of await y.data()) assert.ok(Math.abs(v - 1 / 3) < 1e-7);
 * const p = tf.tensor1d([0.2, 0.3, 0.5]), back = b.inverse(p);
 * assert.ok(Math.abs((await back.data())[0]! - Math.log(0.4)) < 1e-6);
 * tf.dispose([x, y, p, back]);
 * ```
 */
export class SoftmaxCentered implements TensorBijector {
  /** "SoftmaxCentered". */
  readonly name: string = "SoftmaxCentered";
  /** 1: a point is a vector. */
  readonly minEventRank: number = 1;

  /**
   * `[..., K]` for an event shape `[..., K − 1]`.
   *
   * @param shape The event shape of x (at least one entry).
   * @returns The event shape of y.
   * @throws {TypeError} If `shape` is not an array of integers ≥ 1 with at
   *   least one entry.
   */
  forwardEventShape(shape: number[]): number[] {
    checkEventShape(`Cannot compute ${this.name}.forwardEventShape`, shape, 1);
    return [...shape.slice(0, -1), shape[shape.length - 1]! + 1];
  }

  /**
   * `[..., K − 1]` for an event shape `[..., K]`, K ≥ 2.
   *
   * @param shape The event shape of y.
   * @returns The event shape of x.
   * @throws {TypeError} If `shape` is empty or its last entry is < 2.
   */
  inverseEventShape(shape: number[]): number[] {
    const what = `Cannot compute ${this.name}.inverseEventShape`;
    checkEventShape(what, shape, 1);
    const k = shape[shape.length - 1]!;
    if (k < 2) {
      throw new TypeError(`${what} as shape must end in K ≥ 2: current value is [${shape}]`);
    }
    return [...shape.slice(0, -1), k - 1];
  }

  /** log softmax([x, 0]) over the last axis. */
  #logY(x: tf.Tensor): tf.Tensor {
    const padding = x.shape.map((_, i): [number, number] => [0, i === x.rank - 1 ? 1 : 0]);
    return logSoftmax(tf.pad(x, padding));
  }

  /**
   * softmax([x, 0]).
   *
   * @param x Vectors `[..., K − 1]`.
   * @returns y, `[..., K]`.
   * @throws {TypeError} If `x` is not a live float32 tensor of rank ≥ 1.
   */
  forward(x: tf.Tensor): tf.Tensor {
    checkPoint(`Cannot compute ${this.name}.forward`, "x", x, 1);
    return tf.tidy(() => tf.exp(this.#logY(x)));
  }

  /**
   * log yᵢ − log yₖ for i < K; NaN where y is not a point of the simplex
   * (an entry < 0, or a sum that misses 1 by more than K · 2⁻²⁰, its
   * float32 rounding).
   *
   * @param y Points `[..., K]` of the simplex, K ≥ 2.
   * @returns x, `[..., K − 1]`.
   * @throws {TypeError} If `y` is not a live float32 tensor of rank ≥ 1
   *   with K ≥ 2.
   */
  inverse(y: tf.Tensor): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverse`;
    checkPoint(what, "y", y, 1);
    const k = this.#k(what, y);
    return tf.tidy(() => {
      const logY = log(y);
      const begin = y.shape.map(() => 0), size = y.shape.slice();
      size[y.rank - 1] = k - 1;
      const last = begin.slice();
      last[y.rank - 1] = k - 1;
      const lastSize = y.shape.slice();
      lastSize[y.rank - 1] = 1;
      const x = tf.sub(tf.slice(logY, begin, size), tf.slice(logY, last, lastSize));
      // Off the simplex (as the core's inRange says) x is NaN, as every
      // bijector's inverse is outside its range: a transformed density is
      // −∞ there. The sum may miss 1 by its float32 rounding, K · 2⁻²⁰ at most.
      const onSimplex = tf.greaterEqual(
        tf.minimum(
          tf.sub(k * 2 ** -20, tf.abs(tf.sub(tf.sum(y, -1, true), 1))),
          tf.min(y, -1, true),
        ),
        0,
      );
      return tf.where(onSimplex, x, tf.fill(x.shape, NaN));
    });
  }

  #k(what: string, y: tf.Tensor): number {
    const k = y.shape[y.rank - 1]!;
    if (k < 2) {
      throw new TypeError(`${what} as y must end in K ≥ 2 entries: current shape is [${y.shape}]`);
    }
    return k;
  }

  /**
   * Σᵢ₌₁ᴷ log yᵢ, from a log-softmax, summed over the last `eventRank` axes.
   *
   * @param x Vectors `[..., K − 1]`.
   * @param eventRank How many trailing axes make one point (≥ 1).
   * @returns The log-determinant, shape `x.shape[: rank − eventRank]`.
   * @throws {TypeError} If `x` is not a live float32 tensor, or `eventRank`
   *   is not an integer in [1, x.rank].
   */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.forwardLogDetJacobian`;
    checkPoint(what, "x", x, 1);
    checkEventRank(what, eventRank, 1, x.rank);
    return tf.tidy(() => sumEventAxes(tf.sum(this.#logY(x), -1), eventRank - 1));
  }

  /**
   * −Σᵢ₌₁ᴷ log yᵢ, summed over the last `eventRank` axes.
   *
   * @param y Points `[..., K]` of the simplex.
   * @param eventRank How many trailing axes make one point (≥ 1).
   * @returns The log-determinant, shape `y.shape[: rank − eventRank]`.
   * @throws {TypeError} If `y` is not a live float32 tensor with K ≥ 2, or
   *   `eventRank` is not an integer in [1, y.rank].
   */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverseLogDetJacobian`;
    checkPoint(what, "y", y, 1);
    checkEventRank(what, eventRank, 1, y.rank);
    this.#k(what, y);
    return tf.tidy(() => sumEventAxes(tf.neg(tf.sum(log(y), -1)), eventRank - 1));
  }

  #disposed = false;

  /** Whether {@linkcode dispose} has run: every method then throws a TypeError saying so. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Frees nothing: it holds no tensors; using the bijector afterwards throws a TypeError that says so. */
  dispose(): void {
    if (!this.#disposed) markDisposed(this, this.name);
    this.#disposed = true;
  }
}
