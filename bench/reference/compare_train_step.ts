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
import { Batches, binarizeOnce, loadEmbeddedMnist, VAE } from "../../models.ts";
import {
  BackendError,
  type BlasStatus,
  blasStatus,
  MAX_WASM_THREADS,
  useBackend,
} from "../../tensor.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { NaiveVae } from "./naive_tfjs_vae.ts";
import { describeTorchBlas, PINNING_VARIABLES, runTorch, type TorchBlas } from "./_torch.ts";
import { startBackend } from "../../lib/train/backend_start.ts";
import { elboConvSteps, torchConvStep } from "./_conv_step.ts";
import { viTable } from "./_vi_cases.ts";
import { benchMain, type BenchSpec, roundsSetting } from "../_cli.ts";
import type { Setting } from "../../lib/kit/settings.ts";

/** `deno task bench:reference`: its settings, declared once. */
export const REFERENCE_BENCH = {
  name: "bench:reference",
  summary: [
    "Times the VAE 784-400-20 (batch 100, Bernoulli, Adam) in elbo, in PyTorch and as",
    "naive tfjs code, at 1 thread and one per core, in alternating rounds: a training",
    "step (median ms) and the final evaluation, log p(x) with k = 200 on 1,000 test",
    "images (median s); then the conv VAE step of Burgess et al. (2018) in elbo and",
    "PyTorch, and four black-box VI fits against the same loop in PyTorch. elbo runs",
    "on wasm and with its products in the system's BLAS. Prints the tables in",
    "Markdown, and the BLAS each side ran.",
  ],
  settings: [
    roundsSetting("rounds over every run and thread count"),
    {
      key: "steps",
      flag: "steps",
      rule: { kind: "integer", min: 1, max: 100_000 },
      metavar: "N",
      default: 60,
      help: "timed steps a round, after 10 warm-up steps (naive tfjs: a quarter)",
      group: "Options",
      onResume: "no",
    },
    {
      key: "viSteps",
      flag: "vi-steps",
      rule: { kind: "integer", min: 0, max: 10_000 },
      metavar: "N",
      default: 40,
      help: "timed black-box VI steps a round for each case, after 10 (0: no VI table)",
      group: "Options",
      onResume: "no",
    },
    {
      key: "convSteps",
      flag: "conv-steps",
      rule: { kind: "integer", min: 0, max: 10_000 },
      metavar: "N",
      default: 10,
      help: "timed conv VAE steps a round, after 3 warm-up steps (0: no conv table)",
      group: "Options",
      onResume: "no",
    },
  ],
  notes: [
    "PyTorch is Debian's python3-torch (with libopenblas0-pthread), run as /usr/bin/python3;",
    "where it is missing, its rows say why.",
  ],
} as const satisfies BenchSpec<readonly Setting[]>;

const WARMUP = 10;
const CORES = navigator.hardwareConcurrency;
const THREADS = [...new Set([1, CORES])];
const EVAL_ROWS = 1000, NAIVE_EVAL_ROWS = 200, K = 200;

/** The batch every step trains on and the binarised test rows every evaluation scores. */
interface Inputs {
  batch: Float32Array;
  testBits: Float32Array;
}

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

/** The BLAS elbo's products ran in, as blasStatus() reported it. */
let elboBlas: BlasStatus | undefined;

async function elbo(
  threads: number,
  stepCount: number,
  { batch, testBits }: Inputs,
  blas: boolean,
): Promise<{ steps: number[]; evalSeconds: number }> {
  // As the tasks run it: with BLAS, its threads, and the wasm binary on one.
  await startBackend({
    backend: "wasm",
    threads: Math.min(threads, MAX_WASM_THREADS),
    blas: blas ? "on" : "off",
  });
  if (blas) elboBlas = blasStatus();
  const vae = new VAE({ inputSize: 784, seed: 1 });
  const steps = await timeSteps(stepCount, () => vae.trainStep(batch));
  const t0 = performance.now();
  await vae.evaluate(testBits, { importanceSamples: K });
  const evalSeconds = (performance.now() - t0) / 1000;
  vae.dispose();
  return { steps, evalSeconds };
}

