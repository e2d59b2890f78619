/**
 * The training task: trains an autoencoder, VAE or β-VAE on real data and
 * writes a run folder with checkpoints, metrics and a report with figures.
 *
 *     deno task train                                   # VAE on the embedded MNIST digits, wasm
 *     deno task train --model beta-vae --beta 4 --dataset fashion-mnist
 *     deno task train --resume --out runs/my-run        # continue after an interruption
 *     deno run -A jsr:@elbo/elbo/train --help
 *
 * @module
 */
import { BackendError } from "../tensor/backend.ts";
import { NonFiniteError } from "../models/errors.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../train/config.ts";
import { CheckpointError, type Progress, readLatestCheckpoint, train } from "../train/trainer.ts";
import { fail, intOption, numberOption, parseOptions, table } from "./_cli.ts";
import { writeReport } from "./_report.ts";

const d = DEFAULT_CONFIG;
const USAGE = `Usage: deno task train [options]

Trains a model, checkpoints it every epoch, and writes runs/<name>/ with
metrics.jsonl, the model (tfjs format), report.md, report.html and figures.

Model
  --model ae|vae|beta-vae     the model (default ${d.model})
  --latent K                  latent size (default ${d.latentSize})
  --hidden W[,W…]             hidden layer widths, encoder order (default ${
  d.hiddenSizes.join(",")
})
  --likelihood L              bernoulli (binarised pixels) or gaussian (MSE) (default ${d.likelihood})
  --kl-estimator E            analytic or monteCarlo (default ${d.klEstimator})
  --importance-samples k      k of the training objective: 1 = ELBO, > 1 = IWAE bound (default ${d.importanceSamples})
β-VAE (with --model beta-vae; one of)
  --beta B                    fixed β (default ${d.beta})
  --capacity C,E[,G]          capacity annealing: C nats reached after E epochs, weight G (default G 1000)
  --kl-budget D               constrained form: KL budget D, β by dual ascent
  --dual-step η               step size of the dual ascent on β (default ${d.dualStepSize})
Training
  --epochs N                  passes over the training data (default ${d.epochs})
  --batch-size N              examples per step (default ${d.batchSize})
  --learning-rate R           Adam's step size (default ${d.learningRate})
  --backend B                 wasm, cpu or webgpu (WebGPU is on by default in Deno 2.9) (default ${d.backend})
  --seed N                    seed of weights, batches and noise (default ${d.seed})
Data
  --dataset D                 mnist (10,000 embedded digits), fashion-mnist (Debian's
                              /usr/share/datasets/fashion-mnist) or a folder of IDX files (default ${d.dataset})
  --train-size N              use only the first N training images (default: all)
Evaluation and output
  --eval-samples k            k of the importance-sampled test log p(x) (default ${d.evalSamples})
  --out DIR                   the run folder (default runs/<model>-<dataset>-<date>)
  --resume                    continue the run in --out (default: the newest in runs/)
                              from its last complete epoch; its configuration is kept,
                              only --epochs (to extend) and --backend may change
  --help                      this text`;

