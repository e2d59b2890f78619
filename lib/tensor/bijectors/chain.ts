import { tf } from "../_tf.ts";
import { assertNotDisposed, markDisposed } from "../_validate.ts";
import { show } from "../../math/_validate.ts";
import { checkEventRank, checkEventShape, checkPoint } from "./_check.ts";
import { forwardAndLogDet, isTensorBijector, type TensorBijector } from "./bijector.ts";

/**
 * The composition of tensor bijectors, applied right to left as the core's
 * `Chain` and TensorFlow Probability's: `new Chain([f, g])` maps x to
 * f(g(x)). Its log-Jacobians are the sums along the way, each member asked
 * about the event rank its own input has (a `FillScaleTriL` turns a vector
 * into a matrix, one axis more):
 *
 * ```text
 * y = f₁(f₂(⋯ fₙ(x)))
 * log |det ∂y/∂x| = Σᵢ log |det ∂fᵢ/∂x|  at the point fᵢ sees on the way forward
 * ```
 *
 * Its `minEventRank` is the largest of its members'. An empty chain is the
 * identity. The members stay the caller's: `dispose()` frees none of them.
 *
 * @example A latent in (2, 5): shift and scale a sigmoid
 * ```ts
 * import { Chain, Scale, Shift, Sigmoid, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const shift = new Shift(2), scale = new Scale(3), sigmoid = new Sigmoid();
 * const b = new Chain([shift, scale, sigmoid]);
 * const x = tf.scalar(0), y = b.forward(x), ldj = b.forwardLogDetJacobian(x, 0);
 * assert.equal((await y.data())[0], 3.5);
 * assert.ok(Math.abs((await ldj.data())[0]! - Math.log(0.75)) < 1e-6);
 * tf.dispose([x, y, ldj]);
 * [shift, scale, sigmoid].forEach((m) => m.dispose());
 * ```
 */
export class Chain implements TensorBijector {
  /** The bijectors, outermost first. */
  readonly bijectors: readonly TensorBijector[];
  /** "Chain([…])", with the names of the bijectors. */
  readonly name: string;
  /** The largest `minEventRank` of the members (0 for an empty chain). */
  readonly minEventRank: number;

  /**
   * Creates a {@linkcode Chain}.
   *
   * @param bijectors The bijectors, outermost first (applied last to first).
   * @throws {TypeError} If `bijectors` is not an array of live tensor bijectors.
   */
  constructor(bijectors: readonly TensorBijector[]) {
    const what = "Cannot construct Chain";
    if (!Array.isArray(bijectors)) {
      throw new TypeError(
        `${what} as bijectors must be an array of tensor bijectors: current value is ${
          show(bijectors)
        }`,
      );
    }
    bijectors.forEach((b, i) => {
      assertNotDisposed(what, `bijectors[${i}]`, b);
      if (!isTensorBijector(b)) {
        throw new TypeError(
          `${what} as bijectors[${i}] must be a tensor bijector (with minEventRank, forward, inverse, their log-Jacobians, the event shapes and dispose): current value is ${
            show(b)
          }`,
        );
      }
    });
    this.bijectors = Object.freeze(bijectors.slice());
    this.name = `Chain([${this.bijectors.map((b) => String(b.name)).join(", ")}])`;
    this.minEventRank = Math.max(0, ...this.bijectors.map((b) => b.minEventRank));
  }

  /**
   * The event shape after every bijector, last to first.
   *
   * @param shape The event shape of x.
   * @returns The event shape of y.
   * @throws {TypeError} If a member does not take points of that shape.
   */
  forwardEventShape(shape: number[]): number[] {
    checkEventShape(`Cannot compute ${this.name}.forwardEventShape`, shape, this.minEventRank);
    let s = shape.slice();
    for (let i = this.bijectors.length - 1; i >= 0; i--) {
      s = this.bijectors[i]!.forwardEventShape(s);
    }
    return s;
  }

  /**
   * The event shape before every bijector, first to last.
   *
   * @param shape The event shape of y.
   * @returns The event shape of x.
   * @throws {TypeError} If a member does not give points of that shape.
   */
  inverseEventShape(shape: number[]): number[] {
    checkEventShape(`Cannot compute ${this.name}.inverseEventShape`, shape);
    let s = shape.slice();
    for (const b of this.bijectors) s = b.inverseEventShape(s);
    return s;
  }

  /**
   * f₁(⋯ fₙ(x)).
   *
   * @param x A float32 tensor.
   * @returns y.
   * @throws {TypeError} If `x` is not a live float32 tensor, or not a point
   *   a member takes.
   */
  forward(x: tf.Tensor): tf.Tensor {
    checkPoint(`Cannot compute ${this.name}.forward`, "x", x, this.minEventRank);
    return tf.tidy(() => {
      let v = x;
      for (let i = this.bijectors.length - 1; i >= 0; i--) v = this.bijectors[i]!.forward(v);
      return v === x ? tf.clone(x) : v;
    });
  }

