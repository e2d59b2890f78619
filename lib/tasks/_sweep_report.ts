// The report of a disentanglement sweep: one table of every score per cell
// (mean ± standard deviation over seeds) and per run, the scores against β
// as small multiples with every seed's point, the KL of each latent as bars
// (largest first) per cell, and each run's latent traversal.
import { writeAtomic } from "../io/write_atomic.ts";
import { meanAndStandardError } from "../math/mean_and_standard_error.ts";
import { SCORE_KEYS, SCORE_NAMES } from "../train/scores.ts";
import { barPlot } from "./_bar_plot.ts";
import { markdownTable } from "./_markup.ts";
import { type Block, toHtml, toMarkdown } from "./_report_blocks.ts";
import { panelGrid, smallMultiples } from "./_small_multiples.ts";
import type { RunResult, Sweep } from "./_sweep.ts";

/** Mean ± sample standard deviation over seeds (the mean alone for one seed). */
const pm = (xs: number[], digits = 2) => {
  const { value, standardError } = meanAndStandardError(xs);
  if (xs.length === 1) return value.toFixed(digits);
  return `${value.toFixed(digits)} ± ${(standardError * Math.sqrt(xs.length)).toFixed(digits)}`;
};

/** The cells in the order they first appear. */
function cellsOf(runs: readonly RunResult[]): string[] {
  return [...new Set(runs.map((r) => r.cell))];
}

const SHORT: Record<string, string> = {
  dciDisentanglement: "DCI D",
  dciCompleteness: "DCI C",
  dciInformativeness: "DCI I",
};
const label = (k: string) => SHORT[k] ?? SCORE_NAMES[k as keyof typeof SCORE_NAMES];

/** A figure under its heading, with what to read in it. */
const figure = (heading: string, text: string, src: string, alt: string): Block[] => [
  { kind: "h", text: heading },
  { kind: "p", text },
  { kind: "img", src, alt },
];

/** The summary: per cell, every score as mean ± sd over seeds, the final KL and reconstruction. */
export function summaryRows(runs: readonly RunResult[]): { head: string[]; rows: string[][] } {
  const rows = cellsOf(runs).map((cell) => {
    const rs = runs.filter((r) => r.cell === cell);
    return [
      cell,
      String(rs.length),
      ...SCORE_KEYS.map((k) => pm(rs.map((r) => r.scores[k]))),
      pm(rs.map((r) => r.kl), 1),
      pm(rs.map((r) => r.reconstruction), 1),
    ];
  });
  return { head: ["objective", "seeds", ...SCORE_KEYS.map(label), "KL", "rec"], rows };
}

/** The summary as a Markdown table (for the task's last words). */
export function summaryTable(runs: readonly RunResult[]): string {
  const { head, rows } = summaryRows(runs);
  return markdownTable(head, rows);
}

/**
 * Writes the figures, report.md and report.html of a sweep's runs into
 * `out`; returns the files written.
 */
export async function writeSweepReport(
  out: string,
  runs: readonly RunResult[],
  sweep: Sweep,
  command: string,
  runFolder: (r: RunResult) => string,
): Promise<string[]> {
  const files: string[] = [];
  const s = sweep.settings;
  const blocks: Block[] = [
    { kind: "h", text: "Disentanglement sweep on dSprites" },
    { kind: "p", text: `\`${command}\`` },
    {
      kind: "p",
      text: `${s.dataset} (${s.network}, dense ${
        s.hiddenSizes.join("-")
      }, ${s.latentSize} latents), ${s.steps} Adam steps of ${s.batchSize} fresh images per run (learning rate ${s.learningRate}), ${sweep.preset} preset. Scores on posterior means: ${s.scorePoints} codes for MIG, SAP and DCI (${s.scoreTrees} trees), ${s.scorePoints} BetaVAE and FactorVAE training points. KL and rec: nats per image on the test images. Each run is a \`deno task train\` run folder with its own report.`,
    },
    { kind: "h", text: "Scores, mean ± standard deviation over seeds" },
    { kind: "table", ...summaryRows(runs) },
    { kind: "h", text: "Every run" },
    {
      kind: "table",
      head: ["objective", "seed", ...SCORE_KEYS.map(label), "KL", "rec", "train s", "score s"],
      rows: runs.map((r) => [
        r.cell,
        r.seed,
        ...SCORE_KEYS.map((k) => r.scores[k].toFixed(3)),
        r.kl.toFixed(1),
        r.reconstruction.toFixed(1),
        Math.round(r.seconds.train),
        Math.round(r.seconds.score),
      ]),
    },
  ];
  const write = async (name: string, data: string) => {
    await writeAtomic(`${out}/${name}`, data);
    files.push(name);
  };
  const fixed = runs.filter((r) => r.beta !== undefined);
  const betas = [...new Set(fixed.map((r) => r.beta!))].sort((a, b) => a - b);
  if (betas.length > 1) {
    await write(
      "scores-vs-beta.svg",
      smallMultiples(
        SCORE_KEYS.map((k) => ({
          title: label(k),
          points: fixed.map((r) => ({ x: r.beta!, y: r.scores[k] })),
        })),
        { xLabel: "β", xs: betas },
      ),
    );
    blocks.push(...figure(
      "Scores against β",
      "One panel per score; each dot is a seed, the line the mean over seeds. The spread across seeds is as much the finding as the mean (Locatello et al. 2019).",
      "scores-vs-beta.svg",
      "scores against β, every seed",
    ));
  }
  // Each seed's latents sorted first: a latent's index means nothing across seeds.
  const klPanels = cellsOf(runs).map((cell) => {
    const rs = runs.filter((r) => r.cell === cell);
    const sorted = rs.map((r) => [...r.klPerLatent].sort((a, b) => b - a));
    const K = sorted[0]!.length;
    return {
      cell,
      mean: Array.from({ length: K }, (_, j) => sorted.reduce((a, v) => a + v[j]!, 0) / rs.length),
    };
  });
  const top = Math.max(0, ...klPanels.flatMap((p) => p.mean).filter(Number.isFinite));
  await write(
    "kl-per-latent.svg",
    panelGrid(
      klPanels.map((p) =>
        barPlot({
          title: p.cell,
          xLabel: "latent, by rank",
          yLabel: "nats",
          labels: p.mean.map((_, j) => `${j + 1}`),
          values: p.mean,
          width: 260,
          height: 210,
          top,
        })
      ),
      { width: 260, height: 210, columns: 4 },
    ),
  );
  blocks.push(...figure(
    "The KL of each latent, largest first",
    "One panel per objective, on one axis: each run's latents sorted by their KL, then averaged over seeds. A latent near zero is unused (collapsed to the prior).",
    "kl-per-latent.svg",
    "KL of each latent per objective",
  ));
  blocks.push(
    { kind: "h", text: "Latent traversals" },
    {
      kind: "p",
      text:
        "Each run's report holds its latent traversals (one row per latent, most informative first).",
    },
    {
      kind: "table",
      head: ["objective", "seed", "traversals"],
      rows: runs.map((
        r,
      ) => [r.cell, r.seed, `[${runFolder(r)}/traversals.png](${runFolder(r)}/traversals.png)`]),
    },
  );
  await write("report.md", toMarkdown(blocks));
  await write("report.html", toHtml(blocks, "elbo disentanglement sweep"));
  return files;
}
