// A density integrates to 1 (adaptive Simpson quadrature), a mass function
// sums to 1: the normalisation law of a univariate distribution.
import type { Bijector } from "../bijectors/bijector.ts";
import { createRng, type Rng } from "../math/rng.ts";
import type fc from "fast-check";
import { AssertionError } from "node:assert/strict";
import type { LawOptions } from "./law_options.ts";
import { nameOf, runLaw } from "./_run.ts";
import { assertClose, type Tolerance } from "./tolerance.ts";
import { readOptions } from "../math/_options.ts";
import { INTEGRATE_OPTIONS, integrateSettings, LAW_OPTIONS, lawOptions } from "./_options.ts";

/**
 * What {@linkcode assertIntegratesToOne} needs of a distribution: a
 * log-density of numbers, and draws to find where its mass lies unless a
 * `support` is given. Every univariate distribution of the core fits.
 */
export interface Density {
  /** log p(x); −∞ off the support. */
  logProb(x: number): number;
  /** `n` seeded draws (needed unless `support` is given). */
  sampleN?(rng: Rng, n: number): Float64Array;
  /** 1 if present: the law checks univariate distributions only. */
  readonly eventSize?: number;
}

/** Options of {@linkcode assertIntegratesToOne}. */
export interface IntegrateOptions<D extends Density = Density> extends LawOptions {
  /**
   * The interval to integrate over (in u if `transform` is given), or a
   * function of the distribution giving it. By default the whole line, mapped
   * onto (−1, 1) around the median and interquartile range of 10,000 seeded
   * draws; for a mass function, the range of the draws widened by three times
   * its width on each side.
   */
  support?: [number, number] | ((d: D) => [number, number]);
  /**
   * Integrate over u with x = transform.forward(u), the density becoming
   * p(f(u)) · |f′(u)|: for densities unbounded at an end of their support
   * (a Gamma with α < 1 over u = log x with `new Exp()`; a Beta over the
   * logit with `new Sigmoid()`).
   */
  transform?: Bijector;
  /**
   * Sum masses over the integers instead of integrating; by default, whether
   * the draws are all integers.
   */
  discrete?: boolean;
  /** How close to 1 the total must be (default `{ abs: 1e-6 }`). */
  tolerance?: Tolerance;
}

/** Panels of the quadrature before any refinement, and the deepest refinement. */
const PANELS = 1000, DEPTH = 30, DRAWS = 10000, MAX_TERMS = 1e7;

/**
 * ∫ₐᵇ f by adaptive Simpson, refining where the two halves disagree with the
 * whole by more than `tol` (halved at each level) and than rounding.
 */
function adaptive(
  f: (x: number) => number,
  a: number,
  b: number,
  fa: number,
  fm: number,
  fb: number,
  whole: number,
  tol: number,
  depth: number,
): number {
  const m = (a + b) / 2, flm = f((a + m) / 2), frm = f((m + b) / 2);
  const left = ((m - a) / 6) * (fa + 4 * flm + fm), right = ((b - m) / 6) * (fm + 4 * frm + fb);
  const delta = left + right - whole;
  if (depth <= 0 || Math.abs(delta) <= Math.max(15 * tol, 1e-14 * Math.abs(whole))) {
    return left + right + delta / 15;
  }
  return adaptive(f, a, m, fa, flm, fm, left, tol / 2, depth - 1) +
    adaptive(f, m, b, fm, frm, fb, right, tol / 2, depth - 1);
}

/** ∫ₗₒʰⁱ f over PANELS panels, each refined adaptively. */
function integrate(f: (x: number) => number, lo: number, hi: number, tol: number): number {
  const h = (hi - lo) / PANELS;
  let total = 0, fa = f(lo);
  for (let i = 0; i < PANELS; i++) {
    const a = lo + i * h, b = i === PANELS - 1 ? hi : a + h;
    const fm = f((a + b) / 2), fb = f(b);
    total += adaptive(f, a, b, fa, fm, fb, ((b - a) / 6) * (fa + 4 * fm + fb), tol / PANELS, DEPTH);
    fa = fb;
  }
  return total;
}

/** Seeded draws of `d`, in u = transform⁻¹(x) if a transform is given, sorted. */
function draws<D extends Density>(d: D, seed: number, transform?: Bijector): Float64Array {
  if (typeof d.sampleN !== "function") {
    throw new TypeError(
      `Cannot check that ${nameOf(d)} integrates to 1 as it has no sampleN: pass a support`,
    );
  }
  const us: number[] = [];
  for (const x of d.sampleN(createRng(seed), DRAWS)) {
    if (!transform) us.push(x);
    else if (transform.inRange(x)) us.push(transform.inverse(x));
  }
  return Float64Array.from(us).sort();
}

/** Σₖ p(k) over the integers of [lo, hi]. */
function sumMasses(d: Density, lo: number, hi: number): number {
  const from = Math.ceil(lo), to = Math.floor(hi);
  if (to - from + 1 > MAX_TERMS) {
    throw new RangeError(
      `Cannot sum the masses of ${nameOf(d)} over ${
        to - from + 1
      } integers (at most ${MAX_TERMS}): pass a narrower support`,
    );
  }
  let sum = 0;
  for (let k = from; k <= to; k++) sum += Math.exp(d.logProb(k));
  return sum;
}

