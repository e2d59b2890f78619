// The laws every float64 distribution keeps, checked numerically on seeded
// draws: logProbBatch agrees with logProb, sample moments approach mean()
// and variance(), entropy() is −E[log p(X)]; and all of them at once.
import type { Distribution } from "../distributions/distribution.ts";
import { meanAndStandardError } from "../math/mean_and_standard_error.ts";
import { createRng } from "../math/rng.ts";
import type fc from "fast-check";
import { AssertionError } from "node:assert/strict";
import type { LawOptions } from "./law_options.ts";
import { nameOf, runLaw } from "./_run.ts";
import { readOptions } from "../math/_options.ts";
import {
  BATCH_OPTIONS,
  batchSettings,
  INTEGRATE_OPTIONS,
  integrateSettings,
  LAW_OPTIONS,
  lawOptions,
  MOMENTS_OPTIONS,
  momentsSettings,
} from "./_options.ts";
import { checkIntegratesToOne, type IntegrateOptions } from "./integrates_to_one.ts";
import { assertClose, assertWithinSE, type Tolerance } from "./tolerance.ts";

/** Options of {@linkcode assertLogProbBatch}. */
export interface LogProbBatchOptions extends LawOptions {
  /**
   * The points, flat (one row of `eventSize` values each), or a function of
   * the distribution giving them; by default 20 seeded draws.
   */
  points?: ArrayLike<number> | ((d: Distribution) => ArrayLike<number>);
  /** How close each batched value must be (default `{ abs: 1e-12, rel: 1e-12 }`). */
  tolerance?: Tolerance;
}

/** Options of {@linkcode assertSampleMoments}. */
export interface SampleMomentsOptions extends LawOptions {
  /** Draws per case (default 20,000). */
  samples?: number;
  /** Standard errors allowed (default 4.5). */
  k?: number;
}

/** Options of {@linkcode assertEntropy}. */
export interface EntropyOptions extends LawOptions {
  /** Draws per case (default 4,000). */
  samples?: number;
  /** Standard errors allowed (default 4). */
  k?: number;
}

/** Options of {@linkcode assertDistributionLaws}: which laws run, and their settings. */
export interface DistributionLawsOptions extends LawOptions {
  /** Settings of the `logProbBatch` law, or `false` to skip it. */
  batch?: Omit<LogProbBatchOptions, keyof LawOptions> | false;
  /** Settings of the sample-moments law, or `false` to skip it. */
  moments?: Omit<SampleMomentsOptions, keyof LawOptions> | false;
  /** Settings of the entropy law, or `false` to skip it (a mixture has no closed form). */
  entropy?: Omit<EntropyOptions, keyof LawOptions> | false;
  /**
   * Settings of the normalisation law, or `false` to skip it; it runs only
   * for univariate distributions (`eventSize` 1).
   */
  integrate?: Omit<IntegrateOptions<Distribution>, keyof LawOptions> | false;
}

const asArray = (v: number | ArrayLike<number>): number[] =>
  typeof v === "number" ? [v] : Array.from(v);

/** Row `i` of `xs` as `logProb` takes it: a number, or an array of `k` numbers. */
function pointAt(xs: ArrayLike<number>, i: number, k: number, scalar: boolean): number | number[] {
  return scalar ? xs[i]! : Array.from({ length: k }, (_, j) => xs[i * k + j]!);
}

/** logProbBatch agrees with logProb point by point, and fills the `out` it is given. */
export function checkLogProbBatch(
  d: Distribution,
  seed: number,
  options: Omit<LogProbBatchOptions, keyof LawOptions> = {},
): void {
  const { tolerance = { abs: 1e-12, rel: 1e-12 } } = options;
  const given = options.points;
  const xs = typeof given === "function" ? given(d) : given ?? d.sampleN(createRng(seed), 20);
  const name = nameOf(d), n = xs.length / d.eventSize;
  if (!Number.isInteger(n) || n < 1) {
    throw new TypeError(
      `Cannot check ${name}.logProbBatch as points must hold whole rows of ${d.eventSize}, at least one: current length is ${xs.length}`,
    );
  }
  // Points are numbers where draws are numbers, arrays otherwise.
  const scalar = typeof d.sample(createRng(seed)) === "number";
  const out = new Float64Array(n);
  const got = d.logProbBatch(xs, out);
  if (got !== out) throw new AssertionError({ message: `${name}.logProbBatch ignored its out` });
  for (let i = 0; i < n; i++) {
    const x = pointAt(xs, i, d.eventSize, scalar);
    const single = (d.logProb as (x: unknown) => number)(x);
    const what = `${name}.logProbBatch row ${i} (x = ${x}) against logProb`;
    if (Number.isFinite(single)) assertClose(got[i]!, single, tolerance, what);
    else if (!Object.is(got[i], single)) {
      throw new AssertionError({ message: `${what}: expected ${single}, got ${got[i]}` });
    }
  }
}

