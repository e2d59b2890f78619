// Parameter and point conversion for the tensor distributions and bijectors:
// numbers and arrays checked and made float32 tensors, tensors checked and
// cast, shapes broadcast, with errors that name the argument and its value.
import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { FLOAT32_MAX } from "../../math/_constants.ts";
import type { ParamRule, TensorInput } from "./distribution.ts";

/** The least positive normal float32, 2⁻¹²⁶. */
export const FLOAT32_MIN_NORMAL = 2 ** -126;

/**
 * A range of log σ whose σ = exp(log σ) is a positive normal float32, within
 * [log 2⁻¹²⁶, log FLOAT32_MAX] = [−87.337, 88.723] by a float32 rounding.
 */
const LOG_SCALE_RANGE = [-87.33, 88.72] as const;

/**
 * A point given as a tensor: live, and float32 (an integer or boolean one is
 * cast; the copy is freed by the `tf.tidy` of the method).
 */
function pointTensor(what: string, x: tf.Tensor): tf.Tensor {
  if (x.isDisposed) {
    throw new TypeError(`${what} expects x to be a live tensor: current value is disposed`);
  }
  if (x.dtype === "float32") return x;
  if (x.dtype === "int32" || x.dtype === "bool") return tf.cast(x, "float32");
  throw new TypeError(`${what} expects x to be a float32 tensor: current dtype is ${x.dtype}`);
}

/**
 * Converts a point of a distribution with the given batch and event shapes,
 * and checks that its trailing dimensions broadcast against
 * `[...batchShape, ...eventShape]`, its event dimensions equal (the
 * base class's `point`).
 */
export function toPoint(
  what: string,
  x: TensorInput,
  batchShape: number[],
  eventShape: number[],
): tf.Tensor {
  const t = x instanceof tf.Tensor ? pointTensor(`${what}.logProb`, x) : tf.tensor(
    ...(() => {
      const f = flatten(`${what}.logProb`, "x", x);
      f.values.forEach((v, i) => {
        if (typeof v !== "number" || Number.isNaN(v)) {
          throw new TypeError(
            `${what}.logProb expects x to hold numbers: x[${i}] is ${show(v)}`,
          );
        }
      });
      return [f.values as number[], f.shape, "float32"] as const;
    })(),
  );
  const event = eventShape, e = event.length;
  const tail = t.shape.slice(t.rank - e);
  if (t.rank < e || tail.some((s, i) => s !== event[i])) {
    throw new TypeError(
      `${what}.logProb expects x with event shape [${event}] in its last ${e} dimension(s): current shape is [${t.shape}]`,
    );
  }
  try {
    tf.backend_util.assertAndGetBroadcastShape(
      t.shape.slice(0, t.rank - e),
      batchShape,
    );
  } catch {
    throw new TypeError(
      `${what}.logProb expects x whose batch dimensions broadcast with batch shape [${batchShape}]: current shape is [${t.shape}]`,
    );
  }
  return t;
}

/**
 * Converts a parameter of a tensor distribution or bijector: a live tensor
 * passes through (an integer or boolean one is cast, and the copy handed to
 * `own`); numbers and arrays are checked — finite, and > 0, in [0, 1],
 * non-zero and normal in float32, or a log σ whose exp is a positive normal
 * float32, as `rule` asks — and become float32 tensors handed to `own`.
 */
export function toParam(
  what: string,
  name: string,
  value: TensorInput,
  rule: ParamRule,
  own: (t: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) {
      throw new TypeError(`${what} as ${name} is a disposed tensor`);
    }
    if (value.dtype === "float32") return value;
    if (value.dtype === "int32" || value.dtype === "bool") {
      return own(tf.cast(value, "float32"));
    }
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
    if (!Number.isFinite(Math.fround(v))) {
      throw new RangeError(
        `${what} as ${at} must be representable in float32, |${at}| ≤ ${FLOAT32_MAX}: current value is ${
          show(v)
        }`,
      );
    }
    if (rule === "positive" && !(v >= FLOAT32_MIN_NORMAL)) {
      throw new RangeError(
        `${what} as ${at} must be > 0, and at least ${FLOAT32_MIN_NORMAL} (the least normal float32, below which wasm and GPUs flush to 0): current value is ${
          show(v)
        }`,
      );
    }
    if (rule === "probability" && !(v >= 0 && v <= 1)) {
      throw new RangeError(`${what} as ${at} must be in [0, 1]: current value is ${show(v)}`);
    }
    if (rule === "logScale" && !(v >= LOG_SCALE_RANGE[0] && v <= LOG_SCALE_RANGE[1])) {
      throw new RangeError(
        `${what} as ${at} must be in [${LOG_SCALE_RANGE[0]}, ${
          LOG_SCALE_RANGE[1]
        }] so that exp(${at}) is a positive normal float32: current value is ${show(v)}`,
      );
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

// A factory's log σ on its way to the constructor (see withLogScale).
let presetLogScale: { value: TensorInput } | undefined;

/**
 * Builds a location–scale distribution from log σ: `build` constructs it, and
 * its constructor's `scaleParams` takes log σ as given instead of its scale
 * argument, so log σ is never recomputed as log(exp(log σ)).
 */
export function withLogScale<T>(logScale: TensorInput, build: () => T): T {
  presetLogScale = { value: logScale };
  try {
    return build();
  } finally {
    presetLogScale = undefined;
  }
}

/** The log σ that {@linkcode withLogScale} is passing on, taken (so that it is used once), if any. */
export function takePresetLogScale(): { value: TensorInput } | undefined {
  const preset = presetLogScale;
  presetLogScale = undefined;
  return preset;
}

/** Flattens a number or (nested) array, checking that it is not ragged. */
export function flatten(
  what: string,
  name: string,
  value: unknown,
): { values: unknown[]; shape: number[] } {
  if (typeof value === "number") return { values: [value], shape: [] };
  const isList = (v: unknown): v is ArrayLike<unknown> =>
    v !== null && typeof v === "object" && typeof (v as ArrayLike<unknown>).length === "number";
  if (!isList(value)) {
    throw new TypeError(
      `${what} as ${name} must be a tensor, a number or an array of numbers: current value is ${
        show(value)
      }`,
    );
  }
  const shape: number[] = [];
  for (let v: unknown = value; isList(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  if (shape.includes(0)) {
    throw new TypeError(`${what} as ${name} must not be empty: current value is ${show(value)}`);
  }
  const values: unknown[] = [];
  const walk = (v: unknown, depth: number, path: string) => {
    if (depth === shape.length) {
      if (isList(v)) {
        throw new TypeError(`${what} as ${name} is ragged: ${path} is an array, expected a number`);
      }
      values.push(v);
      return;
    }
    if (!isList(v) || v.length !== shape[depth]) {
      throw new TypeError(
        `${what} as ${name} is ragged: ${path} should hold ${
          shape[depth]
        } entries, current value is ${show(v)}`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, name);
  return { values, shape };
}

/** The broadcast of two shapes, or a TypeError naming both parameters. */
export function broadcastShapes(what: string, names: string, a: number[], b: number[]): number[] {
  try {
    return tf.backend_util.assertAndGetBroadcastShape(a, b);
  } catch {
    throw new TypeError(
      `${what} as ${names} must have broadcastable shapes: current shapes are [${a}] and [${b}]`,
    );
  }
}

/**
 * A parameter of one value per batch member (a relaxed family's temperature)
 * with a trailing axis, so that it broadcasts against `[...batch, D]`.
 */
export function overEvent(t: tf.Tensor): tf.Tensor {
  return t.rank === 0 ? t : tf.expandDims(t, -1);
}
