// Checks shared by the bijectors.
import { assertArrayLike, assertNotNaN, show } from "../math/_validate.ts";

/**
 * Copies a point into a Float64Array, checking that it is an array of numbers,
 * none NaN (±∞ allowed), of length `length` when given, and not empty.
 */
export function toPoint(what: string, name: string, value: unknown, length?: number): Float64Array {
  if (typeof value === "number") {
    throw new TypeError(
      `${what} as ${name} must be an array of ${
        length ?? "one or more"
      } numbers: current value is ${show(value)}`,
    );
  }
  const arr = assertArrayLike(what, name, value);
  if (length !== undefined ? arr.length !== length : arr.length === 0) {
    throw new TypeError(
      `${what} as ${name} must have length ${length ?? "≥ 1"}: current length is ${arr.length}`,
    );
  }
  for (let i = 0; i < arr.length; i++) assertNotNaN(what, `${name}[${i}]`, arr[i]);
  return Float64Array.from(arr as ArrayLike<number>);
}

/** Checks an event size given to `forwardEventSize` or `inverseEventSize`. */
export function checkSize(what: string, size: unknown): asserts size is number {
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 1) {
    throw new TypeError(`${what} as size must be an integer ≥ 1: current value is ${show(size)}`);
  }
}