/** Sample mean and mean squared deviation within k standard errors of mean() and variance(). */
export function checkSampleMoments(
  d: Distribution,
  seed: number,
  options: Omit<SampleMomentsOptions, keyof LawOptions> = {},
): void {
  const { samples = 20000, k = 4.5 } = options;
  const e = d.eventSize, xs = d.sampleN(createRng(seed), samples), name = nameOf(d);
  const m = asArray(d.mean()), v = asArray(d.variance());
  if (m.length !== e || v.length !== e) {
    throw new AssertionError({
      message:
        `${name}: mean() and variance() have ${m.length} and ${v.length} values, eventSize is ${e}`,
    });
  }
  const col = new Float64Array(samples), dev = new Float64Array(samples);
  for (let j = 0; j < e; j++) {
    for (let i = 0; i < samples; i++) col[i] = xs[i * e + j]!;
    const at = e === 1 ? "" : `[${j}]`;
    // 1e-300: a variance of 0 and draws all equal give an error of 0 ± 0.
    if (!Number.isFinite(m[j]!)) continue;
    assertWithinSE(meanAndStandardError(col), m[j]!, k, `${name} sample mean${at}`, 1e-300);
    if (!Number.isFinite(v[j]!)) continue;
    for (let i = 0; i < samples; i++) dev[i] = (col[i]! - m[j]!) ** 2;
    assertWithinSE(meanAndStandardError(dev), v[j]!, k, `${name} sample variance${at}`, 1e-300);
  }
}

/** entropy() within k standard errors of the average of −log p over seeded draws. */
export function checkEntropy(
  d: Distribution,
  seed: number,
  options: Omit<EntropyOptions, keyof LawOptions> = {},
): void {
  const { samples = 4000, k = 4 } = options;
  const lp = d.logProbBatch(d.sampleN(createRng(seed), samples));
  const estimate = meanAndStandardError(lp, -1);
  // Where log p is constant (a uniform) the standard error is 0: allow rounding.
  const rounding = 1e-12 * Math.max(1, Math.abs(estimate.value));
  assertWithinSE(estimate, d.entropy(), k, `${nameOf(d)}.entropy() = −E[log p]`, rounding);
}

/**
 * Asserts that `logProbBatch` agrees with `logProb` at every point, writes
 * into the `out` it is given and returns it:
 *
 * ```text
 * logProbBatch(xs)[i] = logProb(row i of xs)     (to `tolerance`; ±∞ exactly)
 * ```
 *
 * @param subject A distribution, or a fast-check arbitrary of them.
 * @param options The points (default: 20 seeded draws), tolerance and fast-check settings.
 * @throws {AssertionError} If the law fails for a case: the message names
 *   the row, the counterexample and the seed that replays it.
 *
 * @example
 * ```ts
 * import { Normal } from "@elbo/elbo";
 * import { assertLogProbBatch } from "@elbo/elbo/testing";
 *
 * assertLogProbBatch(new Normal(1, 2), { points: [-3, 0, Infinity] });
 * ```
 */
export function assertLogProbBatch<D extends Distribution>(
  subject: D | fc.Arbitrary<D>,
  options: LogProbBatchOptions = {},
): void {
  const o = readOptions("Cannot run assertLogProbBatch", options, [
    ...BATCH_OPTIONS,
    ...LAW_OPTIONS,
  ]);
  const s = batchSettings(o);
  runLaw("assertLogProbBatch", subject, (d, seed) => checkLogProbBatch(d, seed, s), lawOptions(o));
}

/**
 * Asserts that seeded draws have, coordinate by coordinate, a mean within
 * `k` standard errors of `mean()` and a mean squared deviation within `k`
 * standard errors of `variance()`, the standard errors estimated from the
 * draws:
 *
 * ```text
 * |x̄ⱼ − E[Xⱼ]| ≤ k · sⱼ/√n,   |mean((xⱼ − E[Xⱼ])²) − Var[Xⱼ]| ≤ k · s'ⱼ/√n
 * ```
 *
 * A moment that is ±∞ (a Student t with ν ≤ 2) is not checked. The
 * variance check needs a finite fourth moment to mean much.
 *
 * @param subject A distribution, or a fast-check arbitrary of them.
 * @param options Draws per case (20,000), `k` (4.5) and fast-check settings.
 * @throws {AssertionError} If the law fails for a case.
 *
 * @example
 * ```ts
 * import { assertSampleMoments, gamma } from "@elbo/elbo/testing";
 *
 * assertSampleMoments(gamma(), { numRuns: 5, seed: 1 });
 * ```
 */
