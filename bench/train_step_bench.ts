// deno bench --allow-read bench/train_step_bench.ts
//
// Milliseconds per training step of the VAE 784-400-20, batch 100, Bernoulli
// likelihood, Adam: elbo's dense layer (hand-written gradient) against tfjs's
// plain autodiff, on the wasm and cpu backends. The PyTorch reference and the
// ratio: `deno task bench:reference`.
import { Batches, loadEmbeddedMnist, VAE } from "../models.ts";
import { type BackendName, useBackend } from "../tensor.ts";

const { train } = loadEmbeddedMnist();
const batches = new Batches(train, { batchSize: 100, seed: 1, binarize: true });
const batch = batches.batch(0, 0).slice();
const models = new Map<string, VAE>();

for (const backend of ["wasm", "cpu"] as BackendName[]) {
  for (const denseGradient of ["custom", "autodiff"] as const) {
    Deno.bench({
      group: `VAE step, ${backend}`,
      name: `${backend}: ${
        denseGradient === "custom" ? "elbo dense (custom gradient)" : "tfjs autodiff"
      }`,
      baseline: denseGradient === "custom",
      // The cpu backend takes seconds per step: a few iterations are enough.
      ...(backend === "cpu" ? { n: 3, warmup: 1 } : { n: 50, warmup: 5 }),
      async fn(b) {
        await useBackend(backend);
        const key = `${backend}/${denseGradient}`;
        if (!models.has(key)) models.set(key, new VAE({ inputSize: 784, seed: 1, denseGradient }));
        const vae = models.get(key)!;
        b.start();
        await vae.trainStep(batch);
        b.end();
      },
    });
  }
}
