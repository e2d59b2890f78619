/**
 * The VAE 784-400-20 (batch 100, Bernoulli, Adam) against PyTorch and against
 * the naive tfjs code a JavaScript user writes, side by side in one run:
 *
 * - a training step (median ms), and
 * - the default run's final evaluation: the importance-sampled log p(x) with
 *   k = 200 on 1,000 test images (median seconds),
 *
 * each at 1 thread and at one thread per core. The runs alternate over the
 * rounds, so that load from other processes falls on all of them.
 *
 *     deno task bench:reference [--rounds 2] [--steps 60]
 *
 * PyTorch is Debian's `python3-torch` with OpenBLAS (`libopenblas0-pthread`)
 * when installed; its rows say "unavailable" otherwise. The naive tfjs code
 * is bench/reference/naive_tfjs_vae.ts, on the wasm backend; its evaluation
 * runs on 200 images and is scaled to 1,000.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  Batches,
  binarizeOnce,
  loadEmbeddedMnist,
  MAX_WASM_THREADS,
  useBackend,
  VAE,
} from "../../models.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { NaiveVae } from "./naive_tfjs_vae.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { rounds: { type: "string", default: "2" }, steps: { type: "string", default: "60" } },
});
const ROUNDS = Number(values.rounds), STEPS = Number(values.steps), WARMUP = 10;
const NAIVE_STEPS = Math.max(5, Math.floor(STEPS / 4));
const CORES = navigator.hardwareConcurrency;
const THREADS = [...new Set([1, CORES])];
const EVAL_ROWS = 1000, NAIVE_EVAL_ROWS = 200, K = 200;
const here = new URL(".", import.meta.url).pathname;

const { train, test } = loadEmbeddedMnist();
const batch = new Batches(train, { batchSize: 100, seed: 1, binarize: true }).batch(0, 0).slice();
const testBits = binarizeOnce(test, 1).subarray(0, EVAL_ROWS * 784);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Milliseconds of each step after a warm-up. */
async function timeSteps(n: number, step: () => Promise<unknown>): Promise<number[]> {
  const t: number[] = [];
  for (let i = 0; i < WARMUP + n; i++) {
    const t0 = performance.now();
    await step();
    if (i >= WARMUP) t.push(performance.now() - t0);
  }
  return t;
}

async function elbo(threads: number): Promise<{ steps: number[]; evalSeconds: number }> {
  await useBackend("wasm", { threads: Math.min(threads, MAX_WASM_THREADS) });
  const vae = new VAE({ inputSize: 784, seed: 1 });
  const steps = await timeSteps(STEPS, () => vae.trainStep(batch));
  const t0 = performance.now();
  await vae.evaluate(testBits, { importanceSamples: K });
  const evalSeconds = (performance.now() - t0) / 1000;
  vae.dispose();
  return { steps, evalSeconds };
}

async function naive(threads: number): Promise<{ steps: number[]; evalSeconds: number }> {
  await useBackend("wasm", { threads: Math.min(threads, MAX_WASM_THREADS) });
  const model = new NaiveVae();
  const x = tf.tensor2d(batch, [100, 784]);
  const steps = await timeSteps(NAIVE_STEPS, () => model.step(x));
  x.dispose();
  const t0 = performance.now();
  for (let r = 0; r < NAIVE_EVAL_ROWS; r += 100) {
    const xs = tf.tensor2d(testBits.subarray(r * 784, (r + 100) * 784), [100, 784]);
    await model.logPx(xs, K);
    xs.dispose();
  }
  const evalSeconds = (performance.now() - t0) / 1000 * (EVAL_ROWS / NAIVE_EVAL_ROWS);
  model.dispose();
  return { steps, evalSeconds };
}