export function assertSampleMoments<D extends Distribution>(
  subject: D | fc.Arbitrary<D>,
  options: SampleMomentsOptions = {},
): void {
  const o = readOptions("Cannot run assertSampleMoments", options, [
    ...MOMENTS_OPTIONS,
    ...LAW_OPTIONS,
  ]);
  const s = momentsSettings(o, 20000, 4.5);
  runLaw(
    "assertSampleMoments",
    subject,
    (d, seed) => checkSampleMoments(d, seed, s),
    lawOptions(o),
  );
}

/**
 * Asserts that `entropy()` lies within `k` standard errors of the Monte
 * Carlo estimate over `samples` seeded draws:
 *
 * ```text
 * H[p] = −E_p[log p(X)] ≈ −(1/n) Σᵢ log p(xᵢ),   xᵢ ~ p
 * ```
 *
 * @param subject A distribution, or a fast-check arbitrary of them.
 * @param options Draws per case (4,000), `k` (4) and fast-check settings.
 * @throws {AssertionError} If the law fails for a case.
 *
 * @example
 * ```ts
 * import { assertEntropy, normal } from "@elbo/elbo/testing";
 *
 * assertEntropy(normal(), { numRuns: 10, seed: 1 });
 * ```
 */
export function assertEntropy<D extends Distribution>(
  subject: D | fc.Arbitrary<D>,
  options: EntropyOptions = {},
): void {
  const o = readOptions("Cannot run assertEntropy", options, [...MOMENTS_OPTIONS, ...LAW_OPTIONS]);
  const s = momentsSettings(o, 4000, 4);
  runLaw("assertEntropy", subject, (d, seed) => checkEntropy(d, seed, s), lawOptions(o));
}

/**
 * Checks a distribution class in one call: for every case, `logProbBatch`
 * agrees with `logProb` ({@linkcode assertLogProbBatch}), sample moments
 * match `mean()` and `variance()` ({@linkcode assertSampleMoments}),
 * `entropy()` is −E[log p] ({@linkcode assertEntropy}), and — for a
 * univariate distribution — the density integrates (or the masses sum) to
 * 1 ({@linkcode assertIntegratesToOne}).
 *
 * ```text
 * logProbBatch = logProb,  x̄ → E[X],  mean((x − E[X])²) → Var[X],
 * −mean(log p(x)) → H[p],  ∫ p(x) dx = 1
 * ```
 *
 * @param subject A distribution, or a fast-check arbitrary of them.
 * @param options fast-check settings, and per law its settings or `false` to skip it.
 * @throws {AssertionError} If a law fails for a case: the message names the
 *   law, the counterexample and the seed that replays it.
 *
 * @example
 * ```ts
 * import { assertDistributionLaws, laplace } from "@elbo/elbo/testing";
 *
 * assertDistributionLaws(laplace(), { numRuns: 5, seed: 1 });
 * ```
 */
export function assertDistributionLaws<D extends Distribution>(
  subject: D | fc.Arbitrary<D>,
  options: DistributionLawsOptions = {},
): void {
  const laws = ["batch", "moments", "entropy", "integrate"] as const;
  const o = readOptions("Cannot run assertDistributionLaws", options, [...laws, ...LAW_OPTIONS]);
  const batch = o.get("batch") === false ? false : batchSettings(o.object("batch", BATCH_OPTIONS));
  const moments = o.get("moments") === false
    ? false
    : momentsSettings(o.object("moments", MOMENTS_OPTIONS), 20000, 4.5);
  const entropy = o.get("entropy") === false
    ? false
    : momentsSettings(o.object("entropy", MOMENTS_OPTIONS), 4000, 4);
  const integrate = o.get("integrate") === false
    ? false
    : integrateSettings<Distribution>(o.object("integrate", INTEGRATE_OPTIONS));
  runLaw("assertDistributionLaws", subject, (d, seed) => {
    if (batch) checkLogProbBatch(d, seed, batch);
    if (moments) checkSampleMoments(d, seed + 1, moments);
    if (entropy) checkEntropy(d, seed + 2, entropy);
    if (integrate && d.eventSize === 1) checkIntegratesToOne(d, seed + 3, integrate);
  }, lawOptions(o));
}
