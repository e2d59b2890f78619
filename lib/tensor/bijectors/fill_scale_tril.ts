import { tf } from "../_tf.ts";
import { markDisposed } from "../_validate.ts";
import { log1mexp, softplus, softplusInverse } from "../_stable.ts";
import { readOptions } from "../../math/_options.ts";
import { checkEventRank, checkEventShape, checkPoint } from "./_check.ts";
import { sumEventAxes, type TensorBijector } from "./bijector.ts";

/** Options of {@linkcode FillScaleTriL}. */
export interface FillScaleTriLOptions {
  /** Added to the softplus of each diagonal entry (default 10⁻⁵, as in TFP). */
  diagShift?: number;
}

/**
 * Fills vectors of d(d + 1)/2 unconstrained numbers into d × d
 * lower-triangular matrices with a positive diagonal — Cholesky factors,
 * the `scaleTril` of a full-rank Gaussian — as the core's `FillScaleTriL`
 * and TensorFlow Probability's do: `[..., d(d + 1)/2]` → `[..., d, d]`, the
 * off-diagonal entries copied, the diagonal ones through softplus and
 * shifted by `diagShift`.
 *
 * ```text
 * x = (x₀, x₁, …) fills the lower triangle row by row: L₀₀, L₁₀, L₁₁, L₂₀, L₂₁, L₂₂, …
 * Lᵢⱼ = x  (i > j),   Lᵢᵢ = softplus(x) + diagShift,   Lᵢⱼ = 0  (i < j)
 * log |det ∂L/∂x| = Σᵢ log σ(xᵢᵢ)          (over the d(d + 1)/2 entries of the triangle)
 * ```
 *
 * Its `minEventRank` is 1: `eventRank` counts the axes of x, the last of
 * which is the vector (y has one axis more). L is built of slices, pads and
 * masks only, so gradients reach x also inside an optimizer's `minimize`
 * (where `tf.linalg.bandPart` loses them) and on the wasm backend (which
 * cannot differentiate a gather).
 *
 * @example
 * ```ts
 * import { FillScaleTriL, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new FillScaleTriL({ diagShift: 0 }), x = tf.tensor1d([0, 0.5, 0]);
 * const L = b.forward(x), back = b.inverse(L);
 * assert.deepEqual(L.shape, [2, 2]);
 * const [l00, l01, l10] = await L.data();
 * assert.ok(Math.abs(l00! - Math.LN2) < 1e-7);
 * assert.deepEqual([l01, l10], [0, 0.5]);
 * assert.ok(Math.abs((await back.data())[1]! - 0.5) < 1e-7);
 * tf.dispose([x, L, back]);
 * ```
 */
export class FillScaleTriL implements TensorBijector {
  /** "FillScaleTriL". */
  readonly name: string = "FillScaleTriL";
  /** 1: a point is a vector. */
  readonly minEventRank: number = 1;
  /** What is added to the softplus of the diagonal. */
  readonly diagShift: number;

  /**
   * Creates a {@linkcode FillScaleTriL}.
   *
   * @param options `{ diagShift }`, a finite number ≥ 0 (default 10⁻⁵)
   *   that float32 holds: at most about 3.4 × 10³⁸, and 0 or large enough
   *   (about 7 × 10⁻⁴⁶ or more) not to round to 0.
   * @throws {TypeError} If `options` is not a plain object or has another
   *   key, or `diagShift` is not a number.
   * @throws {RangeError} If `diagShift` is not finite and ≥ 0, or float32
   *   cannot hold it.
   */
  constructor(options: FillScaleTriLOptions = {}) {
    const what = "Cannot construct FillScaleTriL";
    const o = readOptions(what, options, ["diagShift"]);
    this.diagShift = o.number("diagShift", { min: 0, float32: true, default: 1e-5 });
  }

