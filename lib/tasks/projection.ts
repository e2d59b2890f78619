/**
 * The M- and I-projections of a mixture of two 2-D Gaussians onto a single
 * full-covariance Gaussian (Bishop, Pattern Recognition and Machine Learning,
 * 2006, section 10.1.2 and figure 10.3): minimising the forward KL(p‖q)
 * matches p's mean and covariance and covers both modes; minimising the
 * reverse KL(q‖p) settles on one mode.
 *
 *     deno task projection [--seed 1] [--steps 3000] [--out runs/projection]
 *
 * Prints KL(p‖q) and KL(q‖p), with standard errors, for both fits, and writes
 * `projection.svg` (the mixture's density contours with both Gaussians' 1σ and
 * 2σ ellipses) and `projection.json` into the output folder.
 *
 * @module
 */
import { createRng } from "../math/rng.ts";
import { Mixture } from "../distributions/mixture.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { fitGaussian } from "../estimators/fit_gaussian.ts";
import type { FolderSpec } from "../kit/run_folder.ts";
import type { ConfigOf, TaskSpec } from "../kit/settings.ts";
import { runInFolder, runMain, table } from "../kit/main.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { contourPlot } from "./_contour_plot.ts";
import { PALETTE } from "./_svg.ts";

/** The settings of `deno task projection`, declared once. */
export const PROJECTION_SETTINGS = [
  {
    key: "seed",
    flag: "seed",
    rule: { kind: "integer", min: 0, max: Number.MAX_SAFE_INTEGER },
    metavar: "N",
    default: 1,
    help: "seed of every draw",
    group: "Fit",
    onResume: "no",
  },
  {
    key: "steps",
    flag: "steps",
    rule: { kind: "integer", min: 1, max: 1_000_000 },
    metavar: "N",
    default: 3000,
    help: "Adam steps of the reverse fit",
    group: "Fit",
    onResume: "no",
  },
] as const;

/** `deno task projection`, for the task kit. */
export const PROJECTION_TASK: TaskSpec = {
  name: "projection",
  summary: [
    "Fits one full-covariance Gaussian to a mixture of two 2-D Gaussians by the",
    "forward KL (M-projection, moment matching) and the reverse KL (I-projection,",
    "stochastic optimisation), prints both divergences for both fits, and draws them.",
  ],
  settings: PROJECTION_SETTINGS,
  groups: ["Fit"],
  outDefault: "runs/projection",
};

const FOLDER: FolderSpec = {
  task: "projection",
  entries: ["projection.svg", "projection.json"],
  holdsRun: () => Promise.resolve(false),
};

/**
 * The target p: an equal mixture of two 2-D Gaussians with opposite
 * correlations,
 *
 * ```text
 * p = ½ N((−2.5, −1), [[1, 0.7], [0.7, 1]]) + ½ N((2.5, 1), [[1, −0.6], [−0.6, 0.8]])
 * ```
 *
 * @returns The mixture.
 */
export function twoGaussianMixture(): Mixture<ArrayLike<number>, Float64Array> {
  return new Mixture([0.5, 0.5], [
    MultivariateNormal.fromCovariance([-2.5, -1], [[1.0, 0.7], [0.7, 1.0]]),
    MultivariateNormal.fromCovariance([2.5, 1], [[1.0, -0.6], [-0.6, 0.8]]),
  ]);
}

function main(args: string[]): Promise<void> {
  return runInFolder<ConfigOf<typeof PROJECTION_SETTINGS>>(
    PROJECTION_TASK,
    FOLDER,
    args,
    ({ seed, steps }, out) => fit(seed, steps, out),
  );
}

/** Both fits, printed and drawn into `out`. */
async function fit(seed: number, steps: number, out: string): Promise<void> {
  const p = twoGaussianMixture();
  const rng = createRng(seed);
  const m = fitGaussian(p, { divergence: "forward", rng: rng.split() });
  const t0 = performance.now();
  const i = fitGaussian(p, { divergence: "reverse", rng: rng.split(), steps });
  const ms = performance.now() - t0;
  const f = (e: { value: number; standardError: number }) =>
    `${e.value.toFixed(4)} ± ${e.standardError.toFixed(4)}`;
  const v = (a: ArrayLike<number>) => `(${Array.from(a, (x) => x.toFixed(3)).join(", ")})`;
  console.log("Target p: ½ N((−2.5, −1), ρ = 0.7) + ½ N((2.5, 1), ρ = −0.67)\n");
  console.log(table(["fit", "mean", "covariance", "KL(p‖q)", "KL(q‖p)"], [
    ["M-projection (forward KL)", v(m.q.loc), v(m.q.covariance()), f(m.forwardKL), f(m.reverseKL)],
    ["I-projection (reverse KL)", v(i.q.loc), v(i.q.covariance()), f(i.forwardKL), f(i.reverseKL)],
  ]));
  console.log(
    `\nThe M-projection covers both modes; the I-projection locks onto one (${
      (ms / 1000).toFixed(1)
    } s of fitting).`,
  );
  const figure = contourPlot({
    title: "M-projection (forward KL) versus I-projection (reverse KL)",
    logDensity: (a, b) => p.logProb([a, b]),
    xDomain: [-7, 7],
    yDomain: [-6, 6],
    ellipses: [
      {
        name: "M-projection, argmin KL(p‖q)",
        loc: m.q.loc,
        covariance: m.q.covariance(),
        color: PALETTE[0]!,
      },
      {
        name: "I-projection, argmin KL(q‖p)",
        loc: i.q.loc,
        covariance: i.q.covariance(),
        color: PALETTE[1]!,
      },
    ],
  });
  await writeAtomic(`${out}/projection.svg`, figure);
  const json = (r: typeof m) => ({
    loc: Array.from(r.q.loc),
    covariance: Array.from(r.q.covariance()),
    forwardKL: r.forwardKL,
    reverseKL: r.reverseKL,
  });
  await writeAtomic(
    `${out}/projection.json`,
    JSON.stringify({ seed, steps, mProjection: json(m), iProjection: json(i) }, null, 2),
  );
  console.log(`Wrote ${out}/projection.svg and ${out}/projection.json`);
}

if (import.meta.main) await runMain(() => main(Deno.args));