  /**
   * fₙ⁻¹(⋯ f₁⁻¹(y)).
   *
   * @param y A float32 tensor.
   * @returns x (NaN where y is outside the range).
   * @throws {TypeError} If `y` is not a live float32 tensor, or not a point
   *   the members give.
   */
  inverse(y: tf.Tensor): tf.Tensor {
    checkPoint(`Cannot compute ${this.name}.inverse`, "y", y);
    return tf.tidy(() => {
      let v = y;
      for (const b of this.bijectors) v = b.inverse(v);
      return v === y ? tf.clone(y) : v;
    });
  }

  /**
   * Σᵢ log |det ∂fᵢ| along the forward pass, each member given the event
   * rank of the point it sees.
   *
   * @param x A float32 tensor.
   * @param eventRank How many trailing axes of x make one point.
   * @returns The log-determinant, shape `x.shape[: rank − eventRank]`.
   * @throws {TypeError} If `x` is not a live float32 tensor, or `eventRank`
   *   is not an integer in [minEventRank, x.rank].
   */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    return tf.tidy(() =>
      this.#forwardAndLogDet(`${this.name}.forwardLogDetJacobian`, x, eventRank).logDet
    );
  }

  /**
   * f₁(⋯ fₙ(x)) and Σᵢ log |det ∂fᵢ| in one pass along the forward map,
   * each member computing both at once where it can (a flow layer does).
   *
   * @param x A float32 tensor.
   * @param eventRank How many trailing axes of x make one point.
   * @returns y and the log-determinant, shape `x.shape[: rank − eventRank]`.
   * @throws {TypeError} As {@linkcode forwardLogDetJacobian}.
   */
  forwardAndLogDet(x: tf.Tensor, eventRank: number): { y: tf.Tensor; logDet: tf.Tensor } {
    return this.#forwardAndLogDet(`${this.name}.forwardAndLogDet`, x, eventRank);
  }

  #forwardAndLogDet(method: string, x: tf.Tensor, eventRank: number) {
    const what = `Cannot compute ${method}`;
    checkPoint(what, "x", x);
    checkEventRank(what, eventRank, this.minEventRank, x.rank);
    return tf.tidy(() => {
      let v = x, rank = eventRank, sum: tf.Tensor | undefined;
      for (let i = this.bijectors.length - 1; i >= 0; i--) {
        const b = this.bijectors[i]!;
        const next = b.forwardEventShape(v.shape.slice(v.rank - rank)).length;
        const r = forwardAndLogDet(b, v, rank);
        sum = sum ? tf.add(sum, r.logDet) : r.logDet;
        [v, rank] = [r.y, next];
      }
      return {
        y: v === x ? tf.clone(x) : v,
        logDet: sum ?? tf.zeros(x.shape.slice(0, x.rank - eventRank)),
      };
    });
  }

  /**
   * Σᵢ log |det ∂fᵢ⁻¹| along the inverse pass. `eventRank` counts the axes
   * of a point x (the chain's input), as in
   * {@linkcode forwardLogDetJacobian}: each member is given the event rank
   * of its own input, found by threading x's event shape forward.
   *
   * @param y A float32 tensor.
   * @param eventRank How many trailing axes of x = f⁻¹(y) make one point.
   * @returns The log-determinant, one per point.
   * @throws {TypeError} If `y` is not a live float32 tensor, or `eventRank`
   *   is not an integer in [minEventRank, y.rank].
   */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverseLogDetJacobian`;
    checkPoint(what, "y", y);
    checkEventRank(what, eventRank, this.minEventRank, y.rank);
    return tf.tidy(() => {
      const inputs: tf.Tensor[] = [];
      let v = y;
      for (const b of this.bijectors) {
        inputs.push(v);
        v = b.inverse(v);
      }
      // The event rank of each member's input x, from the chain's x upwards.
      const ranks: number[] = new Array(this.bijectors.length);
      let shape = v.shape.slice(v.rank - eventRank);
      for (let i = this.bijectors.length - 1; i >= 0; i--) {
        ranks[i] = shape.length;
        shape = this.bijectors[i]!.forwardEventShape(shape);
      }
      let sum: tf.Tensor | undefined;
      this.bijectors.forEach((b, i) => {
        const ldj = b.inverseLogDetJacobian(inputs[i]!, ranks[i]!);
        sum = sum ? tf.add(sum, ldj) : ldj;
      });
      return sum ?? tf.zeros(y.shape.slice(0, y.rank - eventRank));
    });
  }

  #disposed = false;

  /** Whether {@linkcode dispose} has run: every method then throws a TypeError saying so. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /** Frees nothing: the members are the caller's; using the bijector afterwards throws a TypeError that says so. */
  dispose(): void {
    if (!this.#disposed) markDisposed(this, this.name);
    this.#disposed = true;
  }
}
