/**
 * Quality side by side: `deno task train`'s VAE and the same VAE trained by
 * PyTorch (bench/reference/train_vae.py) on the same data, split, binarised
 * test set, architecture, initialisation scheme, epochs, batch size and
 * optimiser, in one go.
 *
 *     deno task bench:quality [--epochs 30] [--k 200] [--seeds 1]
 *
 * Prints the test ELBO and importance-sampled log p(x) of both, per seed, as a
 * Markdown table. Needs Debian's `python3-torch`.
 *
 * @module
 */
import { binarizeOnce, type Evaluation, loadEmbeddedMnist } from "../../models.ts";
import { DEFAULT_CONFIG } from "../../lib/train/config.ts";
import { train } from "../../lib/train/trainer.ts";
import type { Setting } from "../../lib/kit/settings.ts";
import { oneLine } from "../../lib/kit/rules.ts";
import { describeTorchBlas, type TorchBlas, torchEnv } from "./_torch.ts";
import { benchMain, type BenchSpec } from "../_cli.ts";

/** `deno task bench:quality`: its settings, declared once. */
export const QUALITY_BENCH = {
  name: "bench:quality",
  summary: [
    "Trains deno task train's VAE 784-400-20 and the same VAE in PyTorch",
    "(bench/reference/train_vae.py: same data, split, binarised test set,",
    "initialisation scheme, epochs, batch size and Adam step) and prints the test ELBO,",
    "the importance-sampled test log p(x) and the training time of both, per seed.",
  ],
  settings: [
    {
      key: "epochs",
      flag: "epochs",
      rule: { kind: "integer", min: 1, max: 1_000_000 },
      metavar: "N",
      default: DEFAULT_CONFIG.epochs,
      help: "passes over the training data",
      group: "Options",
      onResume: "no",
    },
    {
      key: "k",
      flag: "k",
      rule: { kind: "integer", min: 1, max: 100_000 },
      metavar: "K",
      default: DEFAULT_CONFIG.evalSamples,
      help: "k of the importance-sampled test log p(x)",
      group: "Options",
      onResume: "no",
    },
    {
      key: "seeds",
      flag: "seeds",
      rule: { kind: "integer", min: 1, max: 100 },
      metavar: "N",
      default: 1,
      help: "train with seeds 1 to N",
      group: "Options",
      onResume: "no",
    },
  ],
  notes: [
    "Needs Debian's python3-torch, run as /usr/bin/python3 with 1 thread; a seed takes",
    "about 1½ minutes on two cores.",
  ],
} as const satisfies BenchSpec<readonly Setting[]>;

const here = new URL(".", import.meta.url).pathname;

async function main({ epochs, k, seeds }: { epochs: number; k: number; seeds: number }) {
  const data = await Deno.makeTempDir();
  try {
    const { train: trainSet, test } = loadEmbeddedMnist();
    await Deno.writeFile(`${data}/train.f32`, new Uint8Array(trainSet.images.buffer.slice(0)));
    // The same fixed binarization of the test set that the trainer evaluates on.
    await Deno.writeFile(
      `${data}/test_binarized.f32`,
      new Uint8Array(binarizeOnce(test, 0).buffer),
    );
    await Deno.writeTextFile(
      `${data}/meta.json`,
      JSON.stringify({ train: trainSet.count, test: test.count }),
    );
    const rows: string[] = [];
    let blas: TorchBlas | undefined;
    for (let seed = 1; seed <= seeds; seed++) {
      const out = await Deno.makeTempDir();
      try {
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
          env: torchEnv(1),
          clearEnv: true,
          stdout: "piped",
          stderr: "piped",
        }).output().catch((e) => {
          throw new Error(
            `cannot run /usr/bin/python3 (${(e as Error).message}): install python3-torch`,
          );
        });
        if (py.code !== 0) {
          const why = new TextDecoder().decode(py.stderr).trim().split("\n").at(-1) ?? "";
          throw new Error(`bench/reference/train_vae.py failed: ${oneLine(why)}`);
        }
        const ref = JSON.parse(new TextDecoder().decode(py.stdout));
        blas = ref.blas;
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
      } finally {
        await Deno.remove(out, { recursive: true }).catch(() => {});
      }
    }
    console.log(
      `VAE 784-400-20 on the embedded MNIST digits, ${epochs} epochs, test log p(x) with k = ${k} (nats per image)\n`,
    );
    console.log(
      "| seed | run | test ELBO | test log p(x) | training time |\n| --- | --- | --- | --- | --- |",
    );
    console.log(rows.join("\n"));
    console.log(`\nPyTorch's BLAS: ${describeTorchBlas(blas)}`);
  } finally {
    await Deno.remove(data, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await benchMain(QUALITY_BENCH, Deno.args, main);