const OPTIONS = {
  model: { type: "string" },
  beta: { type: "string" },
  capacity: { type: "string" },
  "kl-budget": { type: "string" },
  "dual-step": { type: "string" },
  latent: { type: "string" },
  hidden: { type: "string" },
  likelihood: { type: "string" },
  "kl-estimator": { type: "string" },
  "importance-samples": { type: "string" },
  "eval-samples": { type: "string" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  "learning-rate": { type: "string" },
  backend: { type: "string" },
  dataset: { type: "string" },
  "train-size": { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  resume: { type: "boolean" },
  help: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseOptions<typeof OPTIONS>>;

function choice<T extends string>(
  name: string,
  v: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (v === undefined) return fallback;
  if (!allowed.includes(v as T)) {
    fail(`--${name} must be one of ${allowed.join(", ")}: got "${v}"`, USAGE);
  }
  return v as T;
}

function configFrom(o: Values): TrainConfig {
  const c: TrainConfig = {
    ...d,
    model: choice("model", o.model, ["ae", "vae", "beta-vae"] as const, d.model),
    beta: numberOption("beta", o.beta, d.beta, (n) => n >= 0, "a number ≥ 0"),
    dualStepSize: numberOption(
      "dual-step",
      o["dual-step"],
      d.dualStepSize,
      (n) => n > 0,
      "a number > 0",
    ),
    latentSize: intOption("latent", o.latent, d.latentSize, 1),
    hiddenSizes: o.hidden === undefined
      ? d.hiddenSizes
      : o.hidden.split(",").map((h) => intOption("hidden", h.trim(), 0, 1)),
    likelihood: choice(
      "likelihood",
      o.likelihood,
      ["bernoulli", "gaussian"] as const,
      d.likelihood,
    ),
    klEstimator: choice(
      "kl-estimator",
      o["kl-estimator"],
      ["analytic", "monteCarlo"] as const,
      d.klEstimator,
    ),
    importanceSamples: intOption(
      "importance-samples",
      o["importance-samples"],
      d.importanceSamples,
      1,
    ),
    evalSamples: intOption("eval-samples", o["eval-samples"], d.evalSamples, 1),
    epochs: intOption("epochs", o.epochs, d.epochs, 1),
    batchSize: intOption("batch-size", o["batch-size"], d.batchSize, 1),
    learningRate: numberOption(
      "learning-rate",
      o["learning-rate"],
      d.learningRate,
      (n) => n > 0,
      "a number > 0",
    ),
    backend: choice("backend", o.backend, ["wasm", "cpu", "webgpu"] as const, d.backend as "wasm"),
    dataset: o.dataset ?? d.dataset,
    trainSize: intOption("train-size", o["train-size"], d.trainSize, 0),
    seed: intOption("seed", o.seed, d.seed, 0),
  };
  if (o["kl-budget"] !== undefined) {
    c.klBudget = numberOption("kl-budget", o["kl-budget"], 0, (n) => n >= 0, "a number ≥ 0");
  }
  if (o.capacity !== undefined) {
    const parts = o.capacity.split(",");
    if (parts.length < 2 || parts.length > 3) {
      fail(`--capacity must be C,E or C,E,G (nats, epochs, weight): got "${o.capacity}"`, USAGE);
    }
    c.capacity = {
      max: numberOption("capacity", parts[0], 0, (n) => n >= 0, "C,E[,G] with C ≥ 0"),
      epochs: intOption("capacity", parts[1], 0, 1),
      gamma: numberOption("capacity", parts[2], 1000, (n) => n > 0, "C,E[,G] with G > 0"),
    };
  }
  if ((c.capacity || c.klBudget !== undefined) && c.model !== "beta-vae") {
    fail("--capacity and --kl-budget need --model beta-vae", USAGE);
  }
  if (c.capacity && c.klBudget !== undefined) {
    fail("--capacity and --kl-budget are two different objectives: choose one", USAGE);
  }
  if (c.model === "ae" && (o.likelihood || o["kl-estimator"] || o["importance-samples"])) {
    fail(
      "--likelihood, --kl-estimator and --importance-samples apply to vae and beta-vae, not ae",
      USAGE,
    );
  }
  return c;
}

async function newestRun(): Promise<string | undefined> {
  let best: { path: string; time: number } | undefined;
  try {
    for await (const e of Deno.readDir("runs")) {
      if (!e.isDirectory) continue;
      try {
        const s = await Deno.stat(`runs/${e.name}/checkpoints/latest`);
        const t = s.mtime?.getTime() ?? 0;
        if (!best || t > best.time) best = { path: `runs/${e.name}`, time: t };
      } catch { /* not a run */ }
    }
  } catch { /* no runs/ */ }
  return best?.path;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const m = Math.floor(s / 60), r = Math.round(s % 60);
  return m > 0 ? `${m}m${String(r).padStart(2, "0")}s` : `${r}s`;
}

const encoder = new TextEncoder();
const tty = Deno.stderr.isTerminal();

function progressLine(p: Progress): string {
  const done = (p.epoch - 1) * p.batches + p.batch + 1, total = p.epochs * p.batches;
  const width = 24, filled = Math.round((width * (p.batch + 1)) / p.batches);
  const perStep = p.elapsed / p.stepsThisRun;
  const remainingSteps = total - done;
  const r = p.result;
  return `epoch ${p.epoch}/${p.epochs} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${
    p.batch + 1
  }/${p.batches}` +
    `  ETA ${duration(perStep * remainingSteps)}  loss ${r.loss.toFixed(2)}  rec ${
      r.reconstruction.toFixed(2)
    }  KL ${r.kl.toFixed(2)}  β ${r.beta.toFixed(3)}`;
}

if (import.meta.main) {
  const o = parseOptions(Deno.args, OPTIONS, USAGE);
  let out = o.out;
  let config: TrainConfig;
  if (o.resume) {
    const changed = Object.keys(o).filter((k) =>
      !["resume", "out", "epochs", "backend", "help"].includes(k)
    );
    if (changed.length) {
      fail(
        `--resume keeps the run's configuration: drop --${
          changed.join(", --")
        } (only --epochs and --backend may change)`,
        USAGE,
      );
    }
    out ??= await newestRun();
    if (!out) fail("--resume found no run to continue in runs/: pass --out DIR", USAGE);
    try {
      config = (await readLatestCheckpoint(out)).state.config;
    } catch (e) {
      fail((e as Error).message);
    }
    if (o.epochs) config.epochs = intOption("epochs", o.epochs, config.epochs, 1);
    if (o.backend) {
      config.backend = choice("backend", o.backend, ["wasm", "cpu", "webgpu"] as const, "wasm");
    }
  } else {
    config = configFrom(o);
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const dataName = config.dataset.replace(/^.*\//, "").replace(/[^a-zA-Z0-9-]/g, "") || "data";
    out ??= `runs/${config.model}-${dataName}-${stamp}`;
    try {
      await Deno.stat(`${out}/checkpoints/latest`);
      fail(`${out} already holds a run: pass --resume to continue it, or another --out`);
    } catch { /* a fresh folder */ }
  }
  const command = `deno task train ${Deno.args.join(" ")}`.trim();
  console.log(`Training ${config.model} on ${config.dataset} with ${config.backend} → ${out}`);
  let lastDraw = 0, firstEpoch = 0;
  const started = performance.now();
  try {
    const result = await train(config, {
      out,
      resume: o.resume,
      log: (line) => console.log(line),
      onStep: (p) => {
        if (firstEpoch === 0) firstEpoch = p.epoch;
        if (!tty) return;
        const now = performance.now();
        if (now - lastDraw < 100 && p.batch + 1 < p.batches) return;
        lastDraw = now;
        Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${progressLine(p)}`));
      },
      onEpoch: (m) => {
        if (tty) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
        const width = String(config.epochs).length;
        // The time this process has spent per epoch predicts the rest.
        const done = m.epoch - firstEpoch + 1,
          perEpoch = (performance.now() - started) / 1000 / done;
        const eta = m.epoch < config.epochs
          ? `  ETA ${duration(perEpoch * (config.epochs - m.epoch))}`
          : "";
        const head = `epoch ${String(m.epoch).padStart(width)}/${config.epochs}${eta}`;
        console.log(
          config.model === "ae"
            ? `${head}  train error ${m.trainLoss.toFixed(2)}  test error ${
              (-m.testElbo).toFixed(2)
            }  ${duration(m.seconds)}`
            : `${head}  loss ${m.trainLoss.toFixed(2)} (rec ${
              m.trainReconstruction.toFixed(2)
            }, KL ${m.trainKl.toFixed(2)})  test ELBO ${m.testElbo.toFixed(2)}  β ${
              m.beta.toFixed(3)
            }  ${duration(m.seconds)}`,
        );
      },
    });
    const f = result.final;
    const rows: (string | number)[][] = config.model === "ae"
      ? [["test squared error per image", f.reconstruction.toFixed(2)]]
      : [
        ["test ELBO (nats)", f.elbo.toFixed(2)],
        [`test log p(x), k = ${f.importanceSamples}`, f.logLikelihood.toFixed(2)],
        ["test reconstruction", f.reconstruction.toFixed(2)],
        ["test KL", f.kl.toFixed(2)],
        ["active units", `${f.activeUnits} of ${config.latentSize}`],
      ];
    rows.push(["training time", duration(f.trainSeconds)], [
      "evaluation time",
      duration(f.evalSeconds),
    ]);
    console.log("\n" + table(["result", "value"], rows));
    const figures = await writeReport(out!, result, command);
    result.model.dispose();
    console.log(
      `\nWrote ${out}/report.md and report.html (${
        figures.join(", ")
      }), metrics.jsonl, model/ and checkpoints/`,
    );
  } catch (e) {
    if (tty) Deno.stderr.writeSync(encoder.encode("\n"));
    if (e instanceof NonFiniteError) {
      fail(
        `${e.message}.\nThe last complete epoch is saved in ${out}/checkpoints; after fixing the cause, continue with --resume --out ${out}.`,
      );
    }
    if (
      e instanceof BackendError || e instanceof CheckpointError || e instanceof RangeError ||
      e instanceof TypeError
    ) fail(e.message);
    if (e instanceof Error && /Cannot (read|find|load)/.test(e.message)) fail(e.message);
    throw e;
  }
}
