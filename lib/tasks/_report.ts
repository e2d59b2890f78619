// The report of a training run: figures (SVG plots, PNG image grids) and the
// same content as report.md and report.html.
import { tf } from "../tensor/_tf.ts";
import { VAE } from "../models/vae.ts";
import type { TrainResult } from "../train/trainer.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { imageGrid } from "./_images.ts";
import { linePlot, scatterPlot, type Series } from "./_svg.ts";

type Block = { kind: "h"; text: string } | { kind: "p"; text: string } | {
  kind: "table";
  head: string[];
  rows: (string | number)[][];
} | {
  kind: "img";
  src: string;
  alt: string;
};

/** More latent dimensions than this are not all drawn as traversal rows. */
const MAX_TRAVERSALS = 16;

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : String(v));

/** Writes the figures and report.md / report.html; returns the figure files. */
export async function writeReport(out: string, r: TrainResult, command: string): Promise<string[]> {
  const { config: c, metrics, final, model, data } = r;
  const epochs = metrics.map((m) => m.epoch);
  const files: string[] = [];
  const blocks: Block[] = [];
  const isVae = model instanceof VAE;
  const D = data.test.width * data.test.height, W = data.test.width, H = data.test.height;

  blocks.push({
    kind: "h",
    text: `${c.model.toUpperCase()} on ${data.test.name.replace(/ test$/, "")}`,
  });
  blocks.push({ kind: "p", text: `Trained with \`${command}\`.` });

  const results: (string | number)[][] = isVae
    ? [
      ["test ELBO (nats per image)", f2(final.elbo)],
      [
        `test log p(x), importance-sampled, k = ${final.importanceSamples}`,
        f2(final.logLikelihood),
      ],
      ["test reconstruction −E_q[log p(x|z)]", f2(final.reconstruction)],
      ["test KL(q(z|x) ‖ p(z))", f2(final.kl)],
      ["active units (of " + c.latentSize + ")", final.activeUnits],
    ]
    : [["test squared error ‖x − x̂‖² per image", f2(final.reconstruction)]];
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
    ["test images", final.examples],
  );
  blocks.push({ kind: "h", text: "Results" }, {
    kind: "table",
    head: ["", "value"],
    rows: results,
  });

  const cfg = Object.entries(c).map((
    [k, v],
  ) => [k, typeof v === "object" ? JSON.stringify(v) : String(v)]);
  blocks.push({ kind: "h", text: "Configuration" }, {
    kind: "table",
    head: ["option", "value"],
    rows: cfg,
  });

  // Training curves.
  const lossSeries: Series[] = [
    { name: isVae ? "train loss" : "train error", x: epochs, y: metrics.map((m) => m.trainLoss) },
    {
      name: isVae ? "test −ELBO" : "test error",
      x: epochs,
      y: metrics.map((m) => -m.testElbo),
      dashed: true,
    },
  ];
  await writeAtomic(
    `${out}/loss.svg`,
    linePlot({
      title: "Loss per epoch (nats per image)",
      xLabel: "epoch",
      yLabel: isVae ? "nats" : "squared error",
      series: lossSeries,
    }),
  );
  files.push("loss.svg");
  blocks.push({ kind: "h", text: "Training curves" }, {
    kind: "img",
    src: "loss.svg",
    alt: "loss per epoch",
  });
  if (isVae) {
    const klSeries: Series[] = [
      { name: "train KL", x: epochs, y: metrics.map((m) => m.trainKl) },
      { name: "test KL", x: epochs, y: metrics.map((m) => m.testKl), dashed: true },
    ];
    if (c.model === "beta-vae") {
      klSeries.push({
        name: c.capacity ? "capacity C" : "β",
        x: epochs,
        y: metrics.map((m) => (c.capacity ? m.capacity : m.beta)),
      });
    }
    await writeAtomic(
      `${out}/kl.svg`,
      linePlot({
        title: c.klBudget !== undefined ? `KL and β (budget δ = ${c.klBudget})` : "KL per epoch",
        xLabel: "epoch",
        yLabel: "nats / β",
        series: klSeries,
      }),
    );
    files.push("kl.svg");
    blocks.push({ kind: "img", src: "kl.svg", alt: "KL per epoch" });
    const perDim = final.klPerDimension.map((v, j) => [j, f2(v)]);
    blocks.push({ kind: "h", text: "KL per latent dimension" }, {
      kind: "table",
      head: ["dimension", "KL (nats)"],
      rows: perDim,
    });
  }

  // Reconstructions: rows alternate test images and their reconstructions
  // (at most 40 images; a small test set gives fewer, the last row padded).
  const n = Math.min(40, data.test.count), cols = Math.min(10, n), blank = new Float32Array(D);
  const xs = tf.tensor2d(data.test.images.subarray(0, n * D), [n, D]);
  const recon = model.reconstruct(xs);
  const rv = await recon.data();
  const grid: Float32Array[] = [];
  const tile = (v: Float32Array, i: number) => (i < n ? v.subarray(i * D, (i + 1) * D) : blank);
  for (let r0 = 0; r0 < Math.ceil(n / cols); r0++) {
    for (let j = 0; j < cols; j++) grid.push(tile(data.test.images, r0 * cols + j));
    for (let j = 0; j < cols; j++) grid.push(tile(rv as Float32Array, r0 * cols + j));
  }
  tf.dispose([recon]);
  await writeAtomic(
    `${out}/reconstructions.png`,
    imageGrid(grid, { rows: 2 * Math.ceil(n / cols), cols, width: W, height: H }),
  );
  files.push("reconstructions.png");
  blocks.push({ kind: "h", text: "Test images and their reconstructions" }, {
    kind: "p",
    text:
      "Odd rows: test images; even rows: the decoder's mean at the posterior mean (autoencoder: d(e(x))).",
  }, { kind: "img", src: "reconstructions.png", alt: "reconstructions" });

  if (model instanceof VAE) {
    const samples = model.sample(100, c.seed);
    const sv = await samples.data();
    samples.dispose();
    await writeAtomic(
      `${out}/samples.png`,
      imageGrid(Array.from({ length: 100 }, (_, i) => sv.subarray(i * D, (i + 1) * D)), {
        rows: 10,
        cols: 10,
        width: W,
        height: H,
      }),
    );
    files.push("samples.png");
    blocks.push({ kind: "h", text: "Samples" }, {
      kind: "p",
      text: "z ~ N(0, I), shown as the mean of p(x|z).",
    }, { kind: "img", src: "samples.png", alt: "samples" });

    // Latent traversals: one row per dimension (the 16 with the most KL when
    // there are more), from the first test image's code.
    const K = c.latentSize, steps11 = Array.from({ length: 11 }, (_, i) => -3 + 0.6 * i);
    const dims = Array.from({ length: K }, (_, j) => j);
    if (K > MAX_TRAVERSALS) {
      dims.sort((a, b) => (final.klPerDimension[b] ?? 0) - (final.klPerDimension[a] ?? 0));
      dims.length = MAX_TRAVERSALS;
    }
    const R = dims.length;
    const first = tf.slice(xs, [0, 0], [1, D]) as tf.Tensor2D;
    const { loc, logVar } = model.encode(first);
    const base = await loc.data();
    tf.dispose([first, loc, logVar]);
    const codes = new Float32Array(R * 11 * K);
    dims.forEach((j, r) => {
      for (let s = 0; s < 11; s++) {
        const row = (r * 11 + s) * K;
        codes.set(base, row);
        codes[row + j] = steps11[s]!;
      }
    });
    const codeTensor = tf.tensor2d(codes, [R * 11, K]);
    const dec = model.decode(codeTensor);
    codeTensor.dispose();
    const dv = await dec.data();
    dec.dispose();
    await writeAtomic(
      `${out}/traversals.png`,
      imageGrid(Array.from({ length: R * 11 }, (_, i) => dv.subarray(i * D, (i + 1) * D)), {
        rows: R,
        cols: 11,
        width: W,
        height: H,
        scale: 1,
      }),
    );
    files.push("traversals.png");
    blocks.push({ kind: "h", text: "Latent traversals" }, {
      kind: "p",
      text: `${
        R < K ? `The ${R} dimensions with the most KL, in that order` : "Row j"
      }: the first test image's posterior mean with ${
        R < K ? "one" : "coordinate j"
      } coordinate set to −3, −2.4, …, 3 (dimensions with KL ≈ 0 are inactive and change nothing).`,
    }, { kind: "img", src: "traversals.png", alt: "latent traversals" });
  }

  if (c.latentSize === 2) {
    const all = tf.tensor2d(data.test.images, [data.test.count, D]);
    let codes: tf.Tensor2D;
    if (model instanceof VAE) {
      const { loc, logVar } = model.encode(all);
      logVar.dispose();
      codes = loc;
    } else codes = model.encode(all);
    const cv = await codes.data();
    tf.dispose([codes, all]);
    const xs2 = Array.from({ length: data.test.count }, (_, i) => cv[2 * i]!);
    const ys2 = Array.from({ length: data.test.count }, (_, i) => cv[2 * i + 1]!);
    await writeAtomic(
      `${out}/latent.svg`,
      scatterPlot({
        title: `Test set in the 2-D latent space (${isVae ? "posterior means" : "codes e(x)"})`,
        xLabel: "z₁",
        yLabel: "z₂",
        x: xs2,
        y: ys2,
        labels: data.test.labels,
      }),
    );
    files.push("latent.svg");
    blocks.push({ kind: "h", text: "The latent space" }, {
      kind: "img",
      src: "latent.svg",
      alt: "latent space coloured by class",
    });
  }
  xs.dispose();

  await writeAtomic(`${out}/report.md`, toMarkdown(blocks));
  await writeAtomic(`${out}/report.html`, toHtml(blocks));
  return files;
}

