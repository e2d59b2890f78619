/**
 * Worked example: eight schools (Rubin 1981; Gelman et al., Bayesian Data
 * Analysis, §5.5), the classic hierarchical model, non-centred, with the
 * group scale τ kept positive through `Softplus`.
 *
 * ```text
 * μ ~ N(0, 5²),   τ ~ HalfCauchy(0, 5),   ηⱼ ~ N(0, 1),   θⱼ = μ + τ ηⱼ
 * yⱼ | θⱼ ~ N(θⱼ, σⱼ²)   (j = 1…8)
 * latents z = (μ, u, η₁…η₈), τ = softplus(u):
 * log p(z, y) = log p(μ) + log p_τ(softplus(u)) + log |dτ/du| + Σⱼ [log N(ηⱼ) + log N(yⱼ; θⱼ, σⱼ)]
 * ```
 *
 * (The bijector's `forwardLogDetJacobian` supplies log |dτ/du|: the change of
 * variables that lets an unconstrained Gaussian surrogate describe τ > 0.)
 *
 * The reference posterior means come from integrating θ out (yⱼ | μ, τ ~
 * N(μ, σⱼ² + τ²)) and the two-dimensional (μ, log τ) posterior on a
 * 3601 × 4001 grid with numpy/scipy; they agree with the values usually
 * published for this model and prior (μ ≈ 4.4, τ ≈ 3.6). Mean-field VI is
 * known to shrink τ (it cannot represent the funnel between τ and η), and
 * the θⱼ with it; the table shows by how much.
 *
 * Run: `deno run --allow-read examples/eight_schools.ts`
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { fitSurrogatePosterior, meanFieldSurrogate, Normal, Softplus } from "../tensor.ts";
import { printTable } from "./_table.ts";

/** Estimated coaching effects yⱼ (SAT points). */
export const Y = [28, 8, -3, 7, -1, 1, 18, 12];
/** Standard errors σⱼ. */
export const SIGMA = [15, 10, 16, 11, 9, 11, 10, 18];

/**
 * Posterior means E[μ], E[τ], E[θⱼ] by quadrature (numpy/scipy, see above):
 * python3 with scipy.stats on μ ∈ [−40, 50] (3601 points) × log τ ∈ [−12, 6]
 * (4001 points), E[θⱼ | μ, τ, y] in closed form.
 */
export const REFERENCE = {
  mu: 4.3968,
  tau: 3.5977,
  theta: [6.212, 4.94, 3.927, 4.757, 3.615, 4.043, 6.297, 4.854],
};

const softplus = new Softplus();
const HALF_CAUCHY_SCALE = 5;

/** Splits z = [m, 10] into μ [m, 1], τ [m, 1] (with log |dτ/du|) and η [m, 8]. */
function unpack(z: tf.Tensor) {
  const mu = tf.slice(z, [0, 0], [-1, 1]), u = tf.slice(z, [0, 1], [-1, 1]);
  const eta = tf.slice(z, [0, 2], [-1, 8]);
  return { mu, u, tau: softplus.forward(u), eta };
}

/** log p(z, y) for z = (μ, u, η₁…η₈) of shape [m, 10]. */
export function target(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const { mu, u, tau, eta } = unpack(z);
    const s = HALF_CAUCHY_SCALE;
    // HalfCauchy(0, s): log 2 − log(π s) − log(1 + (τ/s)²).
    const logTau = tf.sub(Math.log(2 / (Math.PI * s)), tf.log1p(tf.square(tf.div(tau, s))));
    const theta = tf.add(mu, tf.mul(tau, eta));
    const lik = new Normal(theta, tf.tensor1d(SIGMA)).logProb(tf.tensor1d(Y));
    const terms = [
      new Normal(0, 5).logProb(mu),
      logTau,
      softplus.forwardLogDetJacobian(u, 0),
      tf.sum(new Normal(0, 1).logProb(eta), 1, true),
      tf.sum(lik, 1, true),
    ];
    return tf.squeeze(tf.addN(terms), [1]);
  });
}

/** Posterior means under the fitted surrogate. */
export interface EightSchoolsResult {
  /** E_q[μ]. */
  mu: number;
  /** E_q[τ]. */
  tau: number;
  /** E_q[θⱼ]. */
  theta: number[];
  /** The last 100 steps' mean loss (−ELBO). */
  finalLoss: number;
}

/** Fits a mean-field surrogate and reads its posterior means from draws. */
export async function run(steps = 3000, seed = 1): Promise<EightSchoolsResult> {
  const q = meanFieldSurrogate(10, { seed });
  try {
    const { losses } = await fitSurrogatePosterior(target, q, {
      steps,
      learningRate: 0.02,
      samples: 16,
      seed,
    });
    const means = tf.tidy(() => {
      const { mu, tau, eta } = unpack(q.sample(20000, seed + 1));
      return tf.concat([mu, tau, tf.add(mu, tf.mul(tau, eta))], 1).mean(0);
    });
    const m = Array.from(await means.data());
    means.dispose();
    const last = losses.slice(-100);
    return {
      mu: m[0]!,
      tau: m[1]!,
      theta: m.slice(2),
      finalLoss: last.reduce((a, b) => a + b, 0) / last.length,
    };
  } finally {
    q.dispose();
  }
}

if (import.meta.main) {
  const r = await run();
  printTable(["quantity", "mean-field VI", "reference (quadrature)"], [
    ["μ", r.mu.toFixed(2), REFERENCE.mu.toFixed(2)],
    ["τ", r.tau.toFixed(2), REFERENCE.tau.toFixed(2)],
    ...r.theta.map((t, j) => [`θ${j + 1}`, t.toFixed(2), REFERENCE.theta[j]!.toFixed(2)]),
  ]);
}
