/**
 * The training command, `deno task train`: trains an autoencoder, VAE or
 * β-VAE on real data and writes a run folder with checkpoints, metrics and a
 * report with figures, with a progress bar and a results table on the way.
 *
 *     deno task train                                   # VAE on the embedded MNIST digits, wasm
 *     deno task train --model beta-vae --beta 4 --dataset fashion-mnist
 *     deno task train --resume --out runs/my-run        # continue after an interruption
 *     deno run -A jsr:@elbo/elbo/train/cli --help       # every option, from JSR
 *
 * This module is the script and exports nothing; the same from code is
 * `train(config, { out, onProgress })` in `@elbo/elbo/train`.
 *
 * @module
 */
import { NonFiniteError } from "../models/errors.ts";
import { outOption, parseTrainArgs, shellWord, TRAIN_USAGE } from "../train/args.ts";
import type { TrainConfig } from "../train/config.ts";
import { startBackend } from "../train/backend_start.ts";
import { latestCheckpointName, readLatestCheckpoint } from "../train/checkpoint.ts";
import {
  type EpochMetrics,
  type EpochSummary,
  type Progress,
  train,
  type TrainResult,
  UnfinishedRunError,
} from "../train/trainer.ts";
import type { Term } from "../models/report.ts";
import {
  describeFailure,
  newestRun,
  onInterrupt,
  runMain,
  runtimeError,
  table,
  usageError,
} from "../kit/main.ts";
import { writeReport } from "./_report.ts";
import { SCORE_KEYS, SCORE_NAMES } from "../train/scores.ts";

/** The newest training run in runs/ (by its latest checkpoint), if any. */
function newestTrainRun(): Promise<string | undefined> {
  return newestRun("runs", async (dir) => {
    try {
      return (await Deno.stat(`${dir}/checkpoints/latest`)).mtime?.getTime() ?? 0;
    } catch {
      return undefined;
    }
  });
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const m = Math.floor(s / 60), r = Math.round(s % 60);
  return m > 0 ? `${m}m${String(r).padStart(2, "0")}s` : `${r}s`;
}

const encoder = new TextEncoder();
const tty = Deno.stderr.isTerminal();

/** A number as a progress line shows it: a weight (β, C) to 3 decimals, a term to 2. */
const shown = (t: Term, v: number) => v.toFixed(t.weight ? 3 : 2);

function progressLine(p: Progress): string {
  const done = (p.epoch - 1) * p.batches + p.batch + 1, total = p.epochs * p.batches;
  const width = 24, filled = Math.round((width * (p.batch + 1)) / p.batches);
  const perStep = p.elapsed / p.stepsThisRun;
  const remainingSteps = total - done;
  const terms = p.report.terms.map((t) => `  ${t.label} ${shown(t, p.result.terms[t.key]!)}`);
  return `epoch ${p.epoch}/${p.epochs} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${
    p.batch + 1
  }/${p.batches}` +
    `  ETA ${duration(perStep * remainingSteps)}  loss ${p.result.loss.toFixed(2)}${
      terms.join("")
    }`;
}

/**
 * An epoch's line: the mean loss with its terms (when it has more than
 * one), the model's headline test metric, and the weights (β, C).
 */
function epochLine(head: string, m: EpochMetrics, s: EpochSummary): string {
  const terms = s.report.terms.filter((t) => !t.weight);
  const parts = terms.length > 1
    ? ` (${terms.map((t) => `${t.label} ${shown(t, s.train[t.key]!)}`).join(", ")})`
    : "";
  const headline = s.report.metrics[0]!, value = s.test[headline.key];
  const weights = s.report.terms.filter((t) => t.weight)
    .map((t) => `  ${t.label} ${shown(t, s.train[t.key]!)}`).join("");
  return `${head}  loss ${s.train.loss!.toFixed(2)}${parts}  ${headline.label} ${
    typeof value === "number" ? value.toFixed(2) : "?"
  }${weights}  ${duration(m.seconds)}`;
}

/** The final results: the model's metrics with their descriptions, then the timings. */
function resultRows(r: TrainResult): (string | number)[][] {
  const rows: (string | number)[][] = r.model.report.metrics.map((q) => {
    const v = r.final[q.key];
    return [
      q.description,
      typeof v === "number" && !Number.isInteger(v) ? v.toFixed(2) : String(v),
    ];
  });
  if (typeof r.final.mig === "number") {
    for (const k of SCORE_KEYS) rows.push([SCORE_NAMES[k], (r.final[k] as number).toFixed(3)]);
  }
  rows.push(["training time", duration(r.final.trainSeconds)], [
    "evaluation time",
    duration(r.final.evalSeconds),
  ]);
  return rows;
}

