// The one way every public function reads its options object: a plain object
// (or undefined), no key the function does not take, and each value checked
// by the checks of `_ranges.ts`, with a message that names `options.<key>`
// and its value: "Cannot compute elbo as options.samples must be an integer
// ≥ 1: current value is 0". A misspelt key is a TypeError listing the
// options: "Cannot compute elbo as options.sampels is not an option (choose
// from method, samples, rng): current value is 5".
import { assertOneOf, assertRng, show } from "./_validate.ts";
import { assertSeed, type Rng } from "./rng.ts";
import {
  countOf,
  type CountSpec,
  intOf,
  intRange,
  type IntSpec,
  numberOf,
  numberRange,
  type NumberSpec,
} from "./_ranges.ts";

/** An option's default: used when the key is absent or `undefined`. */
interface Default<T> {
  /** The value used when the option is not given; without one, the option is required. */
  default?: T;
}

/** Whether `v` is a plain object: `{ … }` or `Object.create(null)`, not an array, Map or class instance. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  // Object.prototype of any realm is itself prototype-less.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The options of one call, read one key at a time: each method checks the
 * value of its key (or its default when the key is absent or `undefined`)
 * and throws with a message naming `options.<key>`. Made by
 * {@linkcode readOptions}, which has already refused unknown keys.
 */
export class OptionReader<K extends string> {
  /** The message prefix ("Cannot compute elbo"). */
  readonly what: string;
  /** What the options object is called ("options", or "options.objective" for a nested one). */
  readonly name: string;
  /** The keys the function takes, in the order messages list them. */
  readonly keys: readonly string[];
  readonly #values: ReadonlyMap<string, unknown>;

  /**
   * Reads the options once (each getter runs once).
   *
   * @param what The message prefix.
   * @param name What the object is called.
   * @param keys The keys the function takes.
   * @param values The checked object's own keys and values.
   */
  constructor(
    what: string,
    name: string,
    keys: readonly K[],
    values: ReadonlyMap<string, unknown>,
  ) {
    this.what = what;
    this.name = name;
    this.keys = keys;
    this.#values = values;
  }

  /** `options.<key>`, for the message of a check made elsewhere (an array, a distribution). */
  label(key: K): string {
    return `${this.name}.${key}`;
  }

  /** The value as given; `undefined` when absent. */
  get(key: K): unknown {
    return this.#values.get(key);
  }

  /** Whether the option is given (present and not `undefined`). */
  has(key: K): boolean {
    return this.#values.get(key) !== undefined;
  }

