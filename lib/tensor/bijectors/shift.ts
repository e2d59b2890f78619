import { tf } from "../_tf.ts";
import type { TensorInput } from "../distributions/distribution.ts";
import { toParam } from "../distributions/_params.ts";
import { ElementwiseBijector } from "./elementwise.ts";

/**
 * Adds a shift, elementwise, broadcasting against the points: the tensor
 * twin of the core's `Shift`.
 *
 * ```text
 * y = x + s,   x = y − s,   log |dy/dx| = 0                              range ℝ
 * ```
 *
 * A tensor shift is the caller's and may be a `tf.Variable`: gradients of
 * every method reach it.
 *
 * @example
 * ```ts
 * import { Shift, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const b = new Shift([1, -1]), y = tf.tensor1d([1, 1]);
 * const x = b.inverse(y);
 * assert.deepEqual(Array.from(await x.data()), [0, 2]);
 * tf.dispose([x, y]);
 * b.dispose();
 * ```
 */
export class Shift extends ElementwiseBijector {
  /** "Shift". */
  readonly name: string = "Shift";
  /** The shift s, broadcast against the points. */
  readonly shift: tf.Tensor;

  /**
   * Creates a {@linkcode Shift}.
   *
   * @param shift s: a tensor, a number or an array (finite).
   * @throws {TypeError} If `shift` is not a tensor or numbers.
   * @throws {RangeError} If a number is not finite.
   */
  constructor(shift: TensorInput) {
    super();
    try {
      this.shift = toParam("Cannot construct Shift", "shift", shift, "finite", (t) => this.own(t));
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** x + s. */
  protected f(x: tf.Tensor): tf.Tensor {
    return tf.add(x, this.shift);
  }
  /** y − s. */
  protected fInverse(y: tf.Tensor): tf.Tensor {
    return tf.sub(y, this.shift);
  }
  /** 0. */
  protected fLogDerivative(x: tf.Tensor): tf.Tensor {
    return tf.zeros(tf.backend_util.assertAndGetBroadcastShape(x.shape, this.shift.shape));
  }
  /** 0. */
  protected fInverseLogDerivative(y: tf.Tensor): tf.Tensor {
    return this.fLogDerivative(y);
  }
}
