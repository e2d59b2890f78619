// The options the autoencoder and the VAE share, checked in one place.
import { assertPositive, show } from "../math/_validate.ts";
import { assertSeed } from "../math/rng.ts";
import { assertIntegerIn } from "../math/_validate.ts";
import { assertOptions } from "../tensor/_validate.ts";
import { MAX_PARAMETERS } from "./_limits.ts";
import type { DenseGradient } from "./_mlp.ts";

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

/**
 * Throws a TypeError unless `options` is an object whose keys are all in
 * `known` (a misspelt option would otherwise be ignored without a word).
 */
export function assertKnownKeys(
  what: string,
  name: string,
  options: unknown,
  known: readonly string[],
): asserts options is Record<string, unknown> {
  if (options === undefined) {
    throw new TypeError(`${what} as ${name} must be an object: current value is undefined`);
  }
  assertOptions(what, name, options);
  for (const key of Object.keys(options)) {
    if (!known.includes(key) && (options as Record<string, unknown>)[key] !== undefined) {
      throw new TypeError(
        `${what} as ${name}.${key} is not an option (choose from ${
          known.join(", ")
        }): current value is ${show((options as Record<string, unknown>)[key])}`,
      );
    }
  }
}

/**
 * Throws a RangeError unless `value` is finite and > 0, in float32 too: the
 * models compute in float32, where a learning rate of 1e-50 would be 0 (and
 * nothing would learn) and a scale of 1e39 would be ∞.
 */
export function assertFloat32Positive(
  what: string,
  name: string,
  value: unknown,
): asserts value is number {
  assertPositive(what, name, value);
  if (!(Math.fround(value) > 0) || !Number.isFinite(Math.fround(value))) {
    throw new RangeError(
      `${what} as ${name} must be representable in float32 (1.4e-45 to 3.4e38): current value is ${value}`,
    );
  }
}

/** Reads and checks the options every network shares. */
export function networkOptions(what: string, o: Record<string, unknown>): NetworkOptions {
  const inputSize = o.inputSize;
  assertIntegerIn(what, "inputSize", inputSize, 1, MAX_PARAMETERS);
  const hiddenSizes = o.hiddenSizes ?? [400];
  if (!Array.isArray(hiddenSizes)) {
    throw new TypeError(
      `${what} as hiddenSizes must be an array of layer widths: current value is ${
        show(hiddenSizes)
      }`,
    );
  }
  if (hiddenSizes.length > MAX_HIDDEN_LAYERS) {
    throw new RangeError(
      `${what} as hiddenSizes must have at most ${MAX_HIDDEN_LAYERS} layers: current length is ${hiddenSizes.length}`,
    );
  }
  // A loop, not forEach, which would skip the holes of a sparse array.
  for (let i = 0; i < hiddenSizes.length; i++) {
    assertIntegerIn(what, `hiddenSizes[${i}]`, hiddenSizes[i], 1, MAX_PARAMETERS);
  }
  const latentSize = o.latentSize ?? 20;
  assertIntegerIn(what, "latentSize", latentSize, 1, MAX_PARAMETERS);
  const learningRate = o.learningRate ?? 1e-3;
  assertFloat32Positive(what, "learningRate", learningRate);
  const seed = o.seed ?? 0;
  assertSeed(what, "seed", seed);
  const denseGradient = o.denseGradient ?? "custom";
  if (denseGradient !== "custom" && denseGradient !== "autodiff") {
    throw new TypeError(
      `${what} as denseGradient must be "custom" or "autodiff": current value is ${
        show(denseGradient)
      }`,
    );
  }
  return {
    inputSize,
    hiddenSizes: [...hiddenSizes],
    latentSize,
    learningRate,
    seed,
    denseGradient,
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
