// Internal validation helpers shared by the float64 core. Every message names
// the argument and its current value, in the style of Deno std:
// "Cannot construct Normal as scale must be > 0: current value is -1".
// A value of the wrong type or shape gets a TypeError, a value out of range a
// RangeError. Options objects are read with `_options.ts`, built on these.

/**
 * The most float64 values one array of the core may hold: 2²⁷ values, 1 GiB.
 * Counts (samples, k, steps, n) are refused above what would need a larger
 * array, rather than failing later with an engine error or running for hours.
 */
export const MAX_ARRAY_VALUES = 2 ** 27;

/** The smallest positive normal float64, 2⁻¹⁰²²: below it 1/x overflows. */
export const MIN_NORMAL = 2.2250738585072014e-308;

/** Formats a value for an error message without flooding it. */
export function show(value: unknown, depth = 0): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined || typeof value !== "object") return String(value);
  if ((ArrayBuffer.isView(value) && !(value instanceof DataView)) || Array.isArray(value)) {
    if (depth > 1) return Array.isArray(value) ? "[…]" : Object.prototype.toString.call(value);
    const arr = value as unknown as ArrayLike<unknown>;
    const head: string[] = [];
    for (let i = 0; i < Math.min(arr.length, 6); i++) head.push(show(arr[i], depth + 1));
    return `[${head.join(", ")}${arr.length > 6 ? `, … (${arr.length} values)` : ""}]`;
  }
  return Object.prototype.toString.call(value);
}

/** Throws unless `value` is a finite number. */
export function assertFinite(what: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${what} as ${name} must be a number: current value is ${show(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${what} as ${name} must be finite: current value is ${show(value)}`);
  }
}

/** Throws unless `value` is a number that is not NaN (±∞ allowed). */
export function assertNotNaN(what: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${what} as ${name} must be a number: current value is ${show(value)}`);
  }
  if (value !== value) {
    throw new RangeError(`${what} as ${name} must not be NaN: current value is NaN`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function assertPositive(
  what: string,
  name: string,
  value: unknown,
): asserts value is number {
  assertFinite(what, name, value);
  if (!(value > 0)) {
    throw new RangeError(`${what} as ${name} must be > 0: current value is ${show(value)}`);
  }
}

/**
 * Throws unless `value` is a finite number ≥ 2⁻¹⁰²² (a positive normal
 * float64): the domain of scales and rates, whose reciprocals must not
 * overflow.
 */
export function assertScale(what: string, name: string, value: unknown): asserts value is number {
  assertPositive(what, name, value);
  if (value < MIN_NORMAL) {
    throw new RangeError(
      `${what} as ${name} must be ≥ ${MIN_NORMAL} (a subnormal ${name} has no finite reciprocal): current value is ${
        show(value)
      }`,
    );
  }
}

/** Throws unless `value` is a safe integer ≥ `min`. */
export function assertInteger(
  what: string,
  name: string,
  value: unknown,
  min = 0,
): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${what} as ${name} must be an integer ≥ ${min}: current value is ${show(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `${what} as ${name} must be an integer ≥ ${min}: current value is ${show(value)}`,
    );
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `${what} as ${name} must be a safe integer (≤ 2⁵³ − 1): current value is ${show(value)}`,
    );
  }
}

/**
 * Throws unless `value` is a safe integer in [`min`, `max`]; `why` says what
 * the upper limit protects (memory, a sane run time), for the message.
 */
export function assertIntegerIn(
  what: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
  why = "",
): asserts value is number {
  assertInteger(what, name, value, min);
  if (value > max) {
    throw new RangeError(
      `${what} as ${name} must be ≤ ${max}${why ? ` (${why})` : ""}: current value is ${
        show(value)
      }`,
    );
  }
}

/**
 * Throws unless `value` is an integer count ≥ `min` small enough that
 * `value × perItem` float64 values fit in one array of at most
 * {@linkcode MAX_ARRAY_VALUES}.
 */
export function assertCount(
  what: string,
  name: string,
  value: unknown,
  min = 0,
  perItem = 1,
): asserts value is number {
  const items = typeof perItem === "number" && perItem > 1 ? perItem : 1;
  assertIntegerIn(
    what,
    name,
    value,
    min,
    Math.floor(MAX_ARRAY_VALUES / items),
    `${name}${
      items > 1 ? ` × ${items}` : ""
    } float64 values would not fit in one array of at most 2²⁷ values (1 GiB)`,
  );
}

/** Throws unless `value` is one of the strings in `allowed`. */
export function assertOneOf<T extends string>(
  what: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(
      `${what} as ${name} must be one of ${
        allowed.map((a) => `"${a}"`).join(", ")
      }: current value is ${show(value)}`,
    );
  }
}

/**
 * Throws unless `value` is a random source with `uniform`, `normal` and
 * `fillNormal` (an {@linkcode Rng} from `createRng`, or one of the same shape).
 */
export function assertRng(what: string, name: string, value: unknown): void {
  const r = value as Record<string, unknown> | null;
  if (
    r === null || typeof r !== "object" || typeof r.uniform !== "function" ||
    typeof r.normal !== "function" || typeof r.fillNormal !== "function"
  ) {
    throw new TypeError(
      `${what} as ${name} must be an Rng from createRng: current value is ${show(value)}`,
    );
  }
}

/**
 * exp(value) for a log-scale, checked: `value` must be finite and exp(value)
 * a positive normal float64 (log-scales in about [−708.4, 709.8]).
 */
export function expScale(what: string, name: string, value: unknown): number {
  assertFinite(what, name, value);
  const s = Math.exp(value);
  if (!(s >= MIN_NORMAL) || !Number.isFinite(s)) {
    throw new RangeError(
      `${what} as ${name} must be in [-708.39, 709.78] so that exp(${name}) is a positive normal float64: current value is ${
        show(value)
      }`,
    );
  }
  return s;
}

export {
  assertArrayLike,
  assertEventLength,
  toFiniteVector,
  toPositiveVector,
  toSquareMatrix,
} from "./_validate_arrays.ts";
