// The variance study behind `deno task variance`: every ELBO and gradient
// estimator repeated at each sample count on a conjugate and a
// non-conjugate model, then the signal-to-noise ratio of the
// importance-weighted gradient as k grows — the numbers, without the
// printing and the figures.
import { DiagNormal } from "../distributions/diag_normal.ts";
import { createRng, type Rng } from "../math/rng.ts";
import { elbo } from "../estimators/elbo.ts";
import {
  elboGradient,
  type ElboGradientEstimator,
  importanceWeightedGradient,
} from "../estimators/elbo_gradient.ts";
import { fitVariational } from "../estimators/fit_variational.ts";
import type { GaussianFamily, LatentModel } from "../targets/latent_model.ts";
import { linearGaussianModel } from "../targets/linear_gaussian_model.ts";
import {
  logisticRegressionData,
  logisticRegressionModel,
} from "../targets/logistic_regression_model.ts";

/** The sample counts S of the table. */
export const SAMPLES = [1, 10, 100, 1000];
/** The k of the SNR study. */
export const KS = [1, 3, 10, 30, 100, 300];

/** One cell of the table. */
export interface Row {
  model: string;
  point: string;
  estimator: string;
  samples: number;
  mean: number;
  variance: number;
  microseconds: number;
}

interface Case {
  model: string;
  point: string;
  m: LatentModel<Float64Array>;
  x: Float64Array;
  q: GaussianFamily;
}

type Estimator = {
  name: string;
  minSamples: number;
  run: (c: Case, s: number, rng: Rng) => Float64Array;
};

/** The estimators, in table order. */
export const ESTIMATORS: Estimator[] = [
  ...(["monteCarlo", "analyticKL"] as const).map((method) => ({
    name: `ELBO ${method}`,
    minSamples: 1,
    run: (c: Case, s: number, rng: Rng) =>
      Float64Array.of(elbo(c.m, c.q, c.x, { method, samples: s, rng }).value),
  })),
  ...([
    "scoreFunction",
    "scoreFunctionBaseline",
    "reparameterization",
    "stickingTheLanding",
  ] as ElboGradientEstimator[]).map(
    (estimator) => ({
      name: `∇ ${estimator}`,
      minSamples: estimator === "scoreFunctionBaseline" ? 2 : 1,
      run: (c: Case, s: number, rng: Rng) => {
        const g = elboGradient(c.m, c.q, c.x, { estimator, samples: s, rng });
        const out = new Float64Array(g.loc.length + g.scale.length);
        out.set(g.loc);
        out.set(g.scale, g.loc.length);
        return out;
      },
    }),
  ),
];

/** Repeats an estimator; returns mean of coordinate 0, summed variance, µs per call. */
function measure(
  run: () => Float64Array,
  reps: number,
): { mean: number; variance: number; microseconds: number } {
  const draws: Float64Array[] = [];
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) draws.push(run());
  const microseconds = ((performance.now() - t0) * 1000) / reps;
  const P = draws[0]!.length;
  let variance = 0, mean0 = 0;
  for (let j = 0; j < P; j++) {
    let m = 0;
    for (const d of draws) m += d[j]!;
    m /= reps;
    if (j === 0) mean0 = m;
    let ss = 0;
    for (const d of draws) ss += (d[j]! - m) ** 2;
    variance += ss / (reps - 1);
  }
  return { mean: mean0, variance, microseconds };
}

function cases(rng: Rng): Case[] {
  const lin = linearGaussianModel({
    weight: [[1, 0.5], [0.2, 1], [0.3, -0.4], [-0.8, 0.1], [0.5, 0.5]],
    bias: [0, 0, 1, 0.5, -0.5],
    noiseScale: 0.7,
  });
  const x = new Float64Array([0.3, -1, 2, 0.4, 0.1]);
  const post = lin.posterior(x);
  const data = logisticRegressionData(rng, { examples: 50, dimension: 3 });
  const logit = logisticRegressionModel({ features: data.features, dimension: 3 });
  const start = (k: number) => new DiagNormal(new Float64Array(k), new Float64Array(k).fill(1));
  const fitted = fitVariational(logit, data.labels, {
    init: start(3),
    estimator: "stickingTheLanding",
    steps: 3000,
    rng,
  }).q;
  return [
    { model: "linear-Gaussian", point: "start q = N(0, I)", m: lin, x, q: start(2) },
    { model: "linear-Gaussian", point: "optimum q = p(z|x)", m: lin, x, q: post },
    {
      model: "logistic regression",
      point: "start q = N(0, I)",
      m: logit,
      x: data.labels,
      q: start(3),
    },
    {
      model: "logistic regression",
      point: "fitted q (near optimum)",
      m: logit,
      x: data.labels,
      q: fitted,
    },
  ];
}

/** One k of the SNR study, for IWAE or DReG: the mean of ∂L_k/∂μ₀, one replication's sd, and |mean| / sd. */
export interface SnrPoint {
  mean: number;
  sd: number;
  snr: number;
}

/**
 * Runs the study: every (model, point q, estimator, S) cell repeated `reps`
 * times (a quarter as many at S = 1000), then IWAE's and DReG's SNR at each
 * k of {@linkcode KS} on the linear-Gaussian model at q = N(0, I), all from
 * one seeded stream.
 *
 * @param tick Called after each (model, estimator) pair, for progress.
 */
export function varianceStudy(
  seed: number,
  reps: number,
  tick: () => void = () => {},
): { rows: Row[]; snr: { iwae: SnrPoint[]; dreg: SnrPoint[] } } {
  const rng = createRng(seed);
  const rows: Row[] = [];
  const all = cases(rng.split());
  for (const c of all) {
    for (const e of ESTIMATORS) {
      for (const s of SAMPLES) {
        const samples = Math.max(s, e.minSamples);
        const r = measure(
          () => e.run(c, samples, rng),
          s >= 1000 ? Math.max(3, Math.floor(reps / 4)) : reps,
        );
        rows.push({ model: c.model, point: c.point, estimator: e.name, samples, ...r });
      }
      tick();
    }
  }
  const lin = all[0]!;
  const snr: { iwae: SnrPoint[]; dreg: SnrPoint[] } = { iwae: [], dreg: [] };
  for (const k of KS) {
    for (const estimator of ["iwae", "dreg"] as const) {
      const g = importanceWeightedGradient(lin.m, lin.q, lin.x, {
        k,
        estimator,
        samples: reps * 5,
        rng,
      });
      // one replication's standard deviation = standard error × √samples
      const sd = g.locStandardError[0]! * Math.sqrt(reps * 5);
      snr[estimator].push({ mean: g.loc[0]!, sd, snr: Math.abs(g.loc[0]!) / sd });
    }
  }
  return { rows, snr };
}