/** The normalisation law for one distribution (see {@linkcode assertIntegratesToOne}). */
export function checkIntegratesToOne<D extends Density>(
  d: D,
  seed: number,
  options: Omit<IntegrateOptions<D>, keyof LawOptions> = {},
): void {
  const name = nameOf(d);
  if (d.eventSize !== undefined && d.eventSize !== 1) {
    throw new TypeError(
      `Cannot check that ${name} integrates to 1 as it is not univariate: eventSize is ${d.eventSize}`,
    );
  }
  const { transform, tolerance = { abs: 1e-6 } } = options;
  const given = typeof options.support === "function" ? options.support(d) : options.support;
  const discrete = options.discrete ??
    (typeof d.sampleN === "function" &&
      d.sampleN(createRng(seed), 64).every((x) => Number.isInteger(x)));
  if (given) {
    const [lo, hi] = given;
    if (!(lo < hi || (discrete && lo === hi)) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new RangeError(
        `Cannot check that ${name} integrates to 1 over [${lo}, ${hi}]: it must be a finite interval`,
      );
    }
  }
  if (discrete) {
    let [lo, hi] = given ?? [0, 0];
    if (!given) {
      // The range of the draws, widened by three times its width on each side.
      const us = draws(d, seed), w = Math.max(us[us.length - 1]! - us[0]!, 1);
      [lo, hi] = [us[0]! - 3 * w, us[us.length - 1]! + 3 * w];
    }
    assertClose(sumMasses(d, lo, hi), 1, tolerance, `${name}: Σ p(k) over {${lo}, …, ${hi}}`);
    return;
  }
  const f = (u: number): number => {
    const x = transform ? transform.forward(u) : u;
    // Far out in u, f(u) rounds onto the edge of its range (e^−800 = 0): no mass there.
    if (transform && !transform.inRange(x)) return 0;
    const v = Math.exp(d.logProb(x) + (transform ? transform.forwardLogDetJacobian(u) : 0));
    if (!Number.isFinite(v)) {
      throw new AssertionError({
        message: `${name}: the density is ${v} at x = ${x}${
          transform ? ` (u = ${u})` : ""
        }; for a density unbounded at an end of its support, integrate over a transformed variable (option transform)`,
      });
    }
    return v;
  };
  const tol = Math.max((tolerance.abs ?? 0) + (tolerance.rel ?? 1e-12), 1e-12) / 100;
  let total: number, over: string;
  if (given) {
    total = integrate(f, given[0], given[1], tol);
    over = `${transform ? "u ∈ " : ""}[${given[0]}, ${given[1]}]`;
  } else {
    // The whole line, as u = c + s·t/(1 − t²) for t ∈ (−1, 1), centred on the
    // median of the draws and scaled by their interquartile range: no tail is cut.
    const us = draws(d, seed, transform), n = us.length;
    const c = us[n >> 1]!, iqr = us[(3 * n) >> 2]! - us[n >> 2]!;
    const s = iqr > 0 ? iqr : Math.max(1e-3 * Math.abs(c), 1e-300);
    total = integrate(
      (t) => {
        if (!(t > -1 && t < 1)) return 0;
        const e = 1 - t * t, v = f(c + (s * t) / e);
        return v === 0 ? 0 : v * s * (1 + t * t) / (e * e);
      },
      -1,
      1,
      tol,
    );
    over = `the whole line (${transform ? "u" : "x"} = ${c} + ${s}·t/(1 − t²))`;
  }
  assertClose(
    total,
    1,
    tolerance,
    `${name}: ∫ p(x) dx over ${over} (a density unbounded at an end of its support needs a transform)`,
  );
}

/**
 * Asserts that a univariate density integrates to 1, or that a mass
 * function sums to 1, over the support:
 *
 * ```text
 * ∫ p(x) dx = 1                     (adaptive Simpson quadrature)
 * ∫ p(f(u)) |f′(u)| du = 1          (with a transform f)
 * Σₖ p(k) = 1                        (discrete: over the integers of the support)
 * ```
 *
 * By default the integral runs over the whole line, mapped onto (−1, 1) by
 * x = c + s·t/(1 − t²) with c and s the median and interquartile range of
 * 10,000 seeded draws, so that no tail is cut off; a mass function is summed
 * over the range of the draws widened by three times its width on each side.
 *
 * @param subject A distribution (or any {@linkcode Density}), or a fast-check arbitrary of them.
 * @param options Support, transform, discreteness, tolerance and fast-check settings.
 * @throws {AssertionError} If the total is not 1 to the tolerance, or the
 *   density is not finite somewhere on the interval; also, naming the cause,
 *   if the distribution is not univariate, the support is not a finite
 *   interval, or there is neither `sampleN` nor a `support`.
 *
 * @example
 * ```ts
 * import { Exp } from "@elbo/elbo";
 * import { assertIntegratesToOne, gamma, poisson } from "@elbo/elbo/testing";
 *
 * assertIntegratesToOne(gamma(), { numRuns: 5 });
 * assertIntegratesToOne(gamma(), { numRuns: 5, transform: new Exp() });
 * assertIntegratesToOne(poisson(), { numRuns: 5 }); // sums the masses
 * ```
 */
export function assertIntegratesToOne<D extends Density>(
  subject: D | fc.Arbitrary<D>,
  options: IntegrateOptions<D> = {},
): void {
  const o = readOptions("Cannot run assertIntegratesToOne", options, [
    ...INTEGRATE_OPTIONS,
    ...LAW_OPTIONS,
  ]);
  const s = integrateSettings<D>(o);
  runLaw(
    "assertIntegratesToOne",
    subject,
    (d, seed) => checkIntegratesToOne(d, seed, s),
    lawOptions(o),
  );
}
