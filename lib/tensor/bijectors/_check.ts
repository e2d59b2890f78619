// Checks shared by the tensor bijectors. Only shapes and types are checked:
// values stay on the device (a point outside a bijector's range gives NaN,
// which TransformedDistribution turns into a log-density of −∞).
import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { assertTensor } from "../_validate.ts";
import { flatten, type TensorInput } from "../distributions/distribution.ts";

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
    !shape.every((s) => typeof s === "number" && Number.isSafeInteger(s) && s >= 1)
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

/**
 * Converts a bijector's parameter: a live tensor passes through (an integer
 * or boolean one is cast, and the copy is handed to `own`); numbers and
 * arrays are checked (finite; non-zero and normal in float32 if asked) and
 * become float32 tensors handed to `own`.
 */
export function toParam(
  what: string,
  name: string,
  value: TensorInput,
  rule: "finite" | "nonzero",
  own: (t: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new TypeError(`${what} as ${name} is a disposed tensor`);
    if (value.dtype === "float32") return value;
    if (value.dtype === "int32" || value.dtype === "bool") return own(tf.cast(value, "float32"));
    throw new TypeError(
      `${what} as ${name} must be a float32 tensor: current dtype is ${value.dtype}`,
    );
  }
  const { values, shape } = flatten(what, name, value);
  values.forEach((v, i) => {
    const at = shape.length ? `${name}[${i}]` : name;
    if (typeof v !== "number") {
      throw new TypeError(`${what} as ${at} must be a number: current value is ${show(v)}`);
    }
    if (!Number.isFinite(v)) {
      throw new RangeError(`${what} as ${at} must be finite: current value is ${show(v)}`);
    }
    if (rule === "nonzero" && !(Math.abs(Math.fround(v)) >= FLOAT32_MIN_NORMAL)) {
      throw new RangeError(
        `${what} as ${at} must be non-zero, with |${at}| ≥ ${FLOAT32_MIN_NORMAL} (the least normal float32, so that 1/${at} is finite): current value is ${
          show(v)
        }`,
      );
    }
  });
  return own(tf.tensor(values as number[], shape, "float32"));
}

/** The least positive normal float32, 2⁻¹²⁶. */
export const FLOAT32_MIN_NORMAL = 2 ** -126;
