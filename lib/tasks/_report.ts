// The report of a training run: figures (SVG plots, PNG image grids) and the
// same content as report.md and report.html.
import { tf } from "../tensor/_tf.ts";
import type { TrainResult } from "../train/trainer.ts";
import { appliedSettings } from "../train/settings_tables.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { imageGrid } from "./_images.ts";
import { type Block, toHtml, toMarkdown } from "./_report_blocks.ts";
import { barPlot } from "./_bar_plot.ts";
import { linePlot, scatterPlot, type Series } from "./_svg.ts";
import { SCORE_KEYS, SCORE_NAMES } from "../train/scores.ts";

/** More latent dimensions than this are not all drawn as traversal rows. */
const MAX_TRAVERSALS = 16;

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : String(v));

/** A metric's value as a table shows it: a fraction to 2 decimals, a count as it is. */
const cell = (v: unknown) =>
  typeof v === "number" ? (Number.isInteger(v) ? String(v) : f2(v)) : String(v);

/** The epoch metric that holds a weight term of the model (β, C), if any. */
const WEIGHT_FIELDS: Record<string, "beta" | "capacity"> = { beta: "beta", capacity: "capacity" };

/** Writes the figures and report.md / report.html; returns the figure files. */
export async function writeReport(out: string, r: TrainResult, command: string): Promise<string[]> {
  const { config: c, metrics, final, model, data } = r;
  const report = model.report;
  const epochs = metrics.map((m) => m.epoch);
  const files: string[] = [];
  const blocks: Block[] = [];
  const D = data.test.width * data.test.height, W = data.test.width, H = data.test.height;

  blocks.push({
    kind: "h",
    text: `${c.model.toUpperCase()} on ${data.test.name.replace(/ test$/, "")}`,
  });
  blocks.push({ kind: "p", text: `Trained with \`${command}\`.` });

  const results: (string | number)[][] = report.metrics.map((
    q,
  ) => [q.description, cell(final[q.key])]);
  const steps = metrics.at(-1)?.step ?? 0;
  results.push(
    [
      "training time",
      `${final.trainSeconds.toFixed(1)} s (${
        (final.trainSeconds / Math.max(1, metrics.length)).toFixed(1)
      } s per epoch, ${(1000 * final.trainSeconds / Math.max(1, steps)).toFixed(1)} ms per step)`,
    ],
    ["final evaluation time", `${final.evalSeconds.toFixed(1)} s`],
    ["steps", steps],
    ["test images", data.test.count],
  );
  blocks.push({ kind: "h", text: "Results" }, {
    kind: "table",
    head: ["", "value"],
    rows: results,
  });

  // Only the settings that had an effect (no β for a plain VAE).
  blocks.push({ kind: "h", text: "Configuration" }, {
    kind: "table",
    head: ["option", "value"],
    rows: appliedSettings(c as unknown as Parameters<typeof appliedSettings>[0]),
  });

  // Training curves: the loss against its test counterpart, then the KL and the weights that moved.
  await figure(
    "loss.svg",
    "loss per epoch",
    linePlot({
      title: `Loss per epoch (${report.unit} per image)`,
      xLabel: "epoch",
      yLabel: report.unit,
      series: [
        { name: "train loss", x: epochs, y: metrics.map((m) => m.trainLoss) },
        {
          name: report.testLoss.label,
          x: epochs,
          y: metrics.map((m) => -m.testElbo),
          dashed: true,
        },
      ],
    }),
    "Training curves",
  );
  if (report.terms.some((t) => t.key === "kl")) {
    const series: Series[] = [
      { name: "train KL", x: epochs, y: metrics.map((m) => m.trainKl) },
      { name: "test KL", x: epochs, y: metrics.map((m) => m.testKl), dashed: true },
    ];
    for (const t of report.terms) {
      const field = WEIGHT_FIELDS[t.key];
      const y = field ? metrics.map((m) => m[field]) : [];
      if (t.weight && y.some((v) => v !== y[0])) series.push({ name: t.label, x: epochs, y });
    }
    await figure(
      "kl.svg",
      "KL per epoch",
      linePlot({
        title: c.klBudget !== undefined ? `KL and β (budget δ = ${c.klBudget})` : "KL per epoch",
        xLabel: "epoch",
        yLabel: series.length > 2 ? "nats / weight" : "nats",
        series,
      }),
    );
  }
  const perLatent = report.perLatent && final[report.perLatent.key];
  if (report.perLatent && Array.isArray(perLatent)) {
    await figure(
      "kl-per-latent.svg",
      `${report.perLatent.label} of each latent, largest first`,
      barPlot({
        title: report.perLatent.description,
        xLabel: "latent coordinate (largest first)",
        yLabel: report.perLatent.label,
        labels: perLatent.map((_, j) => `z${j + 1}`),
        values: perLatent,
      }),
      `${report.perLatent.label} of each latent coordinate`,
    );
  }
  if (typeof final.mig === "number") blocks.push(...scoreBlocks(final));

  // Reconstructions: rows alternate test images and their reconstructions
  // (at most 40 images; a small test set gives fewer, the last row padded).
  const n = Math.min(40, data.test.count), cols = Math.min(10, n), blank = new Float32Array(D);
  const xs = tf.tensor2d(data.test.images.subarray(0, n * D), [n, D]);
  const rv = await read(() => model.reconstruct(xs));
  const grid: Float32Array[] = [];
  const tile = (v: Float32Array, i: number) => (i < n ? v.subarray(i * D, (i + 1) * D) : blank);
  for (let r0 = 0; r0 < Math.ceil(n / cols); r0++) {
    for (let j = 0; j < cols; j++) grid.push(tile(data.test.images, r0 * cols + j));
    for (let j = 0; j < cols; j++) grid.push(tile(rv, r0 * cols + j));
  }
  await image(
    "reconstructions.png",
    imageGrid(grid, { rows: 2 * Math.ceil(n / cols), cols, width: W, height: H }),
    "Test images and their reconstructions",
    "Odd rows: test images; even rows: the decoder's mean at the posterior mean (autoencoder: d(e(x))).",
  );

  if (report.generative && model.sample) {
    const sv = await read(() => model.sample!(100, c.seed));
    await image(
      "samples.png",
      imageGrid(Array.from({ length: 100 }, (_, i) => sv.subarray(i * D, (i + 1) * D)), {
        rows: 10,
        cols: 10,
        width: W,
        height: H,
      }),
      "Samples",
      "z ~ p(z), shown as the mean of p(x|z).",
    );

    // Latent traversals: one row per dimension (the 16 with the most KL when
    // there are more), from the first test image's code.
    const K = c.latentSize, steps11 = Array.from({ length: 11 }, (_, i) => -3 + 0.6 * i);
    const dims = Array.from({ length: K }, (_, j) => j);
    if (K > MAX_TRAVERSALS) {
      const rank = Array.isArray(perLatent) ? perLatent : [];
      dims.sort((a, b) => (rank[b] ?? 0) - (rank[a] ?? 0));
      dims.length = MAX_TRAVERSALS;
    }
    const R = dims.length;
    const base = await read(() => model.embed(tf.slice(xs, [0, 0], [1, D])));
    const codes = new Float32Array(R * 11 * K);
    dims.forEach((j, r) => {
      for (let s = 0; s < 11; s++) {
        const row = (r * 11 + s) * K;
        codes.set(base, row);
        codes[row + j] = steps11[s]!;
      }
    });
    const dv = await read(() => model.decodeMean(tf.tensor2d(codes, [R * 11, K])));
    await image(
      "traversals.png",
      imageGrid(Array.from({ length: R * 11 }, (_, i) => dv.subarray(i * D, (i + 1) * D)), {
        rows: R,
        cols: 11,
        width: W,
        height: H,
        scale: 1,
      }),
      "Latent traversals",
      `${
        R < K ? `The ${R} dimensions with the most KL, in that order` : "Row j"
      }: the first test image's posterior mean with ${
        R < K ? "one" : "coordinate j"
      } coordinate set to −3, −2.4, …, 3 (dimensions with KL ≈ 0 are inactive and change nothing).`,
    );
  }

  if (c.latentSize === 2) {
    const cv = await read(() => model.embed(tf.tensor2d(data.test.images, [data.test.count, D])));
    await figure(
      "latent.svg",
      "latent space coloured by class",
      scatterPlot({
        title: `Test set in the 2-D latent space (${
          report.generative ? "posterior means" : "codes e(x)"
        })`,
        xLabel: "z₁",
        yLabel: "z₂",
        x: Array.from({ length: data.test.count }, (_, i) => cv[2 * i]!),
        y: Array.from({ length: data.test.count }, (_, i) => cv[2 * i + 1]!),
        labels: data.test.labels,
      }),
      "The latent space",
    );
  }
  tf.dispose(xs);

  await writeAtomic(`${out}/report.md`, toMarkdown(blocks));
  await writeAtomic(`${out}/report.html`, toHtml(blocks, "elbo training report"));
  return files;

  /** Writes an SVG figure and adds it to the report, under a heading if given. */
  async function figure(file: string, alt: string, svg: string, heading?: string) {
    await writeAtomic(`${out}/${file}`, svg);
    files.push(file);
    if (heading) blocks.push({ kind: "h", text: heading });
    blocks.push({ kind: "img", src: file, alt });
  }

  /** Writes a PNG image grid under a heading, with a caption. */
  async function image(file: string, png: Uint8Array, heading: string, caption: string) {
    await writeAtomic(`${out}/${file}`, png);
    files.push(file);
    blocks.push({ kind: "h", text: heading }, { kind: "p", text: caption }, {
      kind: "img",
      src: file,
      alt: heading.toLowerCase(),
    });
  }
}

/** The disentanglement scores of a run on data with known factors, as a table. */
function scoreBlocks(final: Record<string, unknown>): Block[] {
  const rows = SCORE_KEYS.map((k) => [SCORE_NAMES[k], cell(final[k])]);
  return [
    { kind: "h", text: "Disentanglement" },
    {
      kind: "p",
      text:
        "The five scores of Locatello et al. (2019), each in [0, 1], read from the posterior means of images whose factors are known.",
    },
    { kind: "table", head: ["score", "value"], rows },
  ];
}

/** The values of a tensor made in a `tf.tidy`, read back; every tensor made is freed. */
async function read(make: () => tf.Tensor): Promise<Float32Array> {
  const t = tf.tidy(make);
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}
