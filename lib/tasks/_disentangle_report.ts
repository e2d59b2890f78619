// The report of a disentanglement sweep: one table of every score per cell
// (mean and spread over seeds) and per run, the metrics against β, the KL of
// each latent over training and the latent traversals.
import { writeAtomic } from "../io/write_atomic.ts";
import { meanAndStandardError } from "../math/mean_and_standard_error.ts";
import { imageGrid } from "./_images.ts";
import { markdownTable } from "./_markup.ts";
import { linePlot, type Series } from "./_svg.ts";
import { type RunResult, type SweepSettings, TRAVERSAL } from "./_disentangle_run.ts";

/** The scores in table order: key and column label. */
export const SCORES: [keyof RunResult["scores"], string][] = [
  ["betaVae", "BetaVAE"],
  ["factorVae", "FactorVAE"],
  ["mig", "MIG"],
  ["sap", "SAP"],
  ["dciDisentanglement", "DCI D"],
  ["dciCompleteness", "DCI C"],
  ["dciInformativeness", "DCI I"],
];

/** Mean ± sample standard deviation over seeds (the mean alone for one seed). */
const pm = (xs: number[], digits = 2) => {
  const { value, standardError } = meanAndStandardError(xs);
  if (xs.length === 1) return value.toFixed(digits);
  return `${value.toFixed(digits)} ± ${(standardError * Math.sqrt(xs.length)).toFixed(digits)}`;
};

/** The cells in the order they first appear. */
function cellsOf(runs: RunResult[]): string[] {
  return [...new Set(runs.map((r) => r.cell))];
}

/** The summary table: per cell, every score as mean ± sd over seeds, and the final KL. */
export function summaryTable(runs: RunResult[]): string {
  const rows = cellsOf(runs).map((cell) => {
    const rs = runs.filter((r) => r.cell === cell);
    return [
      cell,
      rs.length,
      ...SCORES.map(([k]) => pm(rs.map((r) => r.scores[k]))),
      pm(rs.map((r) => r.kl), 1),
      pm(rs.map((r) => r.reconstruction), 1),
    ];
  });
  return markdownTable(
    ["objective", "seeds", ...SCORES.map(([, l]) => l), "KL", "rec"],
    rows,
  );
}

/** Writes the figures and report.md; returns the files written. */
export async function writeSweepReport(
  out: string,
  runs: RunResult[],
  s: SweepSettings,
  command: string,
): Promise<string[]> {
  const files: string[] = [];
  const write = async (name: string, data: string | Uint8Array) => {
    await writeAtomic(`${out}/${name}`, data);
    files.push(name);
  };
  // Metrics against β (the fixed-β cells), mean over seeds.
  const fixed = runs.filter((r) => r.beta !== undefined);
  const betas = [...new Set(fixed.map((r) => r.beta!))].sort((a, b) => a - b);
  if (betas.length > 1) {
    const series: Series[] = SCORES.map(([k, label]) => ({
      name: label,
      x: betas,
      y: betas.map((b) =>
        meanAndStandardError(fixed.filter((r) => r.beta === b).map((r) => r.scores[k])).value
      ),
    }));
    await write(
      "scores-vs-beta.svg",
      linePlot({
        title: "Scores against β (mean over seeds)",
        xLabel: "β",
        yLabel: "score",
        series,
        xLog: true,
      }),
    );
  }
  // The KL of each latent over training, first seed of each cell.
  for (const cell of cellsOf(runs)) {
    const r = runs.find((x) => x.cell === cell)!;
    const K = r.klHistory[0]![1].length;
    const series: Series[] = Array.from({ length: K }, (_, u) => ({
      name: `z${u}`,
      x: r.klHistory.map(([step]) => step),
      y: r.klHistory.map(([, kl]) => kl[u]!),
    }));
    await write(
      `kl-${slug(cell)}.svg`,
      linePlot({
        title: `KL of each latent over training: ${cell}, seed ${r.seed}`,
        xLabel: "step",
        yLabel: "KL (nats)",
        series,
      }),
    );
  }
  const lines = [
    `# Disentanglement sweep on dSprites`,
    "",
    `\`${command}\``,
    "",
    `${s.imageSize}×${s.imageSize} dSprites, ${s.network} VAE (dense ${
      s.hiddenSizes.join("-")
    }, ${s.latentSize} latents), ${s.steps} Adam steps of ${s.batchSize} images (learning rate ${s.learningRate}) per run. Scores on posterior means: ${s.metrics.codes} codes for MIG, SAP and DCI (${s.metrics.trees} trees); BetaVAE ${s.metrics.betaVae.numTrain}/${s.metrics.betaVae.numEval} and FactorVAE ${s.metrics.factorVae.numTrain}/${s.metrics.factorVae.numEval} training/evaluation points. KL and rec: nats per image on 500 held-out images.`,
    "",
    "## Scores, mean ± standard deviation over seeds",
    "",
    summaryTable(runs),
    "",
    "## Every run",
    "",
    markdownTable(
      ["objective", "seed", ...SCORES.map(([, l]) => l), "KL", "rec", "train s", "score s"],
      runs.map((r) => [
        r.cell,
        r.seed,
        ...SCORES.map(([k]) => r.scores[k].toFixed(3)),
        r.kl.toFixed(1),
        r.reconstruction.toFixed(1),
        Math.round(r.seconds.train),
        Math.round(r.seconds.score),
      ]),
    ),
    "",
  ];
  if (files.includes("scores-vs-beta.svg")) {
    lines.push("## Scores against β", "", "![Scores against β](scores-vs-beta.svg)", "");
  }
  lines.push("## The KL of each latent over training", "");
  for (const cell of cellsOf(runs)) {
    lines.push(`![KL per latent, ${cell}](kl-${slug(cell)}.svg)`, "");
  }
  lines.push(
    "## Latent traversals",
    "",
    `Each row moves one latent (most informative first) from ${TRAVERSAL[0]} to ${
      TRAVERSAL.at(-1)
    } around the code of one heart, the others held at its posterior mean.`,
    "",
  );
  for (const cell of cellsOf(runs)) {
    const r = runs.find((x) => x.cell === cell)!;
    lines.push(`### ${cell}, seed ${r.seed}`, "", `![Traversal, ${cell}](${traversalFile(r)})`, "");
  }
  await write("report.md", lines.join("\n"));
  return files;
}

/** The traversal PNG of a run, written when the run ends. */
export function traversalFile(r: { cell: string; seed: number }): string {
  return `traversal-${slug(r.cell)}-seed${r.seed}.png`;
}

/** Writes a run's traversal grid (latentSize rows × 9). */
export async function writeTraversal(
  out: string,
  r: { cell: string; seed: number },
  images: Float32Array[],
  imageSize: number,
): Promise<string> {
  const name = traversalFile(r);
  await writeAtomic(
    `${out}/${name}`,
    imageGrid(images, {
      rows: images.length / TRAVERSAL.length,
      cols: TRAVERSAL.length,
      width: imageSize,
      height: imageSize,
      scale: imageSize <= 32 ? 2 : 1,
    }),
  );
  return name;
}

/** A file-name form of a cell's name ("β = 4" → "beta-4"). */
export function slug(name: string): string {
  return name.replace("β", "beta").replace(/[^A-Za-z0-9.]+/g, "-").replace(/^-|-$/g, "");
}