  /** d for a vector length n = d(d + 1)/2, or a TypeError. */
  #dimension(what: string, name: string, n: number): number {
    const d = Math.round((Math.sqrt(8 * n + 1) - 1) / 2);
    if ((d * (d + 1)) / 2 !== n) {
      throw new TypeError(
        `${what} as ${name} must have a triangular last dimension d(d + 1)/2 (1, 3, 6, 10, …): current value is ${n}`,
      );
    }
    return d;
  }

  /** d for matrices `[..., d, d]`, or a TypeError. */
  #square(what: string, name: string, shape: number[]): number {
    const d = shape[shape.length - 1]!;
    if (shape.length < 2 || shape[shape.length - 2] !== d) {
      throw new TypeError(
        `${what} as ${name} must end in two equal dimensions [..., d, d]: current value is [${shape}]`,
      );
    }
    return d;
  }

  /**
   * `[..., d, d]` for an event shape `[..., d(d + 1)/2]`.
   *
   * @param shape The event shape of x (at least one entry).
   * @returns The event shape of y.
   * @throws {TypeError} If the last entry is not a triangular number.
   */
  forwardEventShape(shape: number[]): number[] {
    const what = `Cannot compute ${this.name}.forwardEventShape`;
    checkEventShape(what, shape, 1);
    const d = this.#dimension(what, "shape", shape[shape.length - 1]!);
    return [...shape.slice(0, -1), d, d];
  }

  /**
   * `[..., d(d + 1)/2]` for an event shape `[..., d, d]`.
   *
   * @param shape The event shape of y (at least two entries).
   * @returns The event shape of x.
   * @throws {TypeError} If the last two entries differ.
   */
  inverseEventShape(shape: number[]): number[] {
    const what = `Cannot compute ${this.name}.inverseEventShape`;
    checkEventShape(what, shape, 2);
    const d = this.#square(what, "shape", shape);
    return [...shape.slice(0, -2), (d * (d + 1)) / 2];
  }

  /**
   * The lower-triangular matrices, `[..., d, d]`.
   *
   * @param x Vectors `[..., d(d + 1)/2]`.
   * @returns L.
   * @throws {TypeError} If `x` is not a live float32 tensor of rank ≥ 1
   *   whose last dimension is triangular.
   */
  forward(x: tf.Tensor): tf.Tensor {
    const what = `Cannot compute ${this.name}.forward`;
    checkPoint(what, "x", x, 1);
    const d = this.#dimension(what, "x", x.shape[x.rank - 1]!);
    return tf.tidy(() => {
      const filled = tf.where(diagonalMask(d), tf.add(softplus(x), this.diagShift), x);
      // Row i of L: entries i(i + 1)/2 … i(i + 1)/2 + i of the vector, then d − 1 − i zeros.
      const lead = x.shape.slice(0, -1), rows: tf.Tensor[] = [];
      for (let i = 0; i < d; i++) {
        const row = sliceLast(filled, (i * (i + 1)) / 2, i + 1);
        rows.push(tf.pad(row, [...lead.map((): [number, number] => [0, 0]), [0, d - 1 - i]]));
      }
      return tf.reshape(tf.concat(rows, -1), [...lead, d, d]);
    });
  }

  /**
   * The vectors of the lower triangles, the diagonal through softplus⁻¹;
   * NaN for a matrix outside the range (a diagonal entry not > diagShift,
   * or a non-zero entry above the diagonal).
   *
   * @param y Matrices `[..., d, d]`.
   * @returns x, `[..., d(d + 1)/2]`.
   * @throws {TypeError} If `y` is not a live float32 tensor ending in two
   *   equal dimensions.
   */
  inverse(y: tf.Tensor): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverse`;
    checkPoint(what, "y", y, 2);
    const d = this.#square(what, "y", y.shape);
    return tf.tidy(() => {
      // Row i of y, columns 0 … i, one after the other.
      const flat = tf.reshape(y, [...y.shape.slice(0, -2), d * d]);
      const parts = Array.from({ length: d }, (_, i) => sliceLast(flat, i * d, i + 1));
      const v = d === 1 ? parts[0]! : tf.concat(parts, -1);
      const onDiagonal = diagonalMask(d);
      // softplus⁻¹ only sees diagonal entries (1 elsewhere), so its gradient stays finite.
      const safe = tf.where(onDiagonal, tf.sub(v, this.diagShift), tf.onesLike(v));
      const x = tf.where(onDiagonal, softplusInverse(safe), v);
      // A y with a non-zero entry above the diagonal is outside the range:
      // NaN, as every bijector's inverse is there (the core's inRange is false).
      const upper = tf.sub(1, tf.linalg.bandPart(tf.ones([d, d]), -1, 0));
      const above = tf.sum(tf.abs(tf.mul(flat, tf.reshape(upper, [d * d]))), -1, true);
      return tf.where(tf.greaterEqual(0, above), x, tf.fill(x.shape, NaN));
    });
  }

  /**
   * Σᵢ log σ(xᵢᵢ) = −Σᵢ softplus(−xᵢᵢ), summed over the last `eventRank`
   * axes of x.
   *
   * @param x Vectors `[..., d(d + 1)/2]`.
   * @param eventRank How many trailing axes of x make one point (≥ 1).
   * @returns The log-determinant, shape `x.shape[: rank − eventRank]`.
   * @throws {TypeError} If `x` is not such a tensor, or `eventRank` is not
   *   an integer in [1, x.rank].
   */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.forwardLogDetJacobian`;
    checkPoint(what, "x", x, 1);
    checkEventRank(what, eventRank, 1, x.rank);
    const d = this.#dimension(what, "x", x.shape[x.rank - 1]!);
    return tf.tidy(() => {
      const terms = tf.where(diagonalMask(d), softplus(tf.neg(x)), tf.zerosLike(x));
      return sumEventAxes(tf.neg(tf.sum(terms, -1)), eventRank - 1);
    });
  }

  /**
   * −Σᵢ log(1 − exp(−(Lᵢᵢ − diagShift))), summed over the point's axes.
   * `eventRank` counts the axes of x, as in
   * {@linkcode forwardLogDetJacobian}: a point y has `eventRank + 1` axes.
   *
   * @param y Matrices `[..., d, d]`.
   * @param eventRank How many trailing axes of x = f⁻¹(y) make one point (≥ 1).
   * @returns The log-determinant, shape `y.shape[: rank − eventRank − 1]`.
   * @throws {TypeError} If `y` is not such a tensor, or `eventRank` is not
   *   an integer in [1, y.rank − 1].
   */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverseLogDetJacobian`;
    checkPoint(what, "y", y, 2);
    checkEventRank(what, eventRank, 1, y.rank - 1);
    const d = this.#square(what, "y", y.shape);
    return tf.tidy(() => {
      // The diagonal of y, without multiplying the rest by 0 (∞ · 0 would be NaN).
      const eye = tf.cast(tf.eye(d), "bool");
      const diag = tf.sum(tf.where(eye, y, tf.zerosLike(y)), -1);
      const per = tf.neg(tf.sum(log1mexp(tf.sub(this.diagShift, diag)), -1));
      return sumEventAxes(per, eventRank - 1);
    });
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

/** Whether each entry of a vector of d(d + 1)/2 lands on the diagonal (k = i(i + 3)/2). */
function diagonalMask(d: number): tf.Tensor {
  const diagonal = new Set(Array.from({ length: d }, (_, i) => (i * (i + 3)) / 2));
  return tf.tensor1d(Array.from({ length: (d * (d + 1)) / 2 }, (_, k) => diagonal.has(k)), "bool");
}

/** `size` entries of the last axis from `start`. */
function sliceLast(t: tf.Tensor, start: number, size: number): tf.Tensor {
  const begin = t.shape.map((_, i) => (i === t.rank - 1 ? start : 0));
  const sizes = t.shape.map((s, i) => (i === t.rank - 1 ? size : s));
  return tf.slice(t, begin, sizes);
}
