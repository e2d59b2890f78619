import { assertArrayLike, assertCount, assertRng, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";

/**
 * Checks a flat batch of points (whole rows of `eventSize` numbers, none NaN;
 * ±∞ is allowed, where a density is 0) and sizes the output array.
 */
export function batchOutput(
  what: string,
  xs: unknown,
  eventSize: number,
  out?: unknown,
): Float64Array {
  const w = `Cannot compute ${what}.logProbBatch`;
  const arr = assertArrayLike(w, "xs", xs);
  if (arr.length % eventSize !== 0) {
    throw new TypeError(
      `${w} as xs must hold whole rows of ${eventSize} values: current length is ${arr.length}`,
    );
  }
  const typed = arr instanceof Float64Array || arr instanceof Float32Array;
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (!typed && typeof v !== "number") {
      throw new TypeError(`${w} as xs[${i}] must be a number: current value is ${show(v)}`);
    }
    if (v !== v) throw new RangeError(`${w} as xs[${i}] must not be NaN: current value is NaN`);
  }
  const n = arr.length / eventSize;
  if (out === undefined) return new Float64Array(n);
  if (!(out instanceof Float64Array) || out.length !== n) {
    throw new TypeError(
      `${w} as out must be a Float64Array of length ${n} (one entry per row of xs): current value is ${
        show(out)
      }`,
    );
  }
  return out;
}

/** Validates the arguments of `sampleN`: the random source and the count. */
export function checkSampleN(what: string, rng: unknown, n: unknown, eventSize: number): void {
  assertRng(`Cannot draw samples from ${what}`, "rng", rng);
  assertCount(`Cannot draw samples from ${what}`, "n", n, 0, eventSize);
}

/** Validates the random source of `sample`. */
export function checkRng(what: string, rng: unknown): asserts rng is Rng {
  assertRng(`Cannot draw a sample from ${what}`, "rng", rng);
}

/** Validates an optional output vector of `d` entries and returns it (or a fresh one). */
export function outVector(what: string, out: unknown, d: number): Float64Array {
  if (out === undefined) return new Float64Array(d);
  if (!(out instanceof Float64Array) || out.length !== d) {
    throw new TypeError(
      `${what} as out must be a Float64Array of length ${d}: current value is ${show(out)}`,
    );
  }
  return out;
}
