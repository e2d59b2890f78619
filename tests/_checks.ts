// Checks shared by the distribution tests.
import { createRng, type Distribution, meanAndStandardError } from "../mod.ts";
import { assertClose, assertWithinSE } from "./_tolerance.ts";

/** entropy() = −E[log p(X)] within 4 standard errors of a seeded estimate. */
export function checkEntropyByMonteCarlo(d: Distribution, seed: number, samples = 4000): void {
  const lp = d.logProbBatch(d.sampleN(createRng(seed), samples));
  assertWithinSE(meanAndStandardError(lp, -1), d.entropy(), 4, `entropy of ${d.constructor.name}`);
}

/** ∫ p(x) dx = 1 over [lo, hi] by composite Simpson's rule. */
export function checkIntegratesToOne(
  logProb: (x: number) => number,
  lo: number,
  hi: number,
  n = 20000,
): void {
  const h = (hi - lo) / n;
  let s = Math.exp(logProb(lo)) + Math.exp(logProb(hi));
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(logProb(lo + i * h));
  assertClose((s * h) / 3, 1, { abs: 1e-8 }, "∫ p(x) dx");
}

/** logProbBatch agrees with logProb point by point. */
export function checkBatchMatches(d: Distribution, xs: Float64Array): void {
  const out = d.logProbBatch(xs);
  const k = d.eventSize;
  for (let i = 0; i < out.length; i++) {
    const x = k === 1 ? xs[i]! : xs.subarray(i * k, (i + 1) * k);
    assertClose(out[i]!, (d.logProb as (x: number | Float64Array) => number)(x), { abs: 1e-12 });
  }
}
