// Checks shared by the tensor bijectors. Only shapes and types are checked:
// values stay on the device (a point outside a bijector's range gives NaN,
// which TransformedDistribution turns into a log-density of −∞).
import type { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { assertTensor } from "../_validate.ts";

/** Throws a TypeError unless `x` is a live float32 tensor of rank ≥ `minRank`. */
export function checkPoint(
  what: string,
  name: string,
  x: unknown,
  minRank = 0,
): asserts x is tf.Tensor {
  assertTensor(what, name, x);
  if (x.rank < minRank) {
    throw new TypeError(
      `${what} as ${name} must have rank ≥ ${minRank}: current shape is [${x.shape}]`,
    );
  }
}

/**
 * Throws a TypeError unless `eventRank` is an integer in [min, max], max
 * being the rank of the point it is about.
 */
export function checkEventRank(what: string, eventRank: unknown, min: number, max: number): void {
  if (
    typeof eventRank !== "number" || !Number.isInteger(eventRank) || eventRank < min ||
    eventRank > max
  ) {
    throw new TypeError(
      `${what} as eventRank must be an integer in [${min}, ${max}] (at least the bijector's minEventRank, at most the rank of the point): current value is ${
        show(eventRank)
      }`,
    );
  }
}

/**
 * Throws a TypeError unless `shape` is an array of integers ≥ 1 with at
 * least `minLength` entries.
 */
export function checkEventShape(
  what: string,
  shape: unknown,
  minLength = 0,
): asserts shape is number[] {
  if (
    !Array.isArray(shape) ||
    // (Array.from: a hole in a sparse array is undefined, where every() would skip it.)
    !Array.from(shape).every((s) => typeof s === "number" && Number.isSafeInteger(s) && s >= 1)
  ) {
    throw new TypeError(
      `${what} as shape must be an array of integers ≥ 1: current value is ${show(shape)}`,
    );
  }
  if (shape.length < minLength) {
    throw new TypeError(
      `${what} as shape must have at least ${minLength} entr${
        minLength === 1 ? "y" : "ies"
      }: current value is [${shape}]`,
    );
  }
}
