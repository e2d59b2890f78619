// The options the autoencoder and the VAE share, checked in one place.
import type { OptionReader } from "../math/_options.ts";
import { intOf, type NumberSpec } from "../math/_ranges.ts";
import { show } from "../math/_validate.ts";
import { MAX_PARAMETERS } from "./_limits.ts";
import type { DenseGradient } from "../tensor/dense.ts";

/** More hidden layers than this is a mistake, not a network (each is a variable pair). */
const MAX_HIDDEN_LAYERS = 64;

/** The options of every network, with defaults filled in. */
export interface NetworkOptions {
  inputSize: number;
  hiddenSizes: number[];
  latentSize: number;
  learningRate: number;
  seed: number;
  denseGradient: DenseGradient;
}

/** The keys every network takes. */
export const NETWORK_OPTIONS = [
  "inputSize",
  "hiddenSizes",
  "latentSize",
  "learningRate",
  "seed",
  "denseGradient",
] as const;

/** One of {@linkcode NETWORK_OPTIONS}. */
export type NetworkOption = typeof NETWORK_OPTIONS[number];

/**
 * Finite and > 0, in float32 too: the models compute in float32, where a
 * learning rate of 1e-50 would be 0 (and nothing would learn) and a scale of
 * 1e39 would be ∞.
 */
export const POSITIVE_FLOAT32: NumberSpec = { min: 0, minExclusive: true, float32: true };

/**
 * Reads and checks the options every network shares; `hiddenSizes` defaults
 * to `defaultHidden`.
 */
export function networkOptions(
  o: OptionReader<NetworkOption>,
  defaultHidden: number[] = [400],
): NetworkOptions {
  const what = o.what, sizes = { min: 1, max: MAX_PARAMETERS, why: "at most 2²⁵ parameters" };
  const inputSize = o.int("inputSize", sizes);
  const hiddenSizes = o.has("hiddenSizes") ? o.get("hiddenSizes") : defaultHidden;
  const hidden = o.label("hiddenSizes");
  if (!Array.isArray(hiddenSizes)) {
    throw new TypeError(
      `${what} as ${hidden} must be an array of layer widths: current value is ${
        show(hiddenSizes)
      }`,
    );
  }
  if (hiddenSizes.length > MAX_HIDDEN_LAYERS) {
    throw new RangeError(
      `${what} as ${hidden} must have at most ${MAX_HIDDEN_LAYERS} layers: current length is ${hiddenSizes.length}`,
    );
  }
  // A loop, not map, which would skip the holes of a sparse array.
  const widths: number[] = [];
  for (let i = 0; i < hiddenSizes.length; i++) {
    widths.push(intOf(what, `${hidden}[${i}]`, hiddenSizes[i], sizes));
  }
  return {
    inputSize,
    hiddenSizes: widths,
    latentSize: o.int("latentSize", { ...sizes, default: 20 }),
    learningRate: o.number("learningRate", { ...POSITIVE_FLOAT32, default: 1e-3 }),
    seed: o.seed("seed", 0),
    denseGradient: o.choice("denseGradient", ["custom", "autodiff"] as const, "custom"),
  };
}

/**
 * Throws a RangeError if layers of these [in, out] sizes would hold more than
 * {@linkcode MAX_PARAMETERS} weights and biases.
 */
export function assertModelSize(what: string, layers: [number, number][]): void {
  const n = layers.reduce((s, [i, o]) => s + i * o + o, 0);
  if (n > MAX_PARAMETERS) {
    const sizes = layers.slice(0, 8).map(([i, o]) => `${i}→${o}`).join(", ");
    throw new RangeError(
      `${what} as inputSize, hiddenSizes and latentSize must give at most ${MAX_PARAMETERS} parameters (weights, Adam's moments and a gradient take 16 bytes each): current layers ${sizes}${
        layers.length > 8 ? ", …" : ""
      } give ${n}`,
    );
  }
}
