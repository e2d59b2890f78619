// Arbitraries for the laws every disentanglement metric obeys: codes equal to
// the factors (permuted, each through a monotone map), codes independent of
// them, and codes where one code carries two factors.
import { createRng } from "../../mod.ts";
import { fc } from "../_fc.ts";

/** Strictly monotone maps of u ∈ [0, 1] into values of order 1, increasing and decreasing. */
export const MONOTONE: readonly ((u: number) => number)[] = [
  (u) => u,
  (u) => 3 * u - 1,
  (u) => -2 * u,
  (u) => (2 * u - 1) ** 3,
  (u) => Math.tanh(3 * u - 1.5),
  (u) => Math.exp(2 * u) - 2,
  (u) => -Math.sqrt(u + 0.1),
];

/** A grid of factors, the order of the codes and a monotone map per code. */
export interface Setup {
  /** Values per factor. */
  sizes: number[];
  /** Code j carries factor order[j]. */
  order: number[];
  /** Index into MONOTONE, per factor. */
  maps: number[];
  /** Seed of the factor rows and of any noise. */
  seed: number;
}

/** Setups of 2–4 factors of 2–`maxSize` values each. */
export function setup(maxSize: number, minSize = 2): fc.Arbitrary<Setup> {
  return fc.integer({ min: 2, max: 4 }).chain((k) =>
    fc.record({
      sizes: fc.array(fc.integer({ min: minSize, max: maxSize }), { minLength: k, maxLength: k }),
      order: fc.shuffledSubarray(Array.from({ length: k }, (_, i) => i), {
        minLength: k,
        maxLength: k,
      }),
      maps: fc.array(fc.integer({ min: 0, max: MONOTONE.length - 1 }), {
        minLength: k,
        maxLength: k,
      }),
      seed: fc.integer({ min: 1, max: 2 ** 31 }),
    })
  );
}

/** The setup with factor 1 of as many values as factor 0 (for {@linkcode entangledCodes}). */
export function sameFirstSizes(s: Setup): Setup {
  return { ...s, sizes: s.sizes.map((m, k) => (k === 1 ? s.sizes[0]! : m)) };
}

/** n factor rows, each factor uniform over its values. */
export function factorRows(s: Setup, n: number): number[][] {
  const rng = createRng(s.seed);
  return Array.from({ length: n }, () => s.sizes.map((m) => rng.integer(m)));
}

/** The code of factor k for value v: its monotone map of v / (size − 1). */
export function codeOf(s: Setup, k: number, v: number): number {
  return MONOTONE[s.maps[k]!]!(v / (s.sizes[k]! - 1));
}

/** Codes equal to the factors: code j = map(factor order[j]). */
export function perfectCodes(s: Setup, factors: number[][]): number[][] {
  return factors.map((row) => s.order.map((k) => codeOf(s, k, row[k]!)));
}

/** As many codes as factors, standard normal, independent of the factors. */
export function independentCodes(s: Setup, n: number): number[][] {
  const rng = createRng(s.seed + 1);
  return Array.from({ length: n }, () => s.sizes.map(() => rng.normal()));
}

/**
 * Codes equal to the factors except that factor 0's code carries factors 0
 * and 1 together (their sum) and factor 1's code is noise. Factor 1 should
 * have as many values as factor 0 for the sum to be symmetric.
 */
export function entangledCodes(s: Setup, factors: number[][]): number[][] {
  const rng = createRng(s.seed + 2);
  return factors.map((row) =>
    s.order.map((k) => {
      if (k === 0) return codeOf(s, 0, (row[0]! + row[1]!) / 2);
      if (k === 1) return rng.normal();
      return codeOf(s, k, row[k]!);
    })
  );
}
