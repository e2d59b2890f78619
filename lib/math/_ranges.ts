// The checks of one number against a range, with messages that name it and
// its value in the style of `_validate.ts` ("Cannot compute elbo as
// options.samples must be an integer ≥ 1: current value is 0"; a wrong type
// is a TypeError, a value out of range a RangeError). `readOptions` checks
// every numeric option with them; use them directly for a value already in
// hand (an argument, a parsed command-line flag).
import { MAX_ARRAY_VALUES, show } from "./_validate.ts";

/** What an integer must be: in [`min`, `max`]; `why` says where `max` comes from. */
export interface IntSpec {
  /** The least value (default 0). */
  min?: number;
  /** The greatest value (default 2⁵³ − 1). */
  max?: number;
  /** Where the upper limit comes from ("the images of mnist"), shown after the range. */
  why?: string;
}

/** What a number must be: finite, and within the bounds given. */
export interface NumberSpec {
  /** The least value (none by default). */
  min?: number;
  /** The greatest value (none by default). */
  max?: number;
  /** Whether `min` itself is refused (default false). */
  minExclusive?: boolean;
  /** Whether `max` itself is refused (default false). */
  maxExclusive?: boolean;
  /**
   * Whether the value must also be representable in float32 (neither
   * overflow to ±∞ nor a nonzero value flush to 0), for settings of the
   * float32 tensor layer.
   */
  float32?: boolean;
}

/** What a count must be: an integer ≥ `min` whose `perItem` float64 values fit in one array. */
export interface CountSpec {
  /** The least value (default 0). */
  min?: number;
  /** Float64 values held per unit (default 1). */
  perItem?: number;
}

/** "≥ 1" or "in [1, 100] (why)": the range of an integer, for messages. */
export function intRange(min: number, max: number, why: string | undefined): string {
  return max >= Number.MAX_SAFE_INTEGER
    ? `≥ ${min}`
    : `in [${min}, ${max}]${why ? ` (${why})` : ""}`;
}

/**
 * Checks that `value` is a safe integer in [`min`, `max`] and returns it.
 *
 * @param what The message prefix ("Cannot compute elbo").
 * @param name What the value is called ("options.samples", "n").
 * @param value The value to check.
 * @param spec Its bounds.
 * @returns The value.
 * @throws {TypeError} If the value is not a number.
 * @throws {RangeError} If it is not an integer, or out of range.
 */
export function intOf(what: string, name: string, value: unknown, spec: IntSpec = {}): number {
  const { min = 0, max = Number.MAX_SAFE_INTEGER, why } = spec;
  const range = intRange(min, max, why);
  if (typeof value !== "number") {
    throw new TypeError(
      `${what} as ${name} must be an integer ${range}: current value is ${show(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || (value > max && max < Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `${what} as ${name} must be an integer ${range}: current value is ${show(value)}`,
    );
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `${what} as ${name} must be a safe integer (≤ 2⁵³ − 1): current value is ${show(value)}`,
    );
  }
  return value;
}

/**
 * Checks that `value` is an integer count ≥ `min` small enough that `value ×
 * perItem` float64 values fit in one array of at most 2²⁷ values, and
 * returns it. Too small: "must be an integer ≥ 1"; too large: "must be ≤
 * 134217728 (samples float64 values would not fit in one array …)".
 *
 * @param what The message prefix.
 * @param name What the value is called.
 * @param value The value to check.
 * @param spec Its least value and the float64 values it stands for each.
 * @returns The value.
 * @throws {TypeError} If the value is not a number.
 * @throws {RangeError} If it is not an integer ≥ `min`, or too large.
 */
export function countOf(what: string, name: string, value: unknown, spec: CountSpec = {}): number {
  const per = spec.perItem !== undefined && spec.perItem > 1 ? spec.perItem : 1;
  const n = intOf(what, name, value, { min: spec.min ?? 0 });
  const max = Math.floor(MAX_ARRAY_VALUES / per);
  if (n > max) {
    throw new RangeError(
      `${what} as ${name} must be ≤ ${max} (${name}${
        per > 1 ? ` × ${per}` : ""
      } float64 values would not fit in one array of at most 2²⁷ values, 1 GiB): current value is ${n}`,
    );
  }
  return n;
}

/** "in (0, 1]", "> 0", "≤ 1" or "": the range of a number, for messages. */
export function numberRange(spec: NumberSpec): string {
  const { min, max, minExclusive = false, maxExclusive = false } = spec;
  if (min !== undefined && max !== undefined) {
    return `in ${minExclusive ? "(" : "["}${show(min)}, ${show(max)}${maxExclusive ? ")" : "]"}`;
  }
  if (min !== undefined) return `${minExclusive ? ">" : "≥"} ${show(min)}`;
  if (max !== undefined) return `${maxExclusive ? "<" : "≤"} ${show(max)}`;
  return "";
}

/**
 * Checks that `value` is a finite number within the bounds of `spec` and
 * returns it.
 *
 * @param what The message prefix ("Cannot construct Adam").
 * @param name What the value is called ("options.beta1").
 * @param value The value to check.
 * @param spec Its bounds.
 * @returns The value.
 * @throws {TypeError} If the value is not a number.
 * @throws {RangeError} If it is NaN, ±∞, out of range, or (with `float32`)
 *   not representable in float32.
 */
export function numberOf(
  what: string,
  name: string,
  value: unknown,
  spec: NumberSpec = {},
): number {
  const range = numberRange(spec);
  if (typeof value !== "number") {
    throw new TypeError(
      `${what} as ${name} must be a number${range ? ` ${range}` : ""}: current value is ${
        show(value)
      }`,
    );
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(`${what} as ${name} must be finite: current value is ${show(value)}`);
  }
  const { min, max, minExclusive, maxExclusive } = spec;
  if (
    (min !== undefined && (minExclusive ? !(value > min) : !(value >= min))) ||
    (max !== undefined && (maxExclusive ? !(value < max) : !(value <= max)))
  ) {
    throw new RangeError(`${what} as ${name} must be ${range}: current value is ${show(value)}`);
  }
  const f = Math.fround(value);
  if (spec.float32 && (!Number.isFinite(f) || (f === 0 && value !== 0))) {
    throw new RangeError(
      `${what} as ${name} must be representable in float32 (1.4e-45 to 3.4e38 in size): current value is ${
        show(value)
      }`,
    );
  }
  return value;
}