function toMarkdown(blocks: Block[]): string {
  let first = true;
  return blocks.map((b) => {
    switch (b.kind) {
      case "h": {
        const s = `${first ? "#" : "##"} ${b.text}`;
        first = false;
        return s;
      }
      case "p":
        return b.text;
      case "img":
        return `![${b.alt}](${b.src})`;
      case "table":
        return [
          `| ${b.head.join(" | ")} |`,
          `| ${b.head.map(() => "---").join(" | ")} |`,
          ...b.rows.map((r) =>
            `| ${r.map((cell) => String(cell).replaceAll("|", "\\|")).join(" | ")} |`
          ),
        ].join("\n");
    }
  }).join("\n\n") + "\n";
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const inline = (s: string) => esc(s).replace(/`([^`]+)`/g, "<code>$1</code>");

function toHtml(blocks: Block[]): string {
  let first = true;
  const body = blocks.map((b) => {
    switch (b.kind) {
      case "h": {
        const tag = first ? "h1" : "h2";
        first = false;
        return `<${tag}>${esc(b.text)}</${tag}>`;
      }
      case "p":
        return `<p>${inline(b.text)}</p>`;
      case "img":
        return `<p><img src="${b.src}" alt="${esc(b.alt)}"></p>`;
      case "table":
        return `<table><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>${
          b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(String(c))}</td>`).join("")}</tr>`)
            .join("")
        }</table>`;
    }
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>elbo training report</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}img{max-width:100%}code{background:#f3f3f3}</style>
</head><body>
${body}
</body></html>
`;
}
