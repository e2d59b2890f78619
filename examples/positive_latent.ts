/**
 * Worked example: the notes' model with its latent kept positive.
 *
 * ```text
 * z ~ Exponential(1)  (z > 0),   x | z ~ N(z, 1)
 * p(z | x) ∝ e^{−z} N(x; z, 1) on z > 0: N(x − 1, 1) truncated to z > 0
 * log p(x) = log ∫₀^∞ e^{−z} N(x; z, 1) dz = ½ − x + log Φ(x − 1)
 * ```
 *
 * The float64 core's version (`exponentialGaussianModel`) fits q = N(μ, σ²)
 * on the whole line to the log joint −z − ½(x − z)², ignoring z > 0: its
 * optimum is μ = x − 1, σ = 1, which for x = 0.5 puts 69 % of q's mass on
 * impossible negative z. Here the same model is fitted twice by black-box
 * VI: unconstrained as the notes do, and with z = softplus(u) so every draw
 * is positive. The exact posterior mean and log evidence come from
 * quadrature (Simpson's rule on [0, 40] in float64).
 *
 * Run: `deno run --allow-read examples/positive_latent.ts`
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Estimate } from "../mod.ts";
import {
  elbo,
  Exponential,
  fitSurrogatePosterior,
  meanFieldSurrogate,
  Normal,
  Softplus,
} from "../tensor.ts";
import { printTable } from "./_table.ts";

/** The observation. */
export const X = 0.5;

/** log p(z, x) with the support respected: −∞ for z ≤ 0. z is [m, 1]. */
export function constrainedTarget(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const prior = new Exponential(1);
    const lp = tf.add(prior.logProb(z), new Normal(z, 1).logProb(X));
    prior.dispose();
    return tf.squeeze(lp, [1]);
  });
}

/** The notes' log joint −z − ½ log 2π − ½ (x − z)², used on all of ℝ. */
export function unconstrainedTarget(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.squeeze(tf.sub(new Normal(z, 1).logProb(X), z), [1]));
}

/** The exact posterior mean and log evidence, by quadrature. */
export function exact(): { mean: number; logEvidence: number } {
  const n = 400000, hi = 40, h = hi / n;
  const f = (z: number) => Math.exp(-z - 0.5 * Math.log(2 * Math.PI) - 0.5 * (X - z) ** 2);
  let mass = 0, first = 0;
  for (let i = 0; i <= n; i++) {
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2, z = i * h;
    mass += w * f(z);
    first += w * z * f(z);
  }
  return { mean: first / mass, logEvidence: Math.log((mass * h) / 3) };
}

/** One fit's summary. */
export interface FitSummary {
  /** The surrogate's mean of z (by 20,000 draws). */
  mean: number;
  /** The fraction of its draws below 0. */
  negative: number;
  /** Its ELBO under the constrained (proper) model: −∞ if any draw is negative. */
  elbo: Estimate;
}

/** Fits both ways and summarises each fit. */
export async function run(steps = 1500, seed = 1): Promise<{
  exact: ReturnType<typeof exact>;
  unconstrained: FitSummary;
  constrained: FitSummary;
}> {
  const fit = async (bijector: Softplus | undefined, target: typeof constrainedTarget) => {
    const q = meanFieldSurrogate(1, { bijector, seed });
    try {
      await fitSurrogatePosterior(target, q, { steps, samples: 8, estimator: "stl", seed });
      const draws = q.sample(20000, seed + 1);
      const v = Array.from(await draws.data());
      draws.dispose();
      return {
        mean: v.reduce((a, b) => a + b, 0) / v.length,
        negative: v.filter((z) => z < 0).length / v.length,
        elbo: await elbo(constrainedTarget, q, { samples: 20000, seed: seed + 2 }),
      };
    } finally {
      q.dispose();
    }
  };
  return {
    exact: exact(),
    unconstrained: await fit(undefined, unconstrainedTarget),
    constrained: await fit(new Softplus(), constrainedTarget),
  };
}

if (import.meta.main) {
  const r = await run();
  const f = (e: Estimate) =>
    Number.isFinite(e.value) ? `${e.value.toFixed(4)} ± ${e.standardError.toFixed(4)}` : "−∞";
  printTable(["fit", "mean of z", "P(z < 0)", "ELBO (proper model)"], [
    [
      "unconstrained N(μ, σ²)",
      r.unconstrained.mean.toFixed(4),
      r.unconstrained.negative.toFixed(3),
      f(r.unconstrained.elbo),
    ],
    [
      "softplus(N(μ, σ²))",
      r.constrained.mean.toFixed(4),
      r.constrained.negative.toFixed(3),
      f(r.constrained.elbo),
    ],
    [
      "exact posterior",
      r.exact.mean.toFixed(4),
      "0",
      `log p(x) = ${r.exact.logEvidence.toFixed(4)}`,
    ],
  ]);
}
