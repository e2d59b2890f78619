/**
 * Quality side by side: `deno task train`'s VAE and the same VAE trained by
 * PyTorch (bench/reference/train_vae.py) on the same data, split, binarised
 * test set, architecture, initialisation scheme, epochs, batch size and
 * optimiser, in one go.
 *
 *     deno task bench:quality [--epochs 30] [--k 200] [--seeds 1]
 *
 * Prints the test ELBO and importance-sampled log p(x) of both, per seed.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { binarizeOnce, type Evaluation, loadEmbeddedMnist } from "../../models.ts";
import { DEFAULT_CONFIG } from "../../lib/train/config.ts";
import { train } from "../../lib/train/trainer.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    epochs: { type: "string", default: String(DEFAULT_CONFIG.epochs) },
    k: { type: "string", default: String(DEFAULT_CONFIG.evalSamples) },
    seeds: { type: "string", default: "1" },
  },
});
const epochs = Number(values.epochs), k = Number(values.k), seeds = Number(values.seeds);
const here = new URL(".", import.meta.url).pathname;

const data = await Deno.makeTempDir();
const { train: trainSet, test } = loadEmbeddedMnist();
await Deno.writeFile(`${data}/train.f32`, new Uint8Array(trainSet.images.buffer.slice(0)));
// The same fixed binarization of the test set that the trainer evaluates on.
await Deno.writeFile(`${data}/test_binarized.f32`, new Uint8Array(binarizeOnce(test, 0).buffer));
await Deno.writeTextFile(
  `${data}/meta.json`,
  JSON.stringify({ train: trainSet.count, test: test.count }),
);

const rows: string[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const out = await Deno.makeTempDir();
  const ours = await train({ ...DEFAULT_CONFIG, epochs, evalSamples: k, seed }, { out });
  ours.model.dispose();
  const py = await new Deno.Command("/usr/bin/python3", {
    args: [
      `${here}train_vae.py`,
      data,
      "--epochs",
      String(epochs),
      "--k",
      String(k),
      "--seed",
      String(seed),
    ],
    env: { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (py.code !== 0) {
    throw new Error(`train_vae.py failed:\n${new TextDecoder().decode(py.stderr)}`);
  }
  const ref = JSON.parse(new TextDecoder().decode(py.stdout));
  // A VAE's final metrics (see VAE.evaluate), with the training time.
  const f = ours.final as unknown as Evaluation & { trainSeconds: number };
  rows.push(
    `| ${seed} | elbo (tfjs-wasm) | ${f.elbo.toFixed(2)} | ${f.logLikelihood.toFixed(2)} | ${
      f.trainSeconds.toFixed(0)
    } s |`,
    `| ${seed} | PyTorch ${ref.torch} | ${ref.elbo.toFixed(2)} | ${
      ref.logLikelihood.toFixed(2)
    } | ${ref.trainSeconds.toFixed(0)} s |`,
    `| ${seed} | difference (elbo − PyTorch) | ${(f.elbo - ref.elbo).toFixed(2)} | ${
      (f.logLikelihood - ref.logLikelihood).toFixed(2)
    } | |`,
  );
  await Deno.remove(out, { recursive: true });
}
await Deno.remove(data, { recursive: true });
console.log(
  `VAE 784-400-20 on the embedded MNIST digits, ${epochs} epochs, test log p(x) with k = ${k} (nats per image)\n`,
);
console.log(
  "| seed | run | test ELBO | test log p(x) | training time |\n| --- | --- | --- | --- | --- |",
);
console.log(rows.join("\n"));
