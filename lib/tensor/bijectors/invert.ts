import type { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { assertNotDisposed } from "../_validate.ts";
import {
  forwardAndLogDet,
  inverseAndLogDet,
  isTensorBijector,
  type TensorBijector,
} from "./bijector.ts";

/**
 * The inverse of a bijector: forward and inverse swapped, and with them the
 * log-Jacobians (TFP's `tfb.Invert`). `new Invert(new
 * MaskedAutoregressiveFlow(…))` is an inverse autoregressive flow (Kingma
 * et al. 2016): one network pass to sample.
 *
 * ```text
 * Invert(f)(x) = f⁻¹(x),   log |det ∂Invert(f)/∂x| = log |det ∂f⁻¹/∂y| at y = x
 * ```
 *
 * Its `trainableVariables` are the bijector's (none if it has none). The
 * bijector stays the caller's: `dispose()` frees nothing of it.
 *
 * @example
 * ```ts
 * import { Exp, Invert, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const log = new Invert(new Exp());
 * const y = log.forward(tf.scalar(Math.E));
 * assert.ok(Math.abs(y.dataSync()[0]! - 1) < 1e-6);
 * y.dispose();
 * ```
 */
export class Invert implements TensorBijector {
  /** "Invert(…)", with the bijector's name. */
  readonly name: string;
  /** The bijector inverted. */
  readonly bijector: TensorBijector;
  /** The bijector's minEventRank. */
  readonly minEventRank: number;

  /**
   * Creates an {@linkcode Invert}.
   *
   * @param bijector A live tensor bijector.
   * @throws {TypeError} If `bijector` is not one, or was disposed.
   */
  constructor(bijector: TensorBijector) {
    const what = "Cannot construct Invert";
    if (!isTensorBijector(bijector)) {
      throw new TypeError(
        `${what} as bijector must be a tensor bijector: current value is ${show(bijector)}`,
      );
    }
    assertNotDisposed(what, "bijector", bijector);
    this.bijector = bijector;
    this.name = `Invert(${bijector.name})`;
    this.minEventRank = bijector.minEventRank;
  }

  /** The bijector's trainable variables (empty if it has none). */
  get trainableVariables(): tf.Variable[] {
    return (this.bijector as { trainableVariables?: tf.Variable[] }).trainableVariables ?? [];
  }

  /** f⁻¹(x). */
  forward(x: tf.Tensor): tf.Tensor {
    return this.bijector.inverse(x);
  }

  /** f(y). */
  inverse(y: tf.Tensor): tf.Tensor {
    return this.bijector.forward(y);
  }

  /** log |det ∂f⁻¹/∂y| at y = x. */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    return this.bijector.inverseLogDetJacobian(x, eventRank);
  }

  /** log |det ∂f/∂x| at x = y. */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    return this.bijector.forwardLogDetJacobian(y, eventRank);
  }

  /** f⁻¹(x) and its log-Jacobian, in one pass where the bijector has one. */
  forwardAndLogDet(x: tf.Tensor, eventRank: number): { y: tf.Tensor; logDet: tf.Tensor } {
    const r = inverseAndLogDet(this.bijector, x, eventRank);
    return { y: r.x, logDet: r.logDet };
  }

  /** f(y) and its log-Jacobian, in one pass where the bijector has one. */
  inverseAndLogDet(y: tf.Tensor, eventRank: number): { x: tf.Tensor; logDet: tf.Tensor } {
    const r = forwardAndLogDet(this.bijector, y, eventRank);
    return { x: r.y, logDet: r.logDet };
  }

  /** The bijector's inverseEventShape. */
  forwardEventShape(shape: number[]): number[] {
    return this.bijector.inverseEventShape(shape);
  }

  /** The bijector's forwardEventShape. */
  inverseEventShape(shape: number[]): number[] {
    return this.bijector.forwardEventShape(shape);
  }

  /** Frees nothing: the bijector stays the caller's. */
  dispose(): void {}
}
