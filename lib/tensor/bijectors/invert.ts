import type { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { assertNotDisposed } from "../_validate.ts";
import { checkEventRank, checkPoint } from "./_check.ts";
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
 * bijector stays the caller's: `dispose()` frees nothing of it. It must keep
 * a point's shape (`FillScaleTriL` and `SoftmaxCentered` do not).
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
   * @throws {TypeError} If `bijector` is not one, was disposed, or changes a point's shape.
   */
  constructor(bijector: TensorBijector) {
    const what = "Cannot construct Invert";
    if (!isTensorBijector(bijector)) {
      throw new TypeError(
        `${what} as bijector must be a tensor bijector: current value is ${show(bijector)}`,
      );
    }
    assertNotDisposed(what, "bijector", bijector);
    // Only a bijector that keeps a point's shape: the event ranks of the
    // log-Jacobians count x's axes, which inverting would make y's.
    const size = (bijector as { eventSize?: unknown }).eventSize;
    const probe = [typeof size === "number" ? size : 3];
    let shape: number[] | undefined;
    try {
      shape = bijector.forwardEventShape(probe);
    } catch { /* a bijector of other points: its own methods will say so */ }
    if (shape !== undefined && shape.join() !== probe.join()) {
      throw new TypeError(
        `${what} as bijector must keep a point's shape: ${bijector.name} maps [${probe}] to [${shape}]`,
      );
    }
    this.bijector = bijector;
    this.name = `Invert(${bijector.name})`;
    this.minEventRank = bijector.minEventRank;
  }

  /** The bijector's trainable variables (empty if it has none). */
  get trainableVariables(): tf.Variable[] {
    return (this.bijector as { trainableVariables?: tf.Variable[] }).trainableVariables ?? [];
  }

  /** Checks a point by this bijector's own names (the bijector's would swap x and y). */
  #point(method: string, name: string, t: unknown, eventRank?: unknown): void {
    const what = `Cannot compute ${this.name}.${method}`;
    checkPoint(what, name, t, this.minEventRank);
    if (eventRank !== undefined || method.endsWith("Jacobian")) {
      checkEventRank(what, eventRank, this.minEventRank, (t as tf.Tensor).rank);
    }
  }

  /** f⁻¹(x). */
  forward(x: tf.Tensor): tf.Tensor {
    this.#point("forward", "x", x);
    return this.bijector.inverse(x);
  }

  /** f(y). */
  inverse(y: tf.Tensor): tf.Tensor {
    this.#point("inverse", "y", y);
    return this.bijector.forward(y);
  }

  /** log |det ∂f⁻¹/∂y| at y = x. */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    this.#point("forwardLogDetJacobian", "x", x, eventRank);
    return this.bijector.inverseLogDetJacobian(x, eventRank);
  }

  /** log |det ∂f/∂x| at x = y. */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    this.#point("inverseLogDetJacobian", "y", y, eventRank);
    return this.bijector.forwardLogDetJacobian(y, eventRank);
  }

  /** f⁻¹(x) and its log-Jacobian, in one pass where the bijector has one. */
  forwardAndLogDet(x: tf.Tensor, eventRank: number): { y: tf.Tensor; logDet: tf.Tensor } {
    this.#point("forwardAndLogDet", "x", x, eventRank);
    const r = inverseAndLogDet(this.bijector, x, eventRank);
    return { y: r.x, logDet: r.logDet };
  }

  /** f(y) and its log-Jacobian, in one pass where the bijector has one. */
  inverseAndLogDet(y: tf.Tensor, eventRank: number): { x: tf.Tensor; logDet: tf.Tensor } {
    this.#point("inverseAndLogDet", "y", y, eventRank);
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
