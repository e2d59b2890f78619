// The numbers docs/estimators.md prints, recomputed by the tasks that make
// them (`deno task projection`, `deno task variance`, seed 1): a number there
// changes only with the code or the seed that makes it, and then this fails.
// Timings (the µs columns) are the machine's, not checked.
import assert from "node:assert/strict";
import { assertMentions, docText, isPrinted, ROOT, runDenoTask, signed } from "./_docs.ts";

const PAGE = "docs/estimators.md";

interface Estimate {
  value: number;
  standardError: number;
}

interface Fit {
  loc: number[];
  forwardKL: Estimate;
  reverseKL: Estimate;
}

interface VarianceRow {
  model: string;
  point: string;
  estimator: string;
  samples: number;
  variance: number;
}

interface VarianceReport {
  seed: number;
  reps: number;
  rows: VarianceRow[];
  snr: { k: number[]; iwae: number[]; dreg: number[] };
}

const kl = (e: Estimate) => `${e.value.toFixed(3)} ± ${e.standardError.toFixed(3)}`;
const mean = (loc: number[]) => `(${loc.map((x) => signed(x.toFixed(3))).join(", ")})`;

Deno.test("docs/estimators.md: the projection table is what deno task projection prints", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runDenoTask(["projection", "--out", `${dir}/projection`]);
    const r = JSON.parse(await Deno.readTextFile(`${dir}/projection/projection.json`));
    assert.deepEqual([r.seed, r.steps], [1, 3000], "the doc states seed 1 and 3000 steps");
    const text = await docText(PAGE);
    for (const [name, fit] of [["M-projection", r.mProjection], ["I-projection", r.iProjection]]) {
      const f = fit as Fit;
      assertMentions(text, `| ${mean(f.loc)} | ${kl(f.forwardKL)} | ${kl(f.reverseKL)} |`, PAGE);
      assert.ok(text.includes(`| ${name} (`), `${PAGE} has a row for the ${name}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The rows of the page's variance table: model label, q label, estimator, S, variance as printed. */
function varianceRows(page: string): string[][] {
  // The q column may hold an escaped bar: q = p(z\|x).
  const re =
    /^\| (linear-Gaussian|logistic), ((?:[^|\\]|\\\|)*?) +\| ((?:ELBO|∇) \w+) +\| (\d+) +\| (\S+) +\|/gm;
  return [...page.matchAll(re)].map((m) => m.slice(1));
}

/** The JSON row a table row shows. */
function rowFor(report: VarianceReport, [model, q, estimator, s]: string[]): VarianceRow {
  const fullModel = model === "logistic" ? "logistic regression" : model!;
  const point = q === "q = N(0, I)" ? "start" : q === "fitted q" ? "fitted" : "optimum";
  const row = report.rows.find((r) =>
    r.model === fullModel && r.point.startsWith(point) && r.estimator === estimator &&
    r.samples === Number(s)
  );
  assert.ok(row, `no cell ${fullModel}, ${point}, ${estimator}, S = ${s} in variance.json`);
  return row;
}

Deno.test("docs/estimators.md: every variance, SNR and ratio is what deno task variance gives", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runDenoTask(["variance", "--out", `${dir}/variance`]);
    const report: VarianceReport = JSON.parse(
      await Deno.readTextFile(`${dir}/variance/variance.json`),
    );
    assert.deepEqual([report.seed, report.reps], [1, 200], "the doc states seed 1, 200 reps");
    const page = await Deno.readTextFile(`${ROOT}${PAGE}`);

    const rows = varianceRows(page);
    assert.ok(rows.length >= 24, `the variance table has ${rows.length} rows`);
    for (const r of rows) {
      const cell = rowFor(report, r);
      assert.ok(isPrinted(r[4]!, cell.variance), `${r.join(" / ")}: variance is ${cell.variance}`);
    }

    const snrTable = page.slice(page.indexOf("| k   | IWAE SNR"));
    const snrRows = [...snrTable.matchAll(/^\| (\d+) +\| ([\d.]+) +\| ([\d.]+) +\|$/gm)];
    assert.deepEqual(snrRows.map((m) => Number(m[1])), report.snr.k);
    snrRows.forEach((m, i) => {
      assert.ok(isPrinted(m[2]!, report.snr.iwae[i]!), `IWAE SNR at k = ${m[1]}`);
      assert.ok(isPrinted(m[3]!, report.snr.dreg[i]!), `DReG SNR at k = ${m[1]}`);
    });

    // The ratios the conclusions quote, at S = 10.
    const v = (model: string, q: string, estimator: string) =>
      rowFor(report, [model, q, estimator, "10"]).variance;
    const lin = "linear-Gaussian", logit = "logistic", start = "q = N(0, I)";
    const text = page.replace(/\s+/g, " ");
    const ratio = (a: number, b: number, digits: number) => `${(a / b).toFixed(digits)}×`;
    for (
      const [a, b, digits] of [
        [v(lin, start, "∇ scoreFunction"), v(lin, start, "∇ reparameterization"), 0],
        [v(logit, start, "∇ scoreFunction"), v(logit, start, "∇ reparameterization"), 0],
        [v(lin, start, "∇ scoreFunction"), v(lin, start, "∇ scoreFunctionBaseline"), 1],
        [v(logit, start, "∇ scoreFunction"), v(logit, start, "∇ scoreFunctionBaseline"), 1],
        [
          v(logit, "fitted q", "∇ reparameterization"),
          v(logit, "fitted q", "∇ stickingTheLanding"),
          0,
        ],
        [v(logit, "fitted q", "ELBO analyticKL"), v(logit, "fitted q", "ELBO monteCarlo"), 0],
        [report.snr.dreg.at(-1)!, report.snr.dreg[0]!, 1],
      ] as const
    ) {
      assertMentions(text, ratio(a, b, digits), PAGE);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
