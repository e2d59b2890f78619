import type { Distribution } from "../distributions/distribution.ts";
import { readOptions } from "../math/_options.ts";
import { className } from "../math/_pair_registry.ts";
import { type Estimate, meanAndStandardError } from "../math/mean_and_standard_error.ts";
import type { Rng } from "../math/rng.ts";

/** Options of the Monte Carlo divergences. */
export interface MonteCarloOptions {
  /** Number of draws (integer ≥ 2). */
  samples: number;
  /** The random source. */
  rng: Rng;
}

/** Checks the arguments shared by the Monte Carlo divergences; returns the checked options. */
export function checkMonteCarlo(
  what: string,
  p: Distribution,
  q: Distribution,
  options: MonteCarloOptions,
): MonteCarloOptions {
  for (const [name, v] of [["p", p], ["q", q]] as const) {
    if (
      v === null || typeof v !== "object" || typeof v.logProbBatch !== "function" ||
      typeof v.sampleN !== "function" || !Number.isSafeInteger(v.eventSize) || v.eventSize < 1
    ) {
      throw new TypeError(
        `Cannot compute ${what} as ${name} must be a distribution: current value is ${
          className(v)
        }`,
      );
    }
  }
  if (p.eventSize !== q.eventSize) {
    throw new TypeError(
      `Cannot compute ${what} as p and q differ in size: p has ${p.eventSize} coordinates, q has ${q.eventSize}`,
    );
  }
  const o = readOptions(`Cannot compute ${what}`, options, ["samples", "rng"]);
  return { samples: o.count("samples", { min: 2, perItem: p.eventSize }), rng: o.rng("rng") };
}

/**
 * log p(x) − log q(x) at a draw of p, refusing the undefined ∞ − ∞ (a draw
 * where p itself has zero or infinite density) with a RangeError.
 */
export function logRatioTerm(what: string, lp: number, lq: number, i: number): number {
  const d = lp - lq;
  if (d !== d) {
    throw new RangeError(
      `Cannot compute ${what} as log p(x) − log q(x) is undefined at draw ${i} of p: log p(x) = ${lp} and log q(x) = ${lq}`,
    );
  }
  return d;
}

/**
 * Monte Carlo KL(p ‖ q) for any pair with `logProb` and `sample` — the way a
 * mixture gets a KL:
 *
 * ```text
 * KL ≈ (1/n) Σᵢ [log p(xᵢ) − log q(xᵢ)],   xᵢ ~ p
 * ```
 *
 * @param p The distribution to sample from.
 * @param q The other distribution, of the same event size.
 * @param options `samples` and `rng`.
 * @returns The estimate and its standard error (+∞ and +∞ if q has zero
 *   density at a draw of p).
 * @throws {TypeError} If an argument is not a distribution or sizes differ,
 *   `rng` is not an Rng, or `options` has a key other than these.
 * @throws {RangeError} If `samples` is not an integer ≥ 2, or so large that
 *   the draws would not fit in one array of 2²⁷ values.
 *
 * @example
 * ```ts
 * import { createRng, klDivergence, klMonteCarlo, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = new Normal(0, 1), q = new Normal(1, 2);
 * const { value, standardError } = klMonteCarlo(p, q, { samples: 20000, rng: createRng(0) });
 * assert.ok(Math.abs(value - klDivergence(p, q)) < 4 * standardError);
 * ```
 */
export function klMonteCarlo(
  p: Distribution,
  q: Distribution,
  options: MonteCarloOptions,
): Estimate {
  const { samples, rng } = checkMonteCarlo("klMonteCarlo", p, q, options);
  const xs = p.sampleN(rng, samples);
  const lp = p.logProbBatch(xs);
  const lq = q.logProbBatch(xs);
  for (let i = 0; i < lp.length; i++) lp[i] = logRatioTerm("klMonteCarlo", lp[i]!, lq[i]!, i);
  return meanAndStandardError(lp);
}