async function naive(
  threads: number,
  stepCount: number,
  { batch, testBits }: Inputs,
): Promise<{ steps: number[]; evalSeconds: number }> {
  await useBackend("wasm", { threads: Math.min(threads, MAX_WASM_THREADS), blas: false });
  const model = new NaiveVae();
  const x = tf.tensor2d(batch, [100, 784]);
  const steps = await timeSteps(stepCount, () => model.step(x));
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

/** The BLAS PyTorch reported at each thread count. */
const torchBlas = new Map<number, TorchBlas>();

/** PyTorch's median ms per step or eval seconds, or why it could not run. */
async function torch(
  threads: number,
  stepCount: number,
  evaluation: boolean,
): Promise<number | string> {
  const r = await runTorch(
    "train_step.py",
    threads,
    evaluation ? ["--eval", "--repeats", "1"] : ["--steps", String(stepCount)],
  );
  if (typeof r === "string") return r;
  torchBlas.set(threads, r.blas as TorchBlas);
  return (evaluation ? r.eval_seconds : r.ms_per_step) as number;
}

type Row = "elbo" | "elbo + BLAS" | "PyTorch" | "naive tfjs";

const ROWS: [Row, string][] = [
  ["elbo", "elbo (tfjs-wasm: one-pass Adam, hand-written dense gradients)"],
  ["elbo + BLAS", "elbo, products in the system's BLAS (wasm on 1 thread, BLAS on the column's)"],
  ["PyTorch", "PyTorch (Debian python3-torch, OpenBLAS)"],
  ["naive tfjs", "naive tfjs (layers, autodiff, minimize; wasm)"],
];

function table(
  title: string,
  data: Map<string, number[]>,
  unavailable: Map<Row, string>,
  unit: string,
  digits: number,
): void {
  const best = (row: Row) => {
    const ms = THREADS.map((t) => data.get(`${row}/${t}`)).filter((v) => v !== undefined);
    return ms.length ? Math.min(...ms.map(median)) : NaN;
  };
  console.log(`\n${title}\n`);
  const head = THREADS.map((t) => `${t} thread${t > 1 ? "s" : ""}`);
  console.log(`| run | ${head.join(" | ")} | best | best ÷ PyTorch's best |`);
  console.log(`| --- | ${head.map(() => "---").join(" | ")} | --- | --- |`);
  for (const [row, label] of ROWS) {
    const cells = THREADS.map((t) => {
      const v = data.get(`${row}/${t}`);
      return v ? median(v).toFixed(digits) : `unavailable: ${unavailable.get(row) ?? "?"}`;
    });
    const b = best(row);
    console.log(
      `| ${label} | ${cells.join(" | ")} | ${Number.isNaN(b) ? "–" : b.toFixed(digits)} | ${
        Number.isNaN(b) || Number.isNaN(best("PyTorch")) ? "–" : (b / best("PyTorch")).toFixed(2)
      } |`,
    );
  }
  const torchBest = best("PyTorch");
  if (!Number.isNaN(torchBest)) {
    for (const row of ["elbo", "elbo + BLAS"] as const) {
      const b = best(row);
      if (Number.isNaN(b)) continue;
      console.log(`\n${row}'s best ÷ PyTorch's best: ${(b / torchBest).toFixed(2)} (${unit})`);
    }
  }
  const naiveBest = best("naive tfjs");
  if (!Number.isNaN(naiveBest)) {
    console.log(`naive tfjs's best ÷ elbo's best: ${(naiveBest / best("elbo")).toFixed(1)}`);
  }
}

async function main(
  { rounds, steps, convSteps, viSteps }: {
    rounds: number;
    steps: number;
    convSteps: number;
    viSteps: number;
  },
): Promise<void> {
  // elbo's BLAS in its best configuration too: OpenBLAS reads these when it loads.
  const removed = PINNING_VARIABLES.filter((v) => Deno.env.get(v) !== undefined)
    .map((v) => `${v}=${Deno.env.get(v)}`);
  PINNING_VARIABLES.forEach((v) => Deno.env.delete(v));
  const naiveSteps = Math.max(5, Math.floor(steps / 4));
  const { train, test } = loadEmbeddedMnist();
  const inputs: Inputs = {
    batch: new Batches(train, { batchSize: 100, seed: 1, binarize: true }).batch(0, 0).slice(),
    testBits: binarizeOnce(test, 1).subarray(0, EVAL_ROWS * 784),
  };
  const stepMs = new Map<string, number[]>(), evalS = new Map<string, number[]>();
  const convMs = new Map<string, number[]>();
  const unavailable = new Map<Row, string>();
  const add = (m: Map<string, number[]>, key: string, v: number[]) =>
    m.set(key, [...(m.get(key) ?? []), ...v]);

  for (let round = 0; round < rounds; round++) {
    for (const threads of THREADS) {
      const e = await elbo(threads, steps, inputs, false);
      add(stepMs, `elbo/${threads}`, e.steps);
      add(evalS, `elbo/${threads}`, [e.evalSeconds]);
      try {
        const b = await elbo(threads, steps, inputs, true);
        add(stepMs, `elbo + BLAS/${threads}`, b.steps);
        add(evalS, `elbo + BLAS/${threads}`, [b.evalSeconds]);
      } catch (err) {
        if (!(err instanceof BackendError)) throw err;
        unavailable.set("elbo + BLAS", err.message);
      }
      for (const evaluation of [false, true]) {
        const t = await torch(threads, steps, evaluation);
        if (typeof t === "string") unavailable.set("PyTorch", t);
        else add(evaluation ? evalS : stepMs, `PyTorch/${threads}`, [t]);
      }
      if (convSteps > 0) {
        add(convMs, `elbo/${threads}`, await elboConvSteps(threads, convSteps, false));
        if (!unavailable.has("elbo + BLAS")) {
          add(convMs, `elbo + BLAS/${threads}`, await elboConvSteps(threads, convSteps, true));
        }
        const t = await torchConvStep(threads, convSteps);
        if (typeof t === "string") unavailable.set("PyTorch", t);
        else add(convMs, `PyTorch/${threads}`, [t]);
      }
      const n = await naive(threads, naiveSteps, inputs);
      add(stepMs, `naive tfjs/${threads}`, n.steps);
      add(evalS, `naive tfjs/${threads}`, [n.evalSeconds]);
      console.error(`round ${round + 1}/${rounds}, ${threads} thread(s) done`);
    }
  }

  console.log(
    `VAE 784-400-20, batch 100, Bernoulli, Adam; ${CORES} logical cores; ${rounds} rounds`,
  );
  table(
    `Training step, median ms (elbo: ${steps} steps a round, naive: ${naiveSteps}, PyTorch: ${steps})`,
    stepMs,
    unavailable,
    "ms per step",
    1,
  );
  table(
    `Final evaluation, median s: importance-sampled log p(x), k = ${K}, ${EVAL_ROWS} test images (naive: ${NAIVE_EVAL_ROWS}, ×${
      EVAL_ROWS / NAIVE_EVAL_ROWS
    })`,
    evalS,
    unavailable,
    "s per evaluation",
    2,
  );
  if (convSteps > 0) {
    table(
      `Conv VAE step (Burgess et al. 2018: 64×64, batch 64, 10 latents), median ms (${convSteps} steps a round)`,
      convMs,
      new Map([...unavailable, [
        "naive tfjs",
        "tfjs-backend-wasm has no Conv2DBackpropFilter kernel: tfjs's autodiff cannot train it",
      ]]),
      "ms per conv step",
      1,
    );
  }
  if (viSteps > 0) await viTable(rounds, viSteps);
  console.log(
    `\nelbo + BLAS ran in: ${
      elboBlas ? `${elboBlas.library} (${elboBlas.config ?? "no configuration string"})` : "–"
    }; ${
      removed.length
        ? `removed ${removed.join(", ")} from both sides' environment`
        : `${PINNING_VARIABLES.join(" and ")} unset`
    }`,
  );
  console.log("\nPyTorch's BLAS, as the runs reported it:");
  for (const t of THREADS) console.log(`- ${t} thread(s): ${describeTorchBlas(torchBlas.get(t))}`);
}

if (import.meta.main) await benchMain(REFERENCE_BENCH, Deno.args, main);
