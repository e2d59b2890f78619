import { tf } from "../_tf.ts";
import { readOptions } from "../../math/_options.ts";
import { assertIntegerIn } from "../../math/_validate.ts";
import { createRng, deriveSeed } from "../../math/rng.ts";
import { LOG_SCALE_BOUND } from "./_made.ts";
import { checkSizes, takeView, VectorFlow } from "./vector_flow.ts";

/** Options of {@linkcode RealNVP}. */
export interface RealNVPOptions {
  /** The length D of a point, an integer in [2, 4096]. */
  eventSize: number;
  /** The widths of each coupling network's hidden layers (default [32, 32]). */
  hiddenSizes?: number[];
  /** The number of coupling layers, an integer in [1, 32] (default 4). */
  layers?: number;
  /** Seed of the initial weights, a safe integer (default 0). */
  seed?: number;
}

/** The shape shared by a RealNVP and its views. */
interface Layout {
  readonly eventSize: number;
  readonly layers: number;
  /** [in, out] of each dense layer of one coupling network. */
  readonly sizes: readonly [number, number][];
  /** Per layer, 1 where a coordinate passes unchanged (and conditions the rest). */
  readonly masks: readonly Float32Array[];
}

/**
 * Real NVP (Dinh et al. 2017): affine coupling layers with alternating
 * masks. Each layer keeps the coordinates its mask b marks and shifts and
 * scales the others by functions of them; the next layer swaps the roles:
 *
 * ```text
 * y = b ⊙ x + (1 − b) ⊙ (x · exp(s(b ⊙ x)) + t(b ⊙ x)),   s = 4 tanh(raw / 4)
 * log |det ∂y/∂x| = Σ (1 − b) ⊙ s(b ⊙ x)
 * ```
 *
 * with s and t from one tanh MLP per layer. Both directions take one pass of
 * each layer's network. The layers start as the identity (their output
 * weights are zero).
 *
 * @example
 * ```ts
 * import { RealNVP, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const flow = new RealNVP({ eventSize: 2, hiddenSizes: [8], layers: 2, seed: 1 });
 * const x = tf.randomNormal([4, 2]);
 * const y = flow.forward(x); // the identity at the start
 * assert.ok(tf.max(tf.abs(tf.sub(y, x))).dataSync()[0]! < 1e-6);
 * tf.dispose([x, y]);
 * flow.dispose();
 * ```
 */
export class RealNVP extends VectorFlow {
  /** "RealNVP". */
  readonly name: string = "RealNVP";
  readonly #layout: Layout;

