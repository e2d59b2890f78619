// The conv VAE step of `deno task bench:reference`: the convolutional VAE of
// Burgess et al. (2018) on 64 × 64 images, batch 64, 10 latents, in elbo (on
// wasm, and with its products in BLAS) and in PyTorch (conv_step.py). The
// naive tfjs code cannot take this step on wasm at all: tfjs-backend-wasm has
// no Conv2DBackpropFilter kernel.
import { VAE } from "../../models.ts";
import { startBackend } from "../../lib/train/backend_start.ts";
import { MAX_WASM_THREADS } from "../../tensor.ts";
import { runTorch } from "./_torch.ts";

/** The step's batch: 64 images of 64 × 64 binary pixels (a tenth of them on). */
const BATCH = 64, SIDE = 64, WARMUP = 3;

/** Milliseconds of each of `steps` conv VAE steps after a warm-up, in elbo. */
export async function elboConvSteps(
  threads: number,
  steps: number,
  blas: boolean,
): Promise<number[]> {
  await startBackend({
    backend: "wasm",
    threads: Math.min(threads, MAX_WASM_THREADS),
    blas: blas ? "on" : "off",
  });
  let seed = 7;
  const x = Float32Array.from(
    { length: BATCH * SIDE * SIDE },
    () => ((seed = (seed * 16807) % 2147483647) / 2147483647 < 0.1 ? 1 : 0),
  );
  const vae = new VAE({
    inputSize: SIDE * SIDE,
    network: "conv",
    hiddenSizes: [256, 256],
    latentSize: 10,
    seed: 1,
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < WARMUP + steps; i++) {
      const t0 = performance.now();
      await vae.trainStep(x);
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
  } finally {
    vae.dispose();
  }
  return times;
}

/** PyTorch's median ms per conv step, or why it could not run. */
export async function torchConvStep(threads: number, steps: number): Promise<number | string> {
  const r = await runTorch("conv_step.py", threads, ["--steps", String(steps)]);
  return typeof r === "string" ? r : r.ms_per_step as number;
}