  /** The value, or its default; throws naming the key if it is required and missing. */
  #given<T>(key: K, spec: Default<T>, expected: string): unknown {
    const v = this.#values.get(key);
    if (v !== undefined) return v;
    if (spec.default !== undefined) return spec.default;
    throw new TypeError(
      `${this.what} as ${this.label(key)} is required (${expected}): current value is undefined`,
    );
  }

  /**
   * A safe integer in [`min`, `max`].
   *
   * @throws {TypeError} If it is missing without a default, or not a number.
   * @throws {RangeError} If it is not an integer in range.
   */
  int(key: K, spec: IntSpec & Default<number> = {}): number {
    const range = intRange(spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER, spec.why);
    const v = this.#given(key, spec, `an integer ${range}`);
    return intOf(this.what, this.label(key), v, spec);
  }

  /**
   * An integer count ≥ `min` whose `perItem` float64 values fit in one array
   * of at most 2²⁷ values.
   *
   * @throws {TypeError} If it is missing without a default, or not a number.
   * @throws {RangeError} If it is not an integer ≥ `min`, or too large.
   */
  count(key: K, spec: CountSpec & Default<number> = {}): number {
    const v = this.#given(key, spec, `an integer ≥ ${spec.min ?? 0}`);
    return countOf(this.what, this.label(key), v, spec);
  }

  /**
   * A finite number within the bounds of `spec`.
   *
   * @throws {TypeError} If it is missing without a default, or not a number.
   * @throws {RangeError} If it is NaN, ±∞ or out of range.
   */
  number(key: K, spec: NumberSpec & Default<number> = {}): number {
    const range = numberRange(spec);
    const v = this.#given(key, spec, `a finite number${range ? ` ${range}` : ""}`);
    return numberOf(this.what, this.label(key), v, spec);
  }

  /**
   * One of the strings in `allowed`.
   *
   * @throws {TypeError} If it is missing without a default, or not one of them.
   */
  choice<T extends string>(key: K, allowed: readonly T[], fallback?: T): T {
    const v = this.#given(key, { default: fallback }, `one of ${quoted(allowed)}`);
    assertOneOf(this.what, this.label(key), v, allowed);
    return v;
  }

  /**
   * A boolean, `fallback` when not given.
   *
   * @throws {TypeError} If it is not a boolean.
   */
  boolean(key: K, fallback: boolean): boolean {
    const v = this.#given(key, { default: fallback }, "a boolean");
    if (typeof v !== "boolean") {
      throw new TypeError(
        `${this.what} as ${this.label(key)} must be a boolean: current value is ${show(v)}`,
      );
    }
    return v;
  }

  /**
   * A seed: any safe integer.
   *
   * @throws {TypeError} If it is missing without a default, or not a number.
   * @throws {RangeError} If it is not a safe integer.
   */
  seed(key: K, fallback?: number): number {
    const v = this.#given(key, { default: fallback }, "a safe integer");
    assertSeed(this.what, this.label(key), v);
    return v;
  }

  /**
   * A random source: an `Rng` from `createRng`, or one of the same shape.
   *
   * @throws {TypeError} If it is missing or not an Rng.
   */
  rng(key: K): Rng {
    const v = this.#given(key, {}, "an Rng from createRng");
    assertRng(this.what, this.label(key), v);
    return v as Rng;
  }

  /**
   * A function, or `undefined` when not given.
   *
   * @throws {TypeError} If it is given and is not a function.
   */
  optionalFunction<F extends (...args: never[]) => unknown>(key: K): F | undefined {
    const v = this.#values.get(key);
    if (v !== undefined && typeof v !== "function") {
      throw new TypeError(
        `${this.what} as ${this.label(key)} must be a function: current value is ${show(v)}`,
      );
    }
    return v as F | undefined;
  }

  /**
   * The options nested under `key` (an objective, a law's settings), read as
   * {@linkcode readOptions} reads these: messages name `options.<key>.<k>`.
   *
   * @throws {TypeError} If the value is not a plain object or has a key not in `keys`.
   */
  object<J extends string>(key: K, keys: readonly J[]): OptionReader<J> {
    return readOptions(this.what, this.#values.get(key), keys, this.label(key));
  }
}

const quoted = (allowed: readonly string[]): string => allowed.map((a) => `"${a}"`).join(", ");

/**
 * Reads the options object of a public function: `undefined` (no options) or
 * a plain object whose keys are all in `keys` (a key whose value is
 * `undefined` counts as absent). The values are read once, here.
 *
 * @param what The message prefix ("Cannot compute elbo").
 * @param options The options as given.
 * @param keys The keys the function takes, in the order the message lists them.
 * @param name What the object is called in messages (default "options").
 * @returns A reader whose methods check each option.
 * @throws {TypeError} If `options` is not a plain object or undefined, or it
 *   has a key not in `keys` ("Cannot compute elbo as options.sampels is not
 *   an option (choose from method, samples, rng): current value is 5").
 */
export function readOptions<K extends string>(
  what: string,
  options: unknown,
  keys: readonly K[],
  name = "options",
): OptionReader<K> {
  const values = new Map<string, unknown>();
  if (options !== undefined) {
    if (!isPlainObject(options)) {
      throw new TypeError(
        `${what} as ${name} must be a plain object ({ ${keys.join(", ")} }): current value is ${
          show(options)
        }`,
      );
    }
    for (const key of Object.keys(options)) {
      const value = options[key];
      if (value === undefined) continue;
      if (!(keys as readonly string[]).includes(key)) {
        throw new TypeError(
          `${what} as ${name}.${key} is not an option (${
            keys.length ? `choose from ${keys.join(", ")}` : "it takes none"
          }): current value is ${show(value)}`,
        );
      }
      values.set(key, value);
    }
  }
  return new OptionReader(what, name, keys, values);
}

/**
 * The key of `params` given, for parameters that come one way or the other
 * (`logits` or `probs`); a TypeError when it holds neither or both.
 */
export function oneOfTwo<K extends string>(
  what: string,
  o: OptionReader<K>,
  params: unknown,
  a: K,
  b: K,
): K {
  if (o.has(a) === o.has(b)) {
    throw new TypeError(
      `${what} as params must hold exactly one of ${a} or ${b}: current value is ${show(params)}`,
    );
  }
  return o.has(a) ? a : b;
}
