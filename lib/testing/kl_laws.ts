// The laws every KL divergence keeps: KL(p‖q) ≥ 0, KL(p‖p) = 0, and the
// closed form agrees with a seeded Monte Carlo estimate.
import type { Distribution } from "../distributions/distribution.ts";
import { klDivergence } from "../divergences/kl_divergence.ts";
import { klMonteCarlo } from "../divergences/kl_monte_carlo.ts";
import { createRng } from "../math/rng.ts";
import fc from "fast-check";
import { AssertionError } from "node:assert/strict";
import type { LawOptions } from "./law_options.ts";
import { nameOf, runLaw } from "./_run.ts";
import { assertClose, assertWithinSE, type Tolerance } from "./tolerance.ts";
import { readOptions } from "../math/_options.ts";
import { LAW_OPTIONS, lawOptions, toleranceOf } from "./_options.ts";

/** Options of {@linkcode assertKLLaws}. */
export interface KLLawsOptions<P, Q> extends LawOptions {
  /** The KL under test (default: the registry's `klDivergence`). */
  kl?: (p: P, q: Q) => number;
  /** How close to 0 KL(p‖p) and KL(q‖q) must be (default `{ abs: 1e-12 }`). */
  tolerance?: Tolerance;
  /** Draws of the Monte Carlo estimate per case (default 4,000; 0 skips that law). */
  samples?: number;
  /** Standard errors the Monte Carlo estimate may be away (default 4). */
  k?: number;
}

/**
 * Asserts the laws of a KL divergence on every case of the arbitraries:
 *
 * ```text
 * KL(p ‖ q) ≥ 0                         (never NaN)
 * KL(p ‖ p) = 0,  KL(q ‖ q) = 0         (to `tolerance`; for a given `kl`,
 *                                         where p and q share a class)
 * KL(p ‖ q) = E_p[log p(X) − log q(X)]  (within k standard errors of
 *                                         klMonteCarlo over `samples` draws)
 * ```
 *
 * The Monte Carlo law is what catches a formula that is ≥ 0 and 0 at p = q
 * yet wrong (twice the right value, say); it needs `sampleN` and
 * `logProbBatch` of both. Where the KL is +∞ only the sign is checked.
 *
 * @param arbP An arbitrary of p.
 * @param arbQ An arbitrary of q, or a function of p giving one (for a q of
 *   p's size); by default `arbP` again.
 * @param options The KL function (default: the registry's), tolerances and fast-check settings.
 * @throws {AssertionError} If a law fails for a case: the message names the
 *   law, the pair and the seed that replays it.
 *
 * @example Check a KL of your own before registering it
 * ```ts
 * import { klNormal, Normal } from "@elbo/elbo";
 * import { assertKLLaws, normal } from "@elbo/elbo/testing";
 * import assert from "node:assert/strict";
 *
 * assertKLLaws(normal(), normal(), { kl: klNormal, numRuns: 20, seed: 1 });
 * // Twice the right value is ≥ 0 and 0 at p = q: Monte Carlo catches it.
 * const wrong = (p: Normal, q: Normal) => 2 * klNormal(p, q);
 * assert.throws(() => assertKLLaws(normal(), normal(), { kl: wrong, seed: 1 }), assert.AssertionError);
 * ```
 */
export function assertKLLaws<P extends Distribution, Q extends Distribution = P>(
  arbP: fc.Arbitrary<P>,
  arbQ?: fc.Arbitrary<Q> | ((p: P) => fc.Arbitrary<Q>),
  options: KLLawsOptions<P, Q> = {},
): void {
  const o = readOptions("Cannot run assertKLLaws", options, [
    "kl",
    "tolerance",
    "samples",
    "k",
    ...LAW_OPTIONS,
  ]);
  const kl = o.optionalFunction<(p: P, q: Q) => number>("kl") ??
    klDivergence as (p: P, q: Q) => number;
  const tolerance = o.has("tolerance")
    ? toleranceOf(o.what, o.get("tolerance"), o.label("tolerance"))
    : { abs: 1e-12 };
  const samples = o.has("samples") && o.get("samples") === 0
    ? 0
    : o.count("samples", { min: 2, default: 4000 });
  const k = o.number("k", { min: 0, minExclusive: true, default: 4 });
  // The registry takes any registered pair, so KL(p‖p) is checked for
  // mixed pairs too; a given function only where p and q share a class.
  const sameKind = kl === (klDivergence as unknown);
  const q = arbQ ?? (arbP as unknown as fc.Arbitrary<Q>);
  const pairs = arbP.chain((p) => fc.tuple(fc.constant(p), typeof q === "function" ? q(p) : q));
  runLaw("assertKLLaws", pairs, ([p, q], seed) => {
    const pair = `${nameOf(p)}‖${nameOf(q)}`;
    const value = kl(p, q);
    if (!(value >= 0)) {
      throw new AssertionError({ message: `KL(p‖q) must be ≥ 0: ${pair} gave ${value}` });
    }
    if (sameKind || p.constructor === q.constructor) {
      const self = kl as unknown as (a: Distribution, b: Distribution) => number;
      assertClose(self(p, p), 0, tolerance, `KL(p‖p) = 0 for ${nameOf(p)}`);
      assertClose(self(q, q), 0, tolerance, `KL(q‖q) = 0 for ${nameOf(q)}`);
    }
    if (samples === 0 || value === Infinity) return;
    // For a near-identical pair the terms log p − log q are rounding noise
    // of a few ulps of |log p|, which no standard error accounts for: allow
    // 1e-13 of the typical |log p| (a KL that small is 0 to float64).
    const lp = p.logProbBatch(p.sampleN(createRng(seed + 1), 64));
    const typical = lp.reduce((s, v) => s + Math.abs(v), 0) / lp.length;
    const mc = klMonteCarlo(p, q, { samples, rng: createRng(seed) });
    assertWithinSE(mc, value, k, `KL(p‖q) against klMonteCarlo for ${pair}`, 1e-13 * (1 + typical));
  }, lawOptions(o));
}
