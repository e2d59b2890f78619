import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { checkEventRank, checkEventShape, checkPoint } from "./_check.ts";
import { sumEventAxes, type TensorBijector } from "./bijector.ts";

/**
 * Reorders the coordinates of a vector: y_i = x_{π(i)}. Between the layers
 * of an autoregressive flow, it changes which coordinates come first (the
 * flows of Papamakarios et al. 2017 and Kingma et al. 2016 reverse the order
 * between layers). Volume-preserving: log |det| = 0.
 *
 * A product with a permutation matrix, made on every call from the
 * permutation: differentiable on every backend (tfjs-wasm cannot
 * differentiate a gather), and nothing to free.
 *
 * @example Reverse three coordinates
 * ```ts
 * import { Permute, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const y = new Permute([2, 1, 0]).forward(tf.tensor1d([1, 2, 3]));
 * assert.deepEqual(Array.from(y.dataSync()), [3, 2, 1]);
 * y.dispose();
 * ```
 */
export class Permute implements TensorBijector {
  /** "Permute". */
  readonly name: string = "Permute";
  /** 1: a point is a vector. */
  readonly minEventRank: number = 1;
  /** π: y_i = x_{π(i)}. */
  readonly permutation: readonly number[];
  /** P with P[j][i] = 1 where j = π(i): y = x P. */
  readonly #matrix: Float32Array;

  /**
   * Creates a {@linkcode Permute}.
   *
   * @param permutation Each of 0 … D − 1 once (D ≤ 4096).
   * @throws {TypeError} If `permutation` is not an array of integers.
   * @throws {RangeError} If it is not a permutation of 0 … D − 1.
   */
  constructor(permutation: number[]) {
    const what = "Cannot construct Permute";
    if (!Array.isArray(permutation) || !permutation.every((p) => Number.isInteger(p))) {
      throw new TypeError(
        `${what} as permutation must be an array of integers: current value is ${
          show(permutation)
        }`,
      );
    }
    const D = permutation.length;
    const seen = new Set(permutation);
    if (D === 0 || D > 4096 || seen.size !== D || !permutation.every((p) => p >= 0 && p < D)) {
      throw new RangeError(
        `${what} as permutation must hold each of 0 … D − 1 once (1 ≤ D ≤ 4096): current value is ${
          show(permutation)
        }`,
      );
    }
    this.permutation = Object.freeze([...permutation]);
    this.#matrix = new Float32Array(D * D);
    permutation.forEach((j, i) => (this.#matrix[j * D + i] = 1));
  }

  #apply(what: string, name: string, t: unknown, transpose: boolean): tf.Tensor {
    checkPoint(what, name, t, 1);
    const D = this.permutation.length;
    if (t.shape[t.rank - 1] !== D) {
      throw new TypeError(
        `${what} as ${name} must end in the permutation's length ${D}: current shape is [${t.shape}]`,
      );
    }
    return tf.tidy(() =>
      tf.reshape(
        tf.matMul(tf.reshape(t, [-1, D]), tf.tensor2d(this.#matrix, [D, D]), false, transpose),
        t.shape,
      )
    );
  }

  /** y_i = x_{π(i)}. */
  forward(x: tf.Tensor): tf.Tensor {
    return this.#apply("Cannot compute Permute.forward", "x", x, false);
  }

  /** x_{π(i)} = y_i. */
  inverse(y: tf.Tensor): tf.Tensor {
    return this.#apply("Cannot compute Permute.inverse", "y", y, true);
  }

  #zero(what: string, name: string, t: tf.Tensor, eventRank: number): tf.Tensor {
    checkPoint(what, name, t, 1);
    checkEventRank(what, eventRank, 1, t.rank);
    return tf.tidy(() => sumEventAxes(tf.zeros(t.shape.slice(0, -1)), eventRank - 1));
  }

  /** 0, of the points' batch shape. */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    return this.#zero("Cannot compute Permute.forwardLogDetJacobian", "x", x, eventRank);
  }

  /** 0, of the points' batch shape. */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    return this.#zero("Cannot compute Permute.inverseLogDetJacobian", "y", y, eventRank);
  }

  /** `shape`, which must end in the permutation's length. */
  forwardEventShape(shape: number[]): number[] {
    return this.#shape("Cannot compute Permute.forwardEventShape", shape);
  }

  /** `shape`, which must end in the permutation's length. */
  inverseEventShape(shape: number[]): number[] {
    return this.#shape("Cannot compute Permute.inverseEventShape", shape);
  }

  #shape(what: string, shape: number[]): number[] {
    checkEventShape(what, shape, 1);
    if (shape[shape.length - 1] !== this.permutation.length) {
      throw new TypeError(
        `${what} as shape must end in the permutation's length ${this.permutation.length}: current value is [${shape}]`,
      );
    }
    return [...shape];
  }

  /** Frees nothing: the matrix is made on every call. */
  dispose(): void {}
}
