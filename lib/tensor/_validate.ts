// Argument checks of the tensor and model layers. Messages follow the core's
// (lib/math/_validate.ts): they name the function, the argument and its value,
// "VAE.encode as x must have 784 columns: current shape is [2,3]". Shapes and
// types get a TypeError, numbers out of range a RangeError. Only shapes and
// types of tensors are checked: their values stay on the device.
import { tf } from "./_tf.ts";
import { show } from "../math/_validate.ts";

/** Formats a value for a message; tensors as `Tensor[2,3] float32`. */
export function describe(value: unknown): string {
  if (value instanceof tf.Tensor) {
    return `Tensor[${value.shape}] ${value.dtype}${value.isDisposed ? " (disposed)" : ""}`;
  }
  return show(value);
}

/**
 * Throws a TypeError unless `value` is a live float32 tensor (of the given
 * rank, when one is given).
 */
export function assertTensor(
  what: string,
  name: string,
  value: unknown,
  rank?: number,
): asserts value is tf.Tensor {
  if (!(value instanceof tf.Tensor)) {
    throw new TypeError(`${what} as ${name} must be a tf.Tensor: current value is ${show(value)}`);
  }
  if (value.isDisposed) {
    throw new TypeError(`${what} as ${name} must not be disposed: current value is disposed`);
  }
  if (value.dtype !== "float32") {
    throw new TypeError(
      `${what} as ${name} must be a float32 tensor: current dtype is ${value.dtype}`,
    );
  }
  if (rank !== undefined && value.rank !== rank) {
    throw new TypeError(
      `${what} as ${name} must have rank ${rank}: current shape is [${value.shape}]`,
    );
  }
}

/**
 * Checks that each named value is a float32 tensor, that their shapes
 * broadcast together, and that the result has rank ≥ `minRank`; returns the
 * broadcast shape.
 */
export function assertBroadcastable(
  what: string,
  named: Record<string, unknown>,
  minRank = 1,
): number[] {
  let shape: number[] = [];
  let names = "";
  for (const [name, value] of Object.entries(named)) {
    assertTensor(what, name, value);
    const s = value.shape, n = Math.max(shape.length, s.length);
    const out = new Array<number>(n);
    for (let i = 1; i <= n; i++) {
      const a = shape[shape.length - i] ?? 1, b = s[s.length - i] ?? 1;
      if (a !== b && a !== 1 && b !== 1) {
        throw new TypeError(
          `${what} as ${name} must broadcast with ${names}: shapes [${s}] and [${shape}] do not`,
        );
      }
      out[n - i] = a === 1 ? b : a;
    }
    shape = out;
    names = names ? `${names}, ${name}` : name;
  }
  if (shape.length < minRank) {
    throw new TypeError(
      `${what} as ${names} must broadcast to rank ≥ ${minRank}: current shape is [${shape}]`,
    );
  }
  return shape;
}

/**
 * Checks that `data` is a Float32Array of whole, finite rows of `width`
 * values (each in `range`, when one is given) and returns the number of
 * rows. A bad value gets a RangeError naming its row and column.
 */
export function assertRows(
  what: string,
  name: string,
  data: unknown,
  width: number,
  range?: { min: number; max: number; why: string },
): number {
  if (!(data instanceof Float32Array)) {
    throw new TypeError(
      `${what} as ${name} must be a Float32Array of rows of ${width} values: current value is ${
        show(data)
      }`,
    );
  }
  if (data.length === 0 || data.length % width !== 0) {
    throw new TypeError(
      `${what} as ${name} must hold whole rows of ${width} values: current length is ${data.length}`,
    );
  }
  const bad = firstBadValue(data, range);
  if (bad >= 0) {
    throw new RangeError(
      `${what} as ${name} must be ${
        range ? `in [${range.min}, ${range.max}] (${range.why})` : "finite"
      }: row ${Math.floor(bad / width)}, column ${bad % width} is ${data[bad]}`,
    );
  }
  return data.length / width;
}

/** The index of the first value that is not finite (or not in `range`), or −1. */
export function firstBadValue(data: Float32Array, range?: { min: number; max: number }): number {
  const lo = range?.min ?? -Infinity, hi = range?.max ?? Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!(v >= lo && v <= hi) || !Number.isFinite(v)) return i;
  }
  return -1;
}

/**
 * The most float32 values drawn at once: a distribution's `sample(n)`
 * (n × batch size × event size), a step's draws (samples × k × event size)
 * in `fitSurrogatePosterior`, one bound's (k × event size) in
 * `importanceWeightedBound`. 2²⁶ values are 256 MiB, and a step holds a few
 * tensors of that size; past it a mistake would grow until the process is
 * killed, so it is refused before any tensor is made.
 */
export const MAX_VALUES_AT_ONCE = 2 ** 26;

/**
 * Throws a RangeError unless the product of `factors` (named sizes) is at
 * most {@linkcode MAX_VALUES_AT_ONCE}, naming each size and the product.
 */
export function assertValuesAtOnce(
  what: string,
  factors: [name: string, size: number][],
  per: string,
): void {
  const total = factors.reduce((p, [, v]) => p * v, 1);
  if (total > MAX_VALUES_AT_ONCE) {
    throw new RangeError(
      `${what} as ${
        factors.map(([n]) => n).join(" × ")
      } must be at most ${MAX_VALUES_AT_ONCE} (2²⁶) values ${per}: current ${
        factors.length === 1 ? "value is" : `values are ${factors.map(([, v]) => v).join(" × ")} =`
      } ${total}`,
    );
  }
}

/** What still works after dispose(): disposing again, asking, a failing constructor's cleanup. */
const KEPT_AFTER_DISPOSE = ["constructor", "dispose", "isDisposed", "abandon"];

/**
 * Throws a TypeError if `value` (a distribution or bijector handed to a
 * constructor or function) has been disposed: its tensors are freed, and
 * using it later would fail far from the cause.
 */
export function assertNotDisposed(what: string, name: string, value: unknown): void {
  const v = value as { isDisposed?: unknown; constructor?: { name?: unknown } } | null;
  if (v !== null && typeof v === "object" && v.isDisposed === true) {
    const cls = String(v.constructor?.name);
    throw new TypeError(
      `${what} as ${name} (${
        /^[AEIOU]/.test(cls) ? "an" : "a"
      } ${cls}) was disposed: its tensors are freed`,
    );
  }
}

/**
 * Marks a tensor object (a distribution, a bijector) as disposed: from now
 * on every method and getter it has from its classes throws a TypeError
 * that says it was disposed, instead of tfjs's "Cannot read properties of
 * undefined (reading 'backend')" from its freed tensors.
 *
 * @param obj The object being disposed.
 * @param name Its class's name, for the message.
 */
export function markDisposed(obj: object, name: string): void {
  const gone = (member: string) => () => {
    throw new TypeError(`${name}.${member} was used after dispose(): make a new ${name}`);
  };
  for (
    let p = Object.getPrototypeOf(obj);
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (KEPT_AFTER_DISPOSE.includes(key) || Object.hasOwn(obj, key)) continue;
      const d = Object.getOwnPropertyDescriptor(p, key)!;
      if (typeof d.value === "function") Object.defineProperty(obj, key, { value: gone(key) });
      else if (d.get) Object.defineProperty(obj, key, { get: gone(key) });
    }
  }
}
