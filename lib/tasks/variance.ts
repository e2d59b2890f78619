/**
 * The variance report: how noisy, and how costly, each ELBO and gradient
 * estimator is, on a conjugate and a non-conjugate model.
 *
 *     deno task variance [--reps 200] [--seed 1] [--out runs/variance]
 *
 * For each model, point q, estimator and sample count S ∈ {1, 10, 100, 1000}
 * it repeats the estimate `reps` times and prints the mean, the variance
 * (summed over gradient coordinates), the time per estimate and the
 * work-normalised variance (variance × time). Then the signal-to-noise ratio
 * of the importance-weighted gradient in q's location, IWAE versus DReG, as k
 * grows. Writes variance.md, variance.json, variance.svg and snr.svg.
 *
 * @module
 */
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
import { intOption, parseOptions, table } from "./_cli.ts";
import { markdownTable } from "./_markup.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { linePlot, type Series } from "./_svg.ts";

const USAGE = `Usage: deno task variance [options]

Measures the variance and cost of every ELBO and gradient estimator.

Options:
  --reps N     repetitions per cell (3 to 100,000; default 200)
  --seed N     random seed (default 1)
  --out DIR    output folder (default runs/variance)
  --help       this text`;

const SAMPLES = [1, 10, 100, 1000];
const KS = [1, 3, 10, 30, 100, 300];

interface Row {
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

const ESTIMATORS: Estimator[] = [
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

const fmt = (
  v: number,
) => (v === 0
  ? "0"
  : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3
  ? v.toExponential(2)
  : v.toPrecision(4));

if (import.meta.main) {
  const o = parseOptions(Deno.args, {
    reps: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean" },
  }, USAGE);
  const reps = intOption("reps", o.reps, 200, 3, 100_000);
  const seed = intOption("seed", o.seed, 1);
  const out = o.out ?? "runs/variance";
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
      Deno.stderr.writeSync(new TextEncoder().encode("."));
    }
  }
  Deno.stderr.writeSync(new TextEncoder().encode("\n"));
  const header = [
    "model / q",
    "estimator",
    "S",
    "mean",
    "variance",
    "µs/estimate",
    "variance × µs",
  ];
  const cells = rows.map((r) => [
    `${r.model}, ${r.point}`,
    r.estimator,
    r.samples,
    fmt(r.mean),
    fmt(r.variance),
    fmt(r.microseconds),
    fmt(r.variance * r.microseconds),
  ]);
  console.log(table(header, cells));

  // IWAE versus DReG: SNR of ∂/∂μ₀ as k grows, at the start q of the linear model.
  const lin = all[0]!;
  const snrRows: (string | number)[][] = [];
  const snr: Record<string, number[]> = { iwae: [], dreg: [] };
  for (const k of KS) {
    const row: (string | number)[] = [k];
    for (const estimator of ["iwae", "dreg"] as const) {
      const g = importanceWeightedGradient(lin.m, lin.q, lin.x, {
        k,
        estimator,
        samples: reps * 5,
        rng,
      });
      // one replication's standard deviation = standard error × √samples
      const sd = g.locStandardError[0]! * Math.sqrt(reps * 5);
      const s = Math.abs(g.loc[0]!) / sd;
      snr[estimator]!.push(s);
      row.push(fmt(g.loc[0]!), fmt(sd), fmt(s));
    }
    snrRows.push(row);
  }
  const snrHeader = ["k", "IWAE mean", "IWAE sd", "IWAE SNR", "DReG mean", "DReG sd", "DReG SNR"];
  console.log("\nSignal-to-noise ratio of ∂L_k/∂μ₀ (linear-Gaussian, q = N(0, I)):\n");
  console.log(table(snrHeader, snrRows));

  await Deno.mkdir(out, { recursive: true });
  const startLin = rows.filter((r) => r.model === "linear-Gaussian" && r.point.startsWith("start"));
  const series: Series[] = ESTIMATORS.map((e) => {
    const rs = startLin.filter((r) => r.estimator === e.name);
    return {
      name: e.name,
      x: rs.map((r) => r.samples),
      y: rs.map((r) => r.variance),
      dashed: e.name.startsWith("ELBO"),
    };
  });
  await writeAtomic(
    `${out}/variance.svg`,
    linePlot({
      title: "Estimator variance against samples (linear-Gaussian, q = N(0, I))",
      xLabel: "samples S",
      yLabel: "variance (summed over coordinates)",
      xLog: true,
      yLog: true,
      series,
    }),
  );
  await writeAtomic(
    `${out}/snr.svg`,
    linePlot({
      title: "SNR of the inference gradient ∂L_k/∂μ₀",
      xLabel: "k",
      yLabel: "|mean| / sd",
      xLog: true,
      yLog: true,
      series: [{ name: "IWAE", x: KS, y: snr.iwae! }, { name: "DReG", x: KS, y: snr.dreg! }],
    }),
  );
  await writeAtomic(
    `${out}/variance.json`,
    JSON.stringify({ seed, reps, rows, snr: { k: KS, ...snr } }, null, 2),
  );
  await writeAtomic(
    `${out}/variance.md`,
    `# Estimator variance (seed ${seed}, ${reps} repetitions)\n\n${
      markdownTable(header, cells)
    }\n\n## SNR of ∂L_k/∂μ₀\n\n${markdownTable(snrHeader, snrRows)}\n`,
  );
  console.log(`\nWrote ${out}/variance.md, variance.json, variance.svg, snr.svg`);
}
