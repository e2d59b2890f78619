// deno task bench:threads [--rounds 2]
//
// The wasm backend at 1 thread and at 2 threads, side by side in one run
// (issue #12): matMul [100,784]x[784,400] in GFLOP/s, and one training step
// of the VAE 784-400-20 (batch 100, Bernoulli, Adam) in ms; medians of 30
// matMuls and 25 steps after warm-up. Each round restarts the backend at each
// thread count, alternating, so that load from other processes falls on both.
// The last lines say whether the steps' losses and the trained encoder's
// output are bit-identical between the thread counts.
import { Batches, type DiagNormal, loadEmbeddedMnist, VAE } from "../models.ts";
import { tf } from "../lib/tensor/_tf.ts";
import { useBackend, wasmThreads } from "../lib/tensor/backend.ts";
import type { Setting } from "../lib/kit/settings.ts";
import { benchMain, type BenchSpec, roundsSetting } from "./_cli.ts";

/** `deno task bench:threads`: its settings, declared once. */
export const THREADS_BENCH = {
  name: "bench:threads",
  summary: [
    "The wasm backend at 1 and at 2 threads, alternating over the rounds: the product",
    "[100, 784] × [784, 400] in GFLOP/s and a training step of the VAE 784-400-20",
    "(batch 100) in ms, medians; then whether 2 threads gave bit-identical losses and",
    "encodings. Prints a Markdown table and the machine's load average.",
  ],
  settings: [
    roundsSetting("rounds over both thread counts"),
  ],
} as const satisfies BenchSpec<readonly Setting[]>;

const THREADS = [1, 2];
const MATMULS = 30, STEPS = 25, WARMUP = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Run {
  threads: number;
  round: number;
  gflops: number;
  stepMs: number;
  startMs: number;
  losses: number[];
  encoded: Float32Array;
}

async function measure(threads: number, round: number, batch: Float32Array): Promise<Run> {
  const t0 = performance.now();
  await useBackend("wasm", { threads });
  const startMs = performance.now() - t0;
  const state = wasmThreads();
  if (state?.active !== threads) throw new Error(`wasm runs ${JSON.stringify(state)}`);

  const a = tf.randomUniform([100, 784], -1, 1, "float32", 1);
  const b = tf.randomUniform([784, 400], -1, 1, "float32", 2);
  const times: number[] = [];
  for (let i = 0; i < MATMULS + 3; i++) {
    const s = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    const ms = performance.now() - s;
    c.dispose();
    if (i >= 3) times.push(ms);
  }
  tf.dispose([a, b]);
  const gflops = (2 * 100 * 784 * 400) / median(times) / 1e6;

  const vae = new VAE({ inputSize: 784, seed: 1 });
  const losses: number[] = [], steps: number[] = [];
  for (let i = 0; i < WARMUP + STEPS; i++) {
    const s = performance.now();
    const { loss } = await vae.trainStep(batch);
    if (i >= WARMUP) steps.push(performance.now() - s);
    losses.push(loss);
  }
  const x = tf.tensor2d(batch, [100, 784]);
  const q = vae.encode(x) as DiagNormal; // the default posterior
  const encoded = q.loc.dataSync() as Float32Array;
  q.dispose();
  x.dispose();
  vae.dispose();
  return { threads, round, gflops, stepMs: median(steps), startMs, losses, encoded };
}

async function main({ rounds }: { rounds: number }): Promise<void> {
  const { train } = loadEmbeddedMnist();
  const batch = new Batches(train, { batchSize: 100, seed: 1, binarize: true }).batch(0, 0).slice();
  const runs: Run[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const threads of THREADS) runs.push(await measure(threads, round, batch));
  }
  await useBackend("cpu");
  let load = "unknown (needs --allow-sys)";
  try {
    load = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  } catch { /* no --allow-sys: leave it unknown */ }
  console.log(`wasm threads, ${navigator.hardwareConcurrency} logical cores, load average ${load}`);
  console.log("| threads | round | start ms | matMul GFLOP/s | VAE step ms |");
  console.log("|--------:|------:|---------:|---------------:|------------:|");
  for (const r of runs) {
    console.log(
      `| ${r.threads} | ${r.round} | ${r.startMs.toFixed(0)} | ${r.gflops.toFixed(1)} | ${
        r.stepMs.toFixed(1)
      } |`,
    );
  }
  const one = runs.find((r) => r.threads === 1)!;
  for (const r of runs.filter((r) => r !== one)) {
    const lossDiff = Math.max(...r.losses.map((l, i) => Math.abs(l - one.losses[i]!)));
    const encDiff = Math.max(...r.encoded.map((v, i) => Math.abs(v - one.encoded[i]!)));
    const same = lossDiff === 0 && encDiff === 0;
    console.log(
      `threads ${r.threads} round ${r.round} vs threads 1 round 1: ${
        same ? "bit-identical" : `max |Δloss| ${lossDiff}, max |Δencoder mean| ${encDiff}`
      } over ${r.losses.length} steps`,
    );
  }
}

if (import.meta.main) await benchMain(THREADS_BENCH, Deno.args, main);