/** The one-line advice after a failed step: where the last complete epoch is, if anywhere. */
async function nonFiniteAdvice(out: string): Promise<string> {
  const latest = await latestCheckpointName(out);
  return latest
    ? `the last complete epoch is saved in ${out}/checkpoints/${latest}; resuming it (--resume ${
      outOption(out)
    }) repeats the same steps unless --backend changes, so start a new run with a smaller --learning-rate (or another --seed) if it fails again`
    : "no epoch was completed, so nothing was saved: start again with a smaller --learning-rate (or another --seed)";
}

async function main(args: string[]): Promise<void> {
  const parsed = parseTrainArgs(args);
  if (parsed.kind === "help") {
    console.log(parsed.usage);
    return;
  }
  if (parsed.kind === "error") usageError(parsed.message, TRAIN_USAGE);
  let out = parsed.out;
  let config: TrainConfig;
  if (parsed.kind === "resume") {
    out ??= await newestTrainRun();
    if (!out) usageError("--resume found no run to continue in runs/: pass --out DIR", TRAIN_USAGE);
    try {
      config = { ...(await readLatestCheckpoint(out)).state.config, ...parsed.changes };
    } catch (e) {
      runtimeError(describeFailure(e));
    }
  } else {
    config = parsed.config;
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const dataName = config.dataset.replace(/\/+$/, "").replace(/^.*\//, "")
      .replace(/[^a-zA-Z0-9-]/g, "") || "data";
    out ??= `runs/${config.model}-${dataName}-${stamp}`;
  }
  const command = ["deno task train", ...args.map(shellWord)].join(" ");
  let path: string;
  try {
    path = await startBackend(config);
  } catch (e) {
    runtimeError(describeFailure(e));
  }
  const posterior = config.model !== "ae" && config.posterior === "iaf" ? " (IAF posterior)" : "";
  console.log(`Training ${config.model}${posterior} on ${config.dataset} with ${path} → ${out}`);
  let lastDraw = 0, firstEpoch = 0;
  const started = performance.now();
  const quiet = onInterrupt(() => {
    let latest: string | undefined;
    try {
      latest = Deno.readTextFileSync(`${out}/checkpoints/latest`).trim();
    } catch { /* none yet */ }
    return latest
      ? `the last complete epoch is saved in ${out}/checkpoints/${latest}: continue with --resume ${
        outOption(out!)
      }`
      : "no epoch was completed";
  });
  try {
    const result = await train(config, {
      out,
      resume: parsed.kind === "resume",
      onProgress: (event) => {
        if (event.kind === "log") console.log(event.line);
        else if (event.kind === "step") {
          if (firstEpoch === 0) firstEpoch = event.epoch;
          if (!tty) return;
          const now = performance.now();
          if (now - lastDraw < 100 && event.batch + 1 < event.batches) return;
          lastDraw = now;
          Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${progressLine(event)}`));
        } else {
          const m = event.metrics;
          if (tty) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
          const width = String(config.epochs).length;
          // The time this process has spent per epoch predicts the rest.
          const done = m.epoch - firstEpoch + 1,
            perEpoch = (performance.now() - started) / 1000 / done;
          const eta = m.epoch < config.epochs
            ? `  ETA ${duration(perEpoch * (config.epochs - m.epoch))}`
            : "";
          console.log(
            epochLine(
              `epoch ${String(m.epoch).padStart(width)}/${config.epochs}${eta}`,
              m,
              event.summary,
            ),
          );
        }
      },
      onFinish: async (result) => {
        const rows = resultRows(result);
        console.log("\n" + table(["result", "value"], rows));
        const figures = await writeReport(out, result, command);
        console.log(
          `\nWrote ${out}/report.md and report.html (${
            figures.join(", ")
          }), metrics.jsonl, model/ and checkpoints/`,
        );
      },
    });
    result.model.dispose();
  } catch (e) {
    if (tty) Deno.stderr.writeSync(encoder.encode("\n"));
    if (e instanceof NonFiniteError) runtimeError(`${e.message}; ${await nonFiniteAdvice(out)}`);
    if (e instanceof UnfinishedRunError) {
      runtimeError(`the run could not finish: ${describeFailure(e)}`);
    }
    runtimeError(describeFailure(e));
  } finally {
    quiet();
  }
}

if (import.meta.main) await runMain(() => main(Deno.args));
