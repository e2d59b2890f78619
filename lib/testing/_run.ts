// How every law of @elbo/elbo/testing runs: a fast-check property over an
// arbitrary (or over one fixed value), and a failure that is an
// AssertionError naming the law, the broken promise, the counterexample and
// the seed and path that replay it.
import fc from "fast-check";
import { AssertionError } from "node:assert/strict";
import type { LawOptions } from "./law_options.ts";

/** Whether `v` is a fast-check arbitrary (by shape, so that any copy of fast-check passes). */
export function isArbitrary(v: unknown): v is fc.Arbitrary<unknown> {
  const r = v as Record<string, unknown> | null;
  return r !== null && typeof r === "object" && typeof r.generate === "function" &&
    typeof r.shrink === "function" && typeof r.canShrinkWithoutContext === "function";
}

/** An arbitrary as given, or one that always gives the fixed value `v`. */
export function arbitraryOf<T>(v: T | fc.Arbitrary<T>): fc.Arbitrary<T> {
  return isArbitrary(v) ? v as fc.Arbitrary<T> : fc.constant(v as T);
}

/** A seed for the package's `createRng`, drawn with each case and never shrunk. */
export const rngSeed = (): fc.Arbitrary<number> => fc.noShrink(fc.nat());

/**
 * Runs `check` on every case of `arb` (and on a fresh seed for each), and
 * turns a failure into one AssertionError.
 */
export function runLaw<T>(
  law: string,
  subject: T | fc.Arbitrary<T>,
  check: (value: T, seed: number) => void,
  options: LawOptions = {},
): void {
  const fixed = !isArbitrary(subject);
  const params: fc.Parameters<[T, number]> = {};
  const numRuns = options.numRuns ?? (fixed ? 1 : undefined);
  if (numRuns !== undefined) params.numRuns = numRuns;
  if (options.seed !== undefined) params.seed = options.seed;
  if (options.path !== undefined) params.path = options.path;
  const out = fc.check(
    fc.property(arbitraryOf(subject), rngSeed(), (v, seed) => {
      check(v, seed);
    }),
    params,
  );
  if (!out.failed) return;
  const e = out.errorInstance;
  const why = e instanceof Error ? e.message : String(e);
  throw new AssertionError({
    message: `${law}: ${why}\n` +
      `counterexample: ${fc.stringify(out.counterexample)}\n` +
      `replay with { seed: ${out.seed}, path: ${JSON.stringify(out.counterexamplePath)} }` +
      ` after ${out.numRuns} case(s)`,
  });
}

/** A name for messages: the class of `v`, or its type. */
export function nameOf(v: unknown): string {
  if (v !== null && typeof v === "object") return v.constructor?.name ?? "object";
  return typeof v;
}