  /**
   * Creates a {@linkcode RealNVP} with fresh variables.
   *
   * @param options `{ eventSize, hiddenSizes, layers, seed }`.
   * @throws {TypeError} If `options` is not a plain object or has another key.
   * @throws {RangeError} If `eventSize` is not an integer in [2, 4096] (a
   *   coupling needs two parts), `hiddenSizes` not 1 to 8 integers in
   *   [1, 4096], `layers` not an integer in [1, 32], or the seed not a safe integer.
   */
  constructor(options: RealNVPOptions) {
    const view = takeView<Layout>();
    if (view) {
      super(view.layout.eventSize, [], view.params);
      this.#layout = view.layout;
      return;
    }
    const what = "Cannot construct RealNVP";
    const o = readOptions(what, options, ["eventSize", "hiddenSizes", "layers", "seed"]);
    const D = o.get("eventSize");
    assertIntegerIn(what, "options.eventSize", D, 2, 4096, "a coupling splits a point in two");
    const hidden = checkSizes(what, "options.hiddenSizes", o.get("hiddenSizes") ?? [32, 32]);
    const layers = o.int("layers", { min: 1, max: 32, default: 4 });
    const seed = o.seed("seed", 0);
    const d = D as number, half = Math.ceil(d / 2);
    const widths = [d, ...hidden, 2 * d];
    const sizes = widths.slice(1).map((w, i) => [widths[i]!, w] as [number, number]);
    const masks = Array.from(
      { length: layers },
      (_, l) => Float32Array.from({ length: d }, (_, i) => ((i < half) === (l % 2 === 0) ? 1 : 0)),
    );
    const vars: tf.Variable[] = [];
    for (let l = 0; l < layers; l++) {
      const rng = createRng(deriveSeed(seed, l));
      sizes.forEach(([rows, cols], i) => {
        const last = i === sizes.length - 1, limit = Math.sqrt(6 / (rows + cols));
        const w = Float32Array.from(
          { length: rows * cols },
          () => (last ? 0 : (2 * rng.uniform() - 1) * limit),
        );
        vars.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [rows, cols]), true)));
        vars.push(tf.tidy(() => tf.variable(tf.zeros([cols]), true)));
      });
    }
    super(d, vars);
    this.#layout = { eventSize: d, layers, sizes, masks };
  }

  /** The same flow computed with `params` in place of its variables (see VectorFlow). */
  withParameters(params: readonly tf.Tensor[]): RealNVP {
    return this.view(this.#layout, params, () => new RealNVP({ eventSize: this.eventSize }));
  }

  /** Layer l's s and t at the kept coordinates `kept` = b ⊙ x, `[n, D]` each. */
  #coupling(l: number, kept: tf.Tensor2D): { s: tf.Tensor2D; t: tf.Tensor2D } {
    const { sizes, eventSize: D } = this.#layout, at = 2 * sizes.length * l;
    let h: tf.Tensor2D = kept;
    sizes.forEach((_, i) => {
      const a = tf.add(
        tf.matMul(h, this.params[at + 2 * i]! as tf.Tensor2D),
        this.params[at + 2 * i + 1]!,
      );
      h = (i < sizes.length - 1 ? tf.tanh(a) : a) as tf.Tensor2D;
    });
    const raw = tf.slice(h, [0, D], [-1, D]);
    return {
      t: tf.slice(h, [0, 0], [-1, D]) as tf.Tensor2D,
      s: tf.mul(LOG_SCALE_BOUND, tf.tanh(tf.div(raw, LOG_SCALE_BOUND))) as tf.Tensor2D,
    };
  }

  /** The layers in order, each keeping its masked coordinates and moving the rest. */
  protected forwardRows(x: tf.Tensor2D): { y: tf.Tensor2D; logDet: tf.Tensor1D } {
    return tf.tidy(() => {
      let y = x;
      let logDet = tf.zeros([x.shape[0]]) as tf.Tensor1D;
      for (let l = 0; l < this.#layout.layers; l++) {
        const b = tf.tensor1d(this.#layout.masks[l]!), free = tf.sub(1, b);
        const kept = tf.mul(y, b) as tf.Tensor2D;
        const { s, t } = this.#coupling(l, kept);
        const moved = tf.mul(free, tf.add(tf.mul(y, tf.exp(s)), t));
        y = tf.add(kept, moved) as tf.Tensor2D;
        logDet = tf.add(logDet, tf.sum(tf.mul(free, s), 1)) as tf.Tensor1D;
      }
      return { y, logDet };
    });
  }

  /** The layers in reverse order, each undoing its move of the unmasked coordinates. */
  protected inverseRows(y: tf.Tensor2D): { x: tf.Tensor2D; logDet: tf.Tensor1D } {
    return tf.tidy(() => {
      let x = y;
      let logDet = tf.zeros([y.shape[0]]) as tf.Tensor1D;
      for (let l = this.#layout.layers - 1; l >= 0; l--) {
        const b = tf.tensor1d(this.#layout.masks[l]!), free = tf.sub(1, b);
        const kept = tf.mul(x, b) as tf.Tensor2D;
        const { s, t } = this.#coupling(l, kept);
        const moved = tf.mul(free, tf.mul(tf.sub(x, t), tf.exp(tf.neg(s))));
        x = tf.add(kept, moved) as tf.Tensor2D;
        logDet = tf.sub(logDet, tf.sum(tf.mul(free, s), 1)) as tf.Tensor1D;
      }
      return { x, logDet };
    });
  }
}
