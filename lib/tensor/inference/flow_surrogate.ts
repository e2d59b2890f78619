import { tf } from "../_tf.ts";
import { readOptions } from "../../math/_options.ts";
import { assertIntegerIn } from "../../math/_validate.ts";
import { deriveSeed } from "../../math/rng.ts";
import type { TensorBijector } from "../bijectors/bijector.ts";
import { Chain } from "../bijectors/chain.ts";
import { Invert } from "../bijectors/invert.ts";
import { Permute } from "../bijectors/permute.ts";
import { DiagNormal } from "../distributions/diag_normal.ts";
import { TransformedDistribution } from "../distributions/transformed.ts";
import { MaskedAutoregressiveFlow } from "../flows/masked_autoregressive.ts";
import { RealNVP } from "../flows/real_nvp.ts";
import { checkSizes, type VectorFlow } from "../flows/vector_flow.ts";
import { TrainableSurrogate } from "./surrogate.ts";
import { baseSize } from "./surrogates.ts";

/** The flows {@linkcode flowSurrogate} builds. */
export const SURROGATE_FLOWS: readonly ["iaf", "realnvp"] = Object.freeze(
  ["iaf", "realnvp"] as const,
);

/** Options of {@linkcode flowSurrogate}. */
export interface FlowSurrogateOptions {
  /** `"iaf"` (inverse autoregressive, the default) or `"realnvp"` (affine coupling). */
  flow?: typeof SURROGATE_FLOWS[number];
  /** Flow layers, an integer in [1, 32] (default 4). */
  layers?: number;
  /** Hidden widths of each layer's network (default [32, 32]). */
  hiddenSizes?: number[];
  /** Where the latent lives: the flow's output is pushed through this bijector (default none). */
  bijector?: TensorBijector;
  /** Seed of the initial weights, a safe integer (default 0). */
  seed?: number;
}

/**
 * A trainable normalizing-flow surrogate for {@linkcode fitSurrogatePosterior}:
 * a standard normal pushed through trainable flow layers, which can bend,
 * skew and correlate where a Gaussian cannot:
 *
 * ```text
 * "iaf":      q = T_# (F_L ∘ P ∘ F_{L−1} ∘ … ∘ P ∘ F_1)_# N(0, I),  F = Invert(MaskedAutoregressiveFlow)
 *             (P reverses the coordinates between layers; Kingma et al. 2016)
 * "realnvp":  q = T_# RealNVP(layers)_# N(0, I)   (Dinh et al. 2017)
 * ```
 *
 * T is the optional `bijector`. The layers start as the identity, so q
 * starts as N(0, I). A draw takes one pass of each layer's network; the
 * log-density of a point takes one pass of a RealNVP layer, and D passes of
 * an IAF layer (its inverse is sequential). Its `trainableVariables` are every layer's, in
 * order: `"stl"` and `"dreg"` stop the gradient through all of them.
 *
 * @param eventSize The number of latents (with a bijector, of its output), in [1, 4096];
 *   `"realnvp"` needs at least 2.
 * @param options `{ flow, layers, hiddenSizes, bijector, seed }`.
 * @returns The surrogate; `dispose()` frees every layer's variables.
 * @throws {TypeError} If `options` or the bijector is not one, or the
 *   bijector does not map vectors of `eventSize` to vectors.
 * @throws {RangeError} If a size is out of range.
 *
 * @example A flow bends to a banana-shaped posterior
 * ```ts
 * import { fitSurrogatePosterior, flowSurrogate, Normal, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const banana = (z: tf.Tensor) =>
 *   tf.tidy(() => {
 *     const [a, b] = tf.split(z, 2, 1).map((t) => tf.squeeze(t, [1]));
 *     return tf.add(new Normal(0, 1.5).logProb(a!), new Normal(tf.sub(tf.mul(0.5, tf.square(a!)), 1), 0.5).logProb(b!));
 *   });
 * const q = flowSurrogate(2, { flow: "iaf", layers: 2, hiddenSizes: [16], seed: 1 });
 * const { losses } = await fitSurrogatePosterior(banana, q, { steps: 100, samples: 16, learningRate: 0.01 });
 * assert.ok(losses.at(-1)! < losses[0]!);
 * q.dispose();
 * ```
 */
export function flowSurrogate(
  eventSize: number,
  options: FlowSurrogateOptions = {},
): TrainableSurrogate {
  const what = "Cannot build flowSurrogate";
  assertIntegerIn(what, "eventSize", eventSize, 1, 4096, "a surrogate of at most 4096 latents");
  const o = readOptions(what, options, ["flow", "layers", "hiddenSizes", "bijector", "seed"]);
  const flow = o.choice("flow", SURROGATE_FLOWS, "iaf");
  const layers = o.int("layers", { min: 1, max: 32, default: 4 });
  const hiddenSizes = [
    ...checkSizes(what, "options.hiddenSizes", o.get("hiddenSizes") ?? [32, 32]),
  ];
  const seed = o.seed("seed", 0);
  const bijector = o.get("bijector") as TensorBijector | undefined;
  const d = bijector === undefined
    ? eventSize
    : baseSize(what, "options.bijector", bijector, eventSize);
  if (flow === "realnvp" && d < 2) {
    throw new RangeError(`${what} as a "realnvp" flow needs at least 2 latents: eventSize is ${d}`);
  }
  // The template layers own the variables; every build uses views of them.
  const templates: VectorFlow[] = [];
  try {
    if (flow === "iaf") {
      for (let l = 0; l < layers; l++) {
        templates.push(
          new MaskedAutoregressiveFlow({ eventSize: d, hiddenSizes, seed: deriveSeed(seed, l) }),
        );
      }
    } else templates.push(new RealNVP({ eventSize: d, hiddenSizes, layers, seed }));
  } catch (e) {
    templates.forEach((t) => t.dispose());
    throw e;
  }
  const counts = templates.map((t) => t.trainableVariables.length);
  const reverse = new Permute(Array.from({ length: d }, (_, i) => d - 1 - i));
  const build = (params: tf.Tensor[]) => {
    let at = 0;
    const views = templates.map((t, i) => t.withParameters(params.slice(at, at += counts[i]!)));
    // Outermost first: the last layer applied last.
    const steps: TensorBijector[] = [];
    views.forEach((v, i) => {
      if (i > 0 && flow === "iaf") steps.unshift(reverse);
      steps.unshift(flow === "iaf" ? new Invert(v) : v);
    });
    if (bijector) steps.unshift(bijector);
    const base = new DiagNormal(tf.zeros([d]), tf.ones([d]));
    return new TransformedDistribution(base, new Chain(steps));
  };
  try {
    return new TrainableSurrogate(templates.flatMap((t) => t.trainableVariables), build);
  } catch (e) {
    templates.forEach((t) => t.dispose());
    throw e;
  }
}
