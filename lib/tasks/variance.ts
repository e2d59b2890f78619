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
import type { FolderSpec } from "../kit/run_folder.ts";
import type { ConfigOf, TaskSpec } from "../kit/settings.ts";
import { runInFolder, runMain, table } from "../kit/main.ts";
import { markdownTable } from "./_markup.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { linePlot, type Series } from "./_svg.ts";
import { ESTIMATORS, KS, varianceStudy } from "./_variance_study.ts";

/** The settings of `deno task variance`, declared once. */
export const VARIANCE_SETTINGS = [
  {
    key: "reps",
    flag: "reps",
    rule: { kind: "integer", min: 3, max: 100_000 },
    metavar: "N",
    default: 200,
    help: "repetitions per cell (a quarter as many at S = 1000)",
    group: "Study",
    onResume: "no",
  },
  {
    key: "seed",
    flag: "seed",
    rule: { kind: "integer", min: 0, max: Number.MAX_SAFE_INTEGER },
    metavar: "N",
    default: 1,
    help: "seed of every draw",
    group: "Study",
    onResume: "no",
  },
] as const;

/** `deno task variance`, for the task kit. */
export const VARIANCE_TASK: TaskSpec = {
  name: "variance",
  summary: [
    "Measures the variance and cost of every ELBO and gradient estimator on a",
    "conjugate and a non-conjugate model, and the SNR of IWAE's and DReG's gradient.",
  ],
  settings: VARIANCE_SETTINGS,
  groups: ["Study"],
  outDefault: "runs/variance",
};

const FOLDER: FolderSpec = {
  task: "variance",
  entries: ["variance.md", "variance.json", "variance.svg", "snr.svg"],
  holdsRun: () => Promise.resolve(false),
};

const fmt = (
  v: number,
) => (v === 0
  ? "0"
  : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3
  ? v.toExponential(2)
  : v.toPrecision(4));

function main(args: string[]): Promise<void> {
  return runInFolder<ConfigOf<typeof VARIANCE_SETTINGS>>(VARIANCE_TASK, FOLDER, args, study);
}

/** The study, printed and written into `out`. */
async function study(
  { reps, seed }: ConfigOf<typeof VARIANCE_SETTINGS>,
  out: string,
): Promise<void> {
  const dot = new TextEncoder().encode(".");
  const { rows, snr } = varianceStudy(seed, reps, () => Deno.stderr.writeSync(dot));
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
  const snrRows = KS.map((k, i) => [
    k,
    ...[snr.iwae[i]!, snr.dreg[i]!].flatMap((p) => [fmt(p.mean), fmt(p.sd), fmt(p.snr)]),
  ]);
  const snrHeader = ["k", "IWAE mean", "IWAE sd", "IWAE SNR", "DReG mean", "DReG sd", "DReG SNR"];
  console.log("\nSignal-to-noise ratio of ∂L_k/∂μ₀ (linear-Gaussian, q = N(0, I)):\n");
  console.log(table(snrHeader, snrRows));

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
      series: [
        { name: "IWAE", x: KS, y: snr.iwae.map((p) => p.snr) },
        { name: "DReG", x: KS, y: snr.dreg.map((p) => p.snr) },
      ],
    }),
  );
  await writeAtomic(
    `${out}/variance.json`,
    JSON.stringify(
      {
        seed,
        reps,
        rows,
        snr: { k: KS, iwae: snr.iwae.map((p) => p.snr), dreg: snr.dreg.map((p) => p.snr) },
      },
      null,
      2,
    ),
  );
  await writeAtomic(
    `${out}/variance.md`,
    `# Estimator variance (seed ${seed}, ${reps} repetitions)\n\n${
      markdownTable(header, cells)
    }\n\n## SNR of ∂L_k/∂μ₀\n\n${markdownTable(snrHeader, snrRows)}\n`,
  );
  console.log(`\nWrote ${out}/variance.md, variance.json, variance.svg, snr.svg`);
}

if (import.meta.main) await runMain(() => main(Deno.args));
