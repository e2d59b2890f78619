import { assertArrayLike, assertCount, assertRng, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";

/**
 * Checks a flat batch of points (whole rows of `eventSize` numbers, none NaN;
 * ±∞ is allowed, where a density is 0) and sizes the output array. A plain
 * array is checked here, entry by entry; a Float64Array or Float32Array holds
 * only numbers; its NaN check is here too, unless `fused`: then the family's
 * formula carries a NaN point to a NaN log-density and the family calls
 * {@linkcode checkBatchNaN} after its loop, so that a batch is read once.
 */
export function batchOutput(
  what: string,
  xs: unknown,
  eventSize: number,
  out?: unknown,
  fused = false,
): Float64Array {
  const w = `Cannot compute ${what}.logProbBatch`;
  const arr = assertArrayLike(w, "xs", xs);
  if (arr.length % eventSize !== 0) {
    throw new TypeError(
      `${w} as xs must hold whole rows of ${eventSize} values: current length is ${arr.length}`,
    );
  }
  if (!(arr instanceof Float64Array || arr instanceof Float32Array)) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== "number") {
        throw new TypeError(`${w} as xs[${i}] must be a number: current value is ${show(v)}`);
      }
      if (v !== v) throw nanAt(what, i);
    }
  } else if (!fused) {
    for (let i = 0; i < arr.length; i++) if (arr[i] !== arr[i]) throw nanAt(what, i);
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

/** The error for a NaN point: `xs[i]` of `what`'s logProbBatch. */
export function nanAt(what: string, i: number): RangeError {
  return new RangeError(
    `Cannot compute ${what}.logProbBatch as xs[${i}] must not be NaN: current value is NaN`,
  );
}

/**
 * After a family's loop over a batch: a NaN log-density comes from a NaN
 * point where the formula carries NaN through; finds that point and throws
 * naming it. Costs a scan of the output only.
 *
 * @throws {RangeError} Naming the first NaN entry of a row whose log-density is NaN.
 */
export function checkBatchNaN(
  what: string,
  xs: ArrayLike<number>,
  eventSize: number,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== out[i]) {
      for (let j = i * eventSize; j < (i + 1) * eventSize; j++) {
        if (xs[j] !== xs[j]) throw nanAt(what, j);
      }
    }
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

/**
 * The TypeError of a method with no closed form (a transformed
 * distribution's mean, a relaxed family's moments): `subject` says whose,
 * `draws` how to draw for a Monte Carlo estimate.
 */
export function noClosedForm(what: string, method: string, subject: string, draws: string): never {
  throw new TypeError(
    `Cannot compute ${what}.${method} as ${subject} has no closed form: estimate it by Monte Carlo from ${draws} (meanAndStandardError of the draws)`,
  );
}
