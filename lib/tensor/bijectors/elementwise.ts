import { tf } from "../_tf.ts";
import { markDisposed } from "../_validate.ts";
import { checkEventRank, checkEventShape, checkPoint } from "./_check.ts";
import { sumEventAxes, type TensorBijector } from "./bijector.ts";

/**
 * The base of the tensor bijectors that act coordinate by coordinate
 * (`Exp`, `Softplus`, `Sigmoid`, `Shift`, `Scale`): the twin of the core's
 * `ElementwiseBijector`. A subclass gives the map, its inverse and their
 * log-derivatives as tensor functions; this class checks the points, keeps
 * the event shape, and sums the log-derivatives over the event axes:
 *
 * ```text
 * forwardLogDetJacobian(x, r) = Σ over the last r axes of log |f′(x)|
 * inverseLogDetJacobian(y, r) = Σ over the last r axes of log |(f⁻¹)′(y)|
 * ```
 *
 * Its `minEventRank` is 0. Parameters (a `Shift` by a vector) broadcast
 * against the points. Values are not checked (they stay on the device): a
 * point outside the range gives NaN.
 *
 * @example A bijector of one's own
 * ```ts
 * import { ElementwiseBijector, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * class Cube extends ElementwiseBijector {
 *   readonly name = "Cube";
 *   protected f(x: tf.Tensor): tf.Tensor { return tf.pow(x, 3); }
 *   protected fInverse(y: tf.Tensor): tf.Tensor { return tf.mul(tf.sign(y), tf.pow(tf.abs(y), 1 / 3)); }
 *   protected fLogDerivative(x: tf.Tensor): tf.Tensor { return tf.log(tf.mul(3, tf.square(x))); }
 *   protected fInverseLogDerivative(y: tf.Tensor): tf.Tensor {
 *     return tf.neg(this.fLogDerivative(this.fInverse(y)));
 *   }
 * }
 * const c = new Cube(), x = tf.tensor1d([1, 2]);
 * const y = c.forward(x);
 * assert.deepEqual(Array.from(await y.data()), [1, 8]);
 * const ldj = c.forwardLogDetJacobian(x, 1); // log 3 + log 12
 * assert.ok(Math.abs((await ldj.data())[0]! - Math.log(36)) < 1e-5);
 * tf.dispose([x, y, ldj]);
 * ```
 */
export abstract class ElementwiseBijector implements TensorBijector {
  /** The name, for messages. */
  abstract readonly name: string;
  /** 0: the map acts on each coordinate alone. */
  readonly minEventRank: number = 0;

  /** Tensors made by this bijector, freed by {@linkcode dispose}. */
  #owned: tf.Tensor[] = [];
  #disposed = false;

  /**
   * Starts a bijector of a subclass.
   *
   * @throws {TypeError} If called for this abstract class itself.
   */
  constructor() {
    if (new.target === ElementwiseBijector) {
      throw new TypeError(
        "Cannot construct ElementwiseBijector as it is abstract: extend it, or construct an Exp, a Shift, …",
      );
    }
  }

  /** Whether {@linkcode dispose} has run: every method then throws a TypeError saying so. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * Frees the tensors made so far by a constructor that is failing, and
   * returns its error to rethrow (`catch (e) { throw this.abandon(e); }`).
   */
  protected abandon(error: unknown): unknown {
    this.dispose();
    return error;
  }