/** PyTorch's median ms per step or eval seconds, or why it could not run. */
async function torch(threads: number, evaluation: boolean): Promise<number | string> {
  try {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [
        `${here}train_step.py`,
        "--threads",
        String(threads),
        ...(evaluation ? ["--eval", "--repeats", "1"] : ["--steps", String(STEPS)]),
      ],
      env: { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (out.code !== 0) {
      return new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "failed";
    }
    const r = JSON.parse(new TextDecoder().decode(out.stdout));
    return evaluation ? r.eval_seconds : r.ms_per_step;
  } catch (e) {
    return (e as Error).message;
  }
}

type Row = "elbo" | "PyTorch" | "naive tfjs";
const stepMs = new Map<string, number[]>(), evalS = new Map<string, number[]>();
const unavailable = new Map<Row, string>();
const add = (m: Map<string, number[]>, key: string, v: number[]) =>
  m.set(key, [...(m.get(key) ?? []), ...v]);

for (let round = 0; round < ROUNDS; round++) {
  for (const threads of THREADS) {
    const e = await elbo(threads);
    add(stepMs, `elbo/${threads}`, e.steps);
    add(evalS, `elbo/${threads}`, [e.evalSeconds]);
    for (const evaluation of [false, true]) {
      const t = await torch(threads, evaluation);
      if (typeof t === "string") unavailable.set("PyTorch", t);
      else add(evaluation ? evalS : stepMs, `PyTorch/${threads}`, [t]);
    }
    const n = await naive(threads);
    add(stepMs, `naive tfjs/${threads}`, n.steps);
    add(evalS, `naive tfjs/${threads}`, [n.evalSeconds]);
    console.error(`round ${round + 1}/${ROUNDS}, ${threads} thread(s) done`);
  }
}

const ROWS: [Row, string][] = [
  ["elbo", "elbo (tfjs-wasm: one-pass Adam, hand-written dense gradients)"],
  ["PyTorch", "PyTorch (Debian python3-torch, OpenBLAS)"],
  ["naive tfjs", "naive tfjs (layers, autodiff, minimize; wasm)"],
];

function table(title: string, data: Map<string, number[]>, unit: string, digits: number): void {
  const best = (row: Row) => {
    const ms = THREADS.map((t) => data.get(`${row}/${t}`)).filter((v) => v !== undefined);
    return ms.length ? Math.min(...ms.map(median)) : NaN;
  };
  console.log(`\n${title}\n`);
  const head = THREADS.map((t) => `${t} thread${t > 1 ? "s" : ""}`);
  console.log(`| run | ${head.join(" | ")} | best | best ÷ elbo's best |`);
  console.log(`| --- | ${head.map(() => "---").join(" | ")} | --- | --- |`);
  for (const [row, label] of ROWS) {
    const cells = THREADS.map((t) => {
      const v = data.get(`${row}/${t}`);
      return v ? median(v).toFixed(digits) : `unavailable: ${unavailable.get(row) ?? "?"}`;
    });
    const b = best(row);
    console.log(
      `| ${label} | ${cells.join(" | ")} | ${Number.isNaN(b) ? "–" : b.toFixed(digits)} | ${
        Number.isNaN(b) ? "–" : (b / best("elbo")).toFixed(2)
      } |`,
    );
  }
  const torchBest = best("PyTorch");
  if (!Number.isNaN(torchBest)) {
    console.log(
      `\nelbo's best ÷ PyTorch's best: ${(best("elbo") / torchBest).toFixed(2)} (${unit})`,
    );
  }
  console.log(
    `naive tfjs's best ÷ elbo's best: ${(best("naive tfjs") / best("elbo")).toFixed(1)}`,
  );
}

console.log(
  `VAE 784-400-20, batch 100, Bernoulli, Adam; ${CORES} logical cores; ${ROUNDS} rounds`,
);
table(
  `Training step, median ms (elbo: ${STEPS} steps a round, naive: ${NAIVE_STEPS}, PyTorch: ${STEPS})`,
  stepMs,
  "ms per step",
  1,
);
table(
  `Final evaluation, median s: importance-sampled log p(x), k = ${K}, ${EVAL_ROWS} test images (naive: ${NAIVE_EVAL_ROWS}, ×${
    EVAL_ROWS / NAIVE_EVAL_ROWS
  })`,
  evalS,
  "s per evaluation",
  2,
);
