import { assertInteger, show } from "../math/_validate.ts";

/** Checks a flat batch of points and sizes the output array. */
export function batchOutput(
  what: string,
  xs: ArrayLike<number>,
  eventSize: number,
  out?: Float64Array,
): Float64Array {
  if (xs === null || typeof xs !== "object" || typeof xs.length !== "number") {
    throw new TypeError(
      `${what}.logProbBatch expects xs to be an array of numbers: current value is ${show(xs)}`,
    );
  }
  if (xs.length % eventSize !== 0) {
    throw new TypeError(
      `${what}.logProbBatch expects xs to hold whole rows of ${eventSize} values: current length is ${xs.length}`,
    );
  }
  const n = xs.length / eventSize;
  if (out === undefined) return new Float64Array(n);
  if (out.length !== n) {
    throw new TypeError(
      `${what}.logProbBatch expects out of length ${n}: current length is ${out.length}`,
    );
  }
  return out;
}

/** Validates a sample count. */
export function checkCount(what: string, n: number): void {
  assertInteger(`Cannot draw samples from ${what}`, "n", n, 0);
}