  /** Records a tensor this bijector made, and returns it. */
  protected own<T extends tf.Tensor>(t: T): T {
    if (!this.#owned.includes(t)) this.#owned.push(t);
    return t;
  }

  /** The map, elementwise. */
  protected abstract f(x: tf.Tensor): tf.Tensor;
  /** Its inverse, elementwise. */
  protected abstract fInverse(y: tf.Tensor): tf.Tensor;
  /** log |f′(x)|, elementwise (it may have the shape of a parameter instead). */
  protected abstract fLogDerivative(x: tf.Tensor): tf.Tensor;
  /** log |(f⁻¹)′(y)|, elementwise (or of a parameter's shape). */
  protected abstract fInverseLogDerivative(y: tf.Tensor): tf.Tensor;

  /**
   * The same shape: the map acts coordinate by coordinate.
   *
   * @param shape The event shape of x.
   * @returns A copy of it.
   * @throws {TypeError} If `shape` is not an array of integers ≥ 1.
   */
  forwardEventShape(shape: number[]): number[] {
    checkEventShape(`Cannot compute ${this.name}.forwardEventShape`, shape);
    return shape.slice();
  }

  /**
   * The same shape (see {@linkcode forwardEventShape}).
   *
   * @param shape The event shape of y.
   * @returns A copy of it.
   * @throws {TypeError} If `shape` is not an array of integers ≥ 1.
   */
  inverseEventShape(shape: number[]): number[] {
    checkEventShape(`Cannot compute ${this.name}.inverseEventShape`, shape);
    return shape.slice();
  }

  /**
   * f(x), elementwise.
   *
   * @param x A float32 tensor.
   * @returns f(x), of the broadcast shape of x and the parameters.
   * @throws {TypeError} If `x` is not a live float32 tensor that broadcasts
   *   with the parameters.
   */
  forward(x: tf.Tensor): tf.Tensor {
    this.#point(`Cannot compute ${this.name}.forward`, "x", x);
    return tf.tidy(() => fresh(this.f(x), x));
  }

  /**
   * f⁻¹(y), elementwise (NaN outside the range).
   *
   * @param y A float32 tensor.
   * @returns f⁻¹(y).
   * @throws {TypeError} If `y` is not a live float32 tensor that broadcasts
   *   with the parameters.
   */
  inverse(y: tf.Tensor): tf.Tensor {
    this.#point(`Cannot compute ${this.name}.inverse`, "y", y);
    return tf.tidy(() => fresh(this.fInverse(y), y));
  }

  /**
   * Σ log |f′(x)| over the last `eventRank` axes.
   *
   * @param x A float32 tensor.
   * @param eventRank How many trailing axes make one point (0 to x's rank).
   * @returns The log-determinant, shape `x.shape[: rank − eventRank]`
   *   (broadcast with the parameters).
   * @throws {TypeError} If `x` is not a live float32 tensor that broadcasts
   *   with the parameters, or `eventRank` is not an integer in [0, x.rank].
   */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.forwardLogDetJacobian`;
    this.#point(what, "x", x);
    checkEventRank(what, eventRank, 0, x.rank);
    return tf.tidy(() => this.#sum(x, this.fLogDerivative(x), eventRank));
  }

  /**
   * Σ log |(f⁻¹)′(y)| over the last `eventRank` axes.
   *
   * @param y A float32 tensor.
   * @param eventRank How many trailing axes make one point (0 to y's rank).
   * @returns The log-determinant, shape `y.shape[: rank − eventRank]`.
   * @throws {TypeError} If `y` is not a live float32 tensor that broadcasts
   *   with the parameters, or `eventRank` is not an integer in [0, y.rank].
   */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverseLogDetJacobian`;
    this.#point(what, "y", y);
    checkEventRank(what, eventRank, 0, y.rank);
    return tf.tidy(() => this.#sum(y, this.fInverseLogDerivative(y), eventRank));
  }

  /** Broadcasts per-coordinate log-derivatives to the point's shape and sums the event axes. */
  /**
   * Checks a point: a live float32 tensor whose shape broadcasts with the
   * bijector's parameters (the tensors among its properties).
   */
  #point(what: string, name: string, x: unknown): asserts x is tf.Tensor {
    checkPoint(what, name, x);
    for (const p of Object.values(this)) {
      if (!(p instanceof tf.Tensor)) continue;
      try {
        tf.backend_util.assertAndGetBroadcastShape(x.shape, p.shape);
      } catch {
        throw new TypeError(
          `${what} as ${name} must broadcast with the ${this.name}'s parameter of shape [${p.shape}]: current shape is [${x.shape}]`,
        );
      }
    }
  }

  #sum(point: tf.Tensor, ld: tf.Tensor, eventRank: number): tf.Tensor {
    const shape = tf.backend_util.assertAndGetBroadcastShape(point.shape, ld.shape);
    const full = ld.shape.length === shape.length && ld.shape.every((s, i) => s === shape[i])
      ? ld
      : tf.broadcastTo(ld, shape);
    return fresh(sumEventAxes(full, eventRank), point);
  }

  /**
   * Frees the tensors this bijector made (never the caller's). Using the
   * bijector afterwards throws a TypeError that says so.
   */
  dispose(): void {
    tf.dispose(this.#owned);
    this.#owned = [];
    if (!this.#disposed) markDisposed(this, this.name);
    this.#disposed = true;
  }
}

/** `t`, or a copy of it when it is the caller's point (a map that returns its input). */
function fresh(t: tf.Tensor, input: tf.Tensor): tf.Tensor {
  return t === input ? tf.clone(t) : t;
}
