import { tf } from "../_tf.ts";
import { readOptions } from "../../math/_options.ts";
import { assertIntegerIn } from "../../math/_validate.ts";
import {
  contextRows,
  madeApply,
  type MadeLayout,
  madeLayout,
  madeMasked,
  madeVariables,
  type MadeView,
} from "./_made.ts";
import { checkSizes, takeView, VectorFlow } from "./vector_flow.ts";

/** Options of {@linkcode MaskedAutoregressiveFlow}. */
export interface MaskedAutoregressiveFlowOptions {
  /** The length D of a point, an integer in [1, 4096]. */
  eventSize: number;
  /** The widths of MADE's hidden layers (default [32, 32]). */
  hiddenSizes?: number[];
  /** Seed of the initial weights, a safe integer (default 0). */
  seed?: number;
}

/**
 * A masked autoregressive flow (Papamakarios et al. 2017): each coordinate
 * shifted and scaled by functions of the coordinates before it, computed by
 * one MADE network (Germain et al. 2015):
 *
 * ```text
 * y_d = x_d · exp(s_d(y_<d)) + μ_d(y_<d),   s = 4 tanh(raw / 4) ∈ (−4, 4)
 * log |det ∂y/∂x| = Σ_d s_d(y_<d)
 * ```
 *
 * The inverse, x = (y − μ(y)) · exp(−s(y)), is one pass of the network; the
 * forward map takes D passes, one per coordinate. `new Invert(maf)` is an
 * inverse autoregressive flow (Kingma et al. 2016), whose forward map — what
 * sampling needs — is the one pass. The output layer starts at zero: the
 * flow starts as the identity. The log-scale is bounded, so no step can
 * overflow, and tanh keeps its gradient everywhere (a clip would not).
 *
 * @example An inverse autoregressive flow, and its round trip
 * ```ts
 * import { Invert, MaskedAutoregressiveFlow, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const maf = new MaskedAutoregressiveFlow({ eventSize: 3, hiddenSizes: [8], seed: 1 });
 * const iaf = new Invert(maf);
 * const x = tf.randomNormal([5, 3]);
 * const back = iaf.inverse(iaf.forward(x));
 * assert.ok(tf.max(tf.abs(tf.sub(back, x))).dataSync()[0]! < 1e-5);
 * assert.equal(maf.trainableVariables.length, 4);
 * tf.dispose([x, back]);
 * maf.dispose();
 * ```
 */
export class MaskedAutoregressiveFlow extends VectorFlow {
  /** "MaskedAutoregressiveFlow". */
  readonly name: string = "MaskedAutoregressiveFlow";
  readonly #layout: MadeLayout;
  /** The rows of the context of a conditioned view (made by the models), if any. */
  readonly #context?: tf.Tensor2D;

  /**
   * Creates a {@linkcode MaskedAutoregressiveFlow} with fresh variables.
   *
   * @param options `{ eventSize, hiddenSizes, seed }`.
   * @throws {TypeError} If `options` is not a plain object or has another key.
   * @throws {RangeError} If `eventSize` is not an integer in [1, 4096],
   *   `hiddenSizes` not 1 to 8 integers in [1, 4096], or the seed not a safe integer.
   */
  constructor(options: MaskedAutoregressiveFlowOptions) {
    const view = takeView<MadeView>();
    if (view) {
      super(view.layout.layout.eventSize, [], view.params);
      this.#layout = view.layout.layout;
      this.#context = view.layout.context;
      return;
    }
    const what = "Cannot construct MaskedAutoregressiveFlow";
    const o = readOptions(what, options, ["eventSize", "hiddenSizes", "seed"]);
    const eventSize = o.get("eventSize");
    assertIntegerIn(
      what,
      "options.eventSize",
      eventSize,
      1,
      4096,
      "a flow of at most 4096 coordinates",
    );
    const hidden = checkSizes(what, "options.hiddenSizes", o.get("hiddenSizes") ?? [32, 32]);
    const seed = o.seed("seed", 0);
    const layout = madeLayout(eventSize as number, hidden);
    super(eventSize as number, madeVariables(layout, seed));
    this.#layout = layout;
  }

  /** The same flow computed with `params` in place of its variables (see VectorFlow). */
  withParameters(params: readonly tf.Tensor[]): MaskedAutoregressiveFlow {
    const view: MadeView = { layout: this.#layout, context: this.#context };
    return this.view(
      view,
      params,
      () => new MaskedAutoregressiveFlow({ eventSize: this.eventSize }),
    );
  }

  /** D passes: after pass d, coordinates < d + 1 of y are final. */
  protected forwardRows(x: tf.Tensor2D): { y: tf.Tensor2D; logDet: tf.Tensor1D } {
    return tf.tidy(() => {
      // The last pass's parameters are functions of coordinates already final.
      const masked = madeMasked(this.#layout, this.params);
      const context = contextRows(this.name, this.#context, x.shape[0]);
      let y = tf.zerosLike(x) as tf.Tensor2D, s = y;
      for (let d = 0; d < this.eventSize; d++) {
        const { shift, logScale } = madeApply(this.#layout, masked, y, context);
        y = tf.add(tf.mul(x, tf.exp(logScale)), shift) as tf.Tensor2D;
        s = logScale;
      }
      return { y, logDet: tf.sum(s, 1) as tf.Tensor1D };
    });
  }

  /** One pass: the parameters are functions of y. */
  protected inverseRows(y: tf.Tensor2D): { x: tf.Tensor2D; logDet: tf.Tensor1D } {
    return tf.tidy(() => {
      const context = contextRows(this.name, this.#context, y.shape[0]);
      const masked = madeMasked(this.#layout, this.params);
      const { shift, logScale } = madeApply(this.#layout, masked, y, context);
      const x = tf.mul(tf.sub(y, shift), tf.exp(tf.neg(logScale))) as tf.Tensor2D;
      return { x, logDet: tf.neg(tf.sum(logScale, 1)) as tf.Tensor1D };
    });
  }
}
