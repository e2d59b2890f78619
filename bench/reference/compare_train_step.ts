/**
 * One VAE training step (784-400-20, batch 100, Bernoulli, Adam): elbo on
 * tfjs-wasm against PyTorch, measured side by side in one run.
 *
 *     deno task bench:reference [--steps 100]
 *
 * PyTorch runs on one thread with each BLAS this machine has: Debian's
 * reference BLAS (what `apt-get install python3-torch` alone gives) and
 * OpenBLAS (`apt-get install libopenblas0-pthread`), when installed.
 * Prints the medians and the ratios.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Batches, loadEmbeddedMnist, useBackend, VAE } from "../../models.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { steps: { type: "string", default: "100" } },
});
const steps = Number(values.steps);
const here = new URL(".", import.meta.url).pathname;

async function torch(
  env: Record<string, string>,
): Promise<{ ms_per_step: number; blas: string } | string> {
  try {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [`${here}train_step.py`, "--steps", String(steps), "--threads", "1"],
      env: { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (out.code !== 0) {
      return new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "failed";
    }
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch (e) {
    return (e as Error).message;
  }
}

async function elbo(denseGradient: "custom" | "autodiff", n: number): Promise<number> {
  await useBackend("wasm");
  const { train } = loadEmbeddedMnist();
  const b = new Batches(train, { batchSize: 100, seed: 1, binarize: true });
  const x = b.batch(0, 0).slice();
  const vae = new VAE({ inputSize: 784, seed: 1, denseGradient });
  const t: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const t0 = performance.now();
    await vae.trainStep(x);
    if (i >= 10) t.push(performance.now() - t0);
  }
  vae.dispose();
  return t.sort((a, c) => a - c)[Math.floor(t.length / 2)]!;
}

const rows: [string, number | string][] = [];
const ours = await elbo("custom", steps);
rows.push(["elbo, tfjs-wasm, dense with custom gradient", ours]);
rows.push([
  "elbo, tfjs-wasm, tfjs autodiff",
  await elbo("autodiff", Math.max(10, Math.floor(steps / 4))),
]);
const refs: [string, Record<string, string>][] = [
  ["PyTorch 1 thread, Debian reference BLAS", {
    LD_LIBRARY_PATH: "/usr/lib/x86_64-linux-gnu/blas",
  }],
  ["PyTorch 1 thread, default BLAS", {}],
];
for (const [name, env] of refs) {
  const r = await torch(env);
  rows.push([
    typeof r === "string" ? name : `${name.replace("default BLAS", r.blas)}`,
    typeof r === "string" ? `unavailable: ${r}` : r.ms_per_step,
  ]);
}
console.log(`median ms per step over ${steps} steps (tfjs-wasm single-threaded SIMD)\n`);
console.log("| run | ms / step | elbo custom ÷ this |\n| --- | --- | --- |");
for (const [name, ms] of rows) {
  console.log(
    `| ${name} | ${typeof ms === "number" ? ms.toFixed(1) : ms} | ${
      typeof ms === "number" ? (ours / ms).toFixed(2) : "–"
    } |`,
  );
}
