/**
 * Worked example: the Bernoulli against the continuous Bernoulli likelihood
 * on grey-level Fashion-MNIST, as Loaiza-Ganem & Cunningham (2019) compared
 * them. The Bernoulli's "likelihood" of a grey level x ∈ [0, 1] is the
 * cross-entropy x log λ + (1 − x) log(1 − λ), which is not a density on
 * [0, 1]; the continuous Bernoulli normalizes it. Both VAEs (784-400-20,
 * batch 100, Adam at 10⁻³, the same seed and batches) train on the grey
 * levels themselves, not binarised.
 *
 * Their ELBOs are not comparable (one is a density, the other is not), so
 * the table compares what both give: the test images' reconstruction error,
 * the squared error per image of the decoder's mean at the encoder's mean —
 * λ for the Bernoulli (what is usually shown), E[x] for the continuous
 * Bernoulli — and of λ = σ(logits) for both (the continuous Bernoulli's mean
 * is not λ: it lies between λ and ½).
 *
 * Run (Debian's `dataset-fashion-mnist`):
 * `deno run --allow-read --allow-ffi examples/fashion_likelihoods.ts [epochs]`
 * (`--allow-ffi` for the system's BLAS; without it, XNNPACK)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { Batches, loadIdxDirectory, VAE } from "../models.ts";
import { useBackend } from "../tensor.ts";
import { printTable } from "./_table.ts";

/** Where Debian's `dataset-fashion-mnist` puts the IDX files. */
export const FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

/** One fit: its likelihood, test ELBO, and the reconstruction errors of E[x | z] and of λ. */
export interface LikelihoodFit {
  likelihood: "bernoulli" | "continuous-bernoulli";
  elbo: number;
  /** Squared error per image of the decoder's mean E[x | z]. */
  squaredError: number;
  /** Squared error per image of λ = σ(decoder logits) (for the Bernoulli, its mean). */
  lambdaError: number;
}

/** Trains both VAEs for `epochs` epochs and scores them on `testCount` test images. */
export async function run(epochs = 5, testCount = 2000): Promise<LikelihoodFit[]> {
  const { train, test } = await loadIdxDirectory(FASHION_MNIST, "fashion-mnist");
  const x = test.images.subarray(0, testCount * 784);
  const out: LikelihoodFit[] = [];
  for (const likelihood of ["bernoulli", "continuous-bernoulli"] as const) {
    const vae = new VAE({
      inputSize: 784,
      hiddenSizes: [400],
      latentSize: 20,
      likelihood,
      seed: 1,
    });
    try {
      const batches = new Batches(train, { batchSize: 100, seed: 1 });
      for (let e = 0; e < epochs; e++) {
        for (let i = 0; i < batches.perEpoch; i++) await vae.trainStep(batches.batch(e, i));
      }
      const evaluation = await vae.evaluate(x, { importanceSamples: 1 });
      const [squaredError, lambdaError] = tf.tidy(() => {
        const xs = tf.tensor2d(x, [testCount, 784]);
        const err = (r: tf.Tensor) => tf.sum(tf.square(tf.sub(r, xs))).dataSync()[0]! / testCount;
        const p = vae.decode(vae.embed(xs));
        const lambda = tf.sigmoid((p as unknown as { logits: tf.Tensor }).logits);
        return [err(vae.reconstruct(xs)), err(lambda)];
      });
      out.push({ likelihood, elbo: evaluation.elbo as number, squaredError, lambdaError });
    } finally {
      vae.dispose();
    }
  }
  return out;
}

if (import.meta.main) {
  // The system's BLAS where it is installed (Debian's libopenblas0-pthread), else XNNPACK.
  await useBackend("wasm", { threads: 1, blas: true }).catch(() => useBackend("wasm"));
  const epochs = Number(Deno.args[0] ?? 5);
  const fits = await run(epochs);
  printTable(
    ["likelihood", "test ELBO (nats per image)", "squared error of E[x | z]", "squared error of λ"],
    fits.map((f) => [
      f.likelihood,
      f.elbo.toFixed(1),
      f.squaredError.toFixed(2),
      f.lambdaError.toFixed(2),
    ]),
  );
}
