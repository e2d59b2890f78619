// Internal validation helpers shared by the float64 core. Every message names
// the argument and its current value, in the style of Deno std:
// "Cannot construct Normal as scale must be > 0: current value is -1".

/** Formats a value for an error message without flooding it. */
export function show(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const arr = Array.from(value as ArrayLike<unknown>);
    const head = arr.slice(0, 6).map(show).join(", ");
    return `[${head}${arr.length > 6 ? `, … (${arr.length} values)` : ""}]`;
  }
  return typeof value === "object" ? Object.prototype.toString.call(value) : String(value);
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

/** Throws unless `value` is an integer ≥ `min`. */
export function assertInteger(
  what: string,
  name: string,
  value: unknown,
  min = 0,
): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(
      `${what} as ${name} must be an integer ≥ ${min}: current value is ${show(value)}`,
    );
  }
}

/**
 * Copies an array-like of finite numbers into a fresh Float64Array, checking
 * every entry (and the length when `length` is given).
 */
export function toFiniteVector(
  what: string,
  name: string,
  value: unknown,
  length?: number,
): Float64Array {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as ArrayLike<number>).length !== "number"
  ) {
    throw new TypeError(
      `${what} as ${name} must be an array of numbers: current value is ${show(value)}`,
    );
  }
  const arr = value as ArrayLike<unknown>;
  if (length !== undefined && arr.length !== length) {
    throw new TypeError(
      `${what} as ${name} must have length ${length}: current length is ${arr.length}`,
    );
  }
  if (arr.length === 0) {
    throw new TypeError(`${what} as ${name} must not be empty: current value is []`);
  }
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== "number") {
      throw new TypeError(`${what} as ${name}[${i}] must be a number: current value is ${show(v)}`);
    }
    if (!Number.isFinite(v)) {
      throw new RangeError(`${what} as ${name}[${i}] must be finite: current value is ${show(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/** Like {@linkcode toFiniteVector}, and every entry must be > 0. */
export function toPositiveVector(
  what: string,
  name: string,
  value: unknown,
  length?: number,
): Float64Array {
  const out = toFiniteVector(what, name, value, length);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i]! > 0)) {
      throw new RangeError(
        `${what} as ${name}[${i}] must be > 0: current value is ${show(out[i])}`,
      );
    }
  }
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
): Float64Array {
  if (
    value === null || typeof value !== "object" ||
    typeof (value as ArrayLike<unknown>).length !== "number"
  ) {
    throw new TypeError(
      `${what} as ${name} must be a ${size}×${size} matrix: current value is ${show(value)}`,
    );
  }
  const arr = value as ArrayLike<unknown>;
  const first = arr[0];
  if (typeof first === "object" && first !== null) {
    if (arr.length !== size) {
      throw new TypeError(
        `${what} as ${name} must have ${size} rows: current number of rows is ${arr.length}`,
      );
    }
    const out = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      const row = toFiniteVector(what, `${name}[${i}]`, arr[i], size);
      out.set(row, i * size);
    }
    return out;
  }
  if (arr.length !== size * size) {
    throw new TypeError(
      `${what} as ${name} must be a ${size}×${size} matrix (${
        size * size
      } values in row-major order or ${size} rows): current length is ${arr.length}`,
    );
  }
  return toFiniteVector(what, name, arr);
}

/** Throws a TypeError unless a point has the expected number of coordinates. */
export function assertEventLength(
  what: string,
  name: string,
  x: ArrayLike<number>,
  d: number,
): void {
  if (x === null || typeof x !== "object" || x.length !== d) {
    throw new TypeError(
      `${what} expects ${name} of length ${d}: current value is ${show(x)}`,
    );
  }
}
