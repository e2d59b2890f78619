// Small building blocks of the arbitraries.
import fc from "fast-check";

/** A float64 in [min, max], never NaN or infinite. */
export const between = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** `n` floats in [min, max]. */
export const vectorOf = (n: number, min: number, max: number): fc.Arbitrary<number[]> =>
  fc.array(between(min, max), { minLength: n, maxLength: n });

/** Throws unless `n` is an integer ≥ `min` (the size of a vector arbitrary). */
export function checkSize(what: string, name: string, n: unknown, min = 1): void {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min) {
    throw new (typeof n === "number" ? RangeError : TypeError)(
      `Cannot build the ${what} arbitrary as ${name} must be an integer ≥ ${min}: current value is ${
        String(n)
      }`,
    );
  }
}
