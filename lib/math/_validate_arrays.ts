// Checks of arrays, vectors and matrices handed to the float64 core, with
// messages that name the argument, the index and the value.
import { assertScale, MAX_ARRAY_VALUES, show } from "./_validate.ts";

/**
 * Throws unless `value` is array-like (an Array, a typed array, or an object
 * with a safe-integer `length` ≤ {@linkcode MAX_ARRAY_VALUES}); returns it.
 */
export function assertArrayLike(
  what: string,
  name: string,
  value: unknown,
  kind = "an array of numbers",
): ArrayLike<unknown> {
  if (
    value === null || typeof value !== "object" || value instanceof DataView ||
    typeof (value as ArrayLike<unknown>).length !== "number"
  ) {
    throw new TypeError(`${what} as ${name} must be ${kind}: current value is ${show(value)}`);
  }
  const n = (value as ArrayLike<unknown>).length;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_ARRAY_VALUES) {
    throw new TypeError(
      `${what} as ${name} must be ${kind} of at most 2²⁷ values: current length is ${show(n)}`,
    );
  }
  return value as ArrayLike<unknown>;
}

/**
 * Copies an array-like of finite numbers into a fresh Float64Array, checking
 * every entry (and the length when `length` is given; `lengthOf` names where
 * that length comes from, for the message).
 */
export function toFiniteVector(
  what: string,
  name: string,
  value: unknown,
  length?: number,
  lengthOf?: string,
): Float64Array {
  const arr = assertArrayLike(what, name, value);
  if (length !== undefined && arr.length !== length) {
    throw new TypeError(
      `${what} as ${name} must have length ${length}${
        lengthOf ? ` (the length of ${lengthOf})` : ""
      }: current length is ${arr.length}`,
    );
  }
  if (arr.length === 0) {
    throw new TypeError(`${what} as ${name} must not be empty: current value is []`);
  }
  // Check every entry before allocating, so that a huge array-like of
  // non-numbers fails at once.
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== "number") {
      throw new TypeError(`${what} as ${name}[${i}] must be a number: current value is ${show(v)}`);
    }
    if (!Number.isFinite(v)) {
      throw new RangeError(`${what} as ${name}[${i}] must be finite: current value is ${show(v)}`);
    }
  }
  return Float64Array.from(arr as ArrayLike<number>);
}

/**
 * Like {@linkcode toFiniteVector}, and every entry must be a positive normal
 * float64 (see {@linkcode assertScale}).
 */
export function toPositiveVector(
  what: string,
  name: string,
  value: unknown,
  length?: number,
  lengthOf?: string,
): Float64Array {
  const out = toFiniteVector(what, name, value, length, lengthOf);
  for (let i = 0; i < out.length; i++) assertScale(what, `${name}[${i}]`, out[i]);
  return out;
}

/**
 * Reads a square matrix given either as rows (`number[][]`) or flat in
 * row-major order, checking shape and finiteness. Returns it flat.
 */
export function toSquareMatrix(
  what: string,
  name: string,
  value: unknown,
  size: number,
  sizeOf?: string,
): Float64Array {
  const of = sizeOf ? ` (${sizeOf})` : "";
  const arr = assertArrayLike(what, name, value, `a ${size}×${size} matrix${of}`);
  const first = arr[0];
  if (typeof first === "object" && first !== null) {
    if (arr.length !== size) {
      throw new TypeError(
        `${what} as ${name} must have ${size} rows${of}: current number of rows is ${arr.length}`,
      );
    }
    const out = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      const row = toFiniteVector(what, `${name}[${i}]`, arr[i], size, sizeOf);
      out.set(row, i * size);
    }
    return out;
  }
  if (arr.length !== size * size) {
    throw new TypeError(
      `${what} as ${name} must be a ${size}×${size} matrix${of} (${
        size * size
      } values in row-major order or ${size} rows): current length is ${arr.length}`,
    );
  }
  return toFiniteVector(what, name, arr);
}

/**
 * Throws unless `x` is a point of `d` coordinates: an array-like of length
 * `d` whose entries are numbers, never NaN, and finite unless
 * `allowInfinite` (a density is 0 at ±∞, so `logProb` accepts it).
 */
export function assertEventLength(
  what: string,
  name: string,
  x: unknown,
  d: number,
  allowInfinite = false,
): asserts x is ArrayLike<number> {
  if (
    x === null || typeof x !== "object" || x instanceof DataView ||
    (x as ArrayLike<number>).length !== d
  ) {
    throw new TypeError(`${what} expects ${name} of length ${d}: current value is ${show(x)}`);
  }
  const a = x as ArrayLike<unknown>;
  for (let i = 0; i < d; i++) {
    const v = a[i];
    if (typeof v !== "number") {
      throw new TypeError(
        `${what} expects ${name}[${i}] to be a number: current value is ${show(v)}`,
      );
    }
    if (allowInfinite ? v !== v : !Number.isFinite(v)) {
      throw new RangeError(
        `${what} expects ${name}[${i}] to be ${
          allowInfinite ? "a number, not NaN" : "finite"
        }: current value is ${show(v)}`,
      );
    }
  }
}
