/**
 * Worked example: counts with a Gamma prior on their rate, a model whose
 * posterior and evidence are known exactly, fitted by black-box VI.
 *
 * ```text
 * λ ~ Gamma(a, b),   yᵢ | λ ~ Poisson(λ)  (i = 1…n)
 * p(λ | y) = Gamma(a + Σy, b + n)
 * log p(y) = a log b − log Γ(a) + log Γ(a + Σy) − (a + Σy) log(b + n) − Σ log yᵢ!
 * ```
 *
 * The surrogate is a Gaussian pushed through `Exp` (so λ > 0): a log-normal,
 * not the Gamma posterior, so its ELBO stays below log p(y), and the
 * importance-weighted bounds climb towards log p(y) as k grows.
 *
 * Run: `deno run --allow-read examples/gamma_poisson.ts`
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Estimate, logGamma } from "../mod.ts";
import {
  elbo,
  Exp,
  fitSurrogatePosterior,
  Gamma,
  importanceWeightedBound,
  meanFieldSurrogate,
  Poisson,
} from "../tensor.ts";
import { printTable } from "./_table.ts";

/** The counts (made up, but fixed) and the prior Gamma(a, b). */
export const COUNTS = [3, 7, 4, 6, 2, 5, 8, 4, 3, 6];
/** Prior concentration a and rate b. */
export const PRIOR = { a: 2, b: 0.5 };

/** The exact posterior and log evidence. */
export function exact(): {
  concentration: number;
  rate: number;
  mean: number;
  logEvidence: number;
} {
  const { a, b } = PRIOR, n = COUNTS.length, s = COUNTS.reduce((x, y) => x + y, 0);
  const logFactorials = COUNTS.reduce((t, y) => t + logGamma(y + 1), 0);
  const logEvidence = a * Math.log(b) - logGamma(a) + logGamma(a + s) -
    (a + s) * Math.log(b + n) - logFactorials;
  return { concentration: a + s, rate: b + n, mean: (a + s) / (b + n), logEvidence };
}

/** log p(λ, y) for λ of shape [m, 1]: the user's model, in tfjs ops. */
export function target(lambda: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const prior = new Gamma(PRIOR.a, PRIOR.b), lik = new Poisson(lambda);
    const lp = tf.add(prior.logProb(lambda), tf.sum(lik.logProb(tf.tensor1d(COUNTS)), 1, true));
    prior.dispose();
    return tf.squeeze(lp, [1]);
  });
}

/** What {@linkcode run} measures. */
export interface GammaPoissonResult {
  /** The exact answers. */
  exact: ReturnType<typeof exact>;
  /** The fitted surrogate's posterior mean of λ (by 20,000 draws). */
  fittedMean: number;
  /** Its ELBO. */
  elbo: Estimate;
  /** Importance-weighted bounds for growing k. */
  bounds: { k: number; estimate: Estimate }[];
}

/** Fits the surrogate and measures its bounds against the exact log evidence. */
export async function run(steps = 1500, seed = 1): Promise<GammaPoissonResult> {
  const q = meanFieldSurrogate(1, { bijector: new Exp(), seed });
  try {
    await fitSurrogatePosterior(target, q, { steps, samples: 8, estimator: "stl", seed });
    const draws = q.sample(20000, seed + 1);
    const fittedMean = (await draws.mean().data())[0]!;
    draws.dispose();
    const e = await elbo(target, q, { samples: 20000, seed: seed + 2 });
    const bounds = [];
    for (const k of [1, 10, 100, 1000]) {
      const estimate = await importanceWeightedBound(target, q, {
        k,
        samples: Math.max(20, 20000 / k),
        seed: seed + 3 + k,
      });
      bounds.push({ k, estimate });
    }
    return { exact: exact(), fittedMean, elbo: e, bounds };
  } finally {
    q.dispose();
  }
}

if (import.meta.main) {
  const r = await run();
  const f = (e: Estimate) => `${e.value.toFixed(4)} ± ${e.standardError.toFixed(4)}`;
  printTable(["quantity", "fitted q", "exact"], [
    ["posterior mean of λ", r.fittedMean.toFixed(4), r.exact.mean.toFixed(4)],
    ["ELBO vs log p(y)", f(r.elbo), r.exact.logEvidence.toFixed(4)],
    ...r.bounds.map(({ k, estimate }) => [`L_${k}`, f(estimate), r.exact.logEvidence.toFixed(4)]),
  ]);
}
