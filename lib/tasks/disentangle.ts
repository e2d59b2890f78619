/**
 * The disentanglement sweep: β-VAEs trained on dSprites over a grid of
 * objectives (β = 1, 2, 4, 8, 16, capacity annealing, a KL budget) and seeds,
 * each a run of `deno task train` in its own folder, scored with BetaVAE,
 * FactorVAE, MIG, SAP and DCI, and combined into one report.
 *
 *     deno task disentangle                              # the quick preset, on this machine
 *     deno task disentangle --preset paper --shard auto  # one shard of a cluster job (see deploy/)
 *     deno task disentangle --merge runs/a runs/b --out runs/all
 *     deno task disentangle --resume                     # continue the newest sweep
 *
 * The sweep's settings go to `sweep.json`, each run to `runs/<objective>-seed<N>/`
 * (checkpointed every epoch), and when every run has finished, `results.jsonl`
 * (a line per run) and `report.md` with its figures.
 *
 * @module
 */
import { parseTaskArgs, type TaskArgs } from "../kit/parse.ts";
import { openFolder } from "../kit/run_folder.ts";
import { shellWord, UsageError } from "../kit/rules.ts";
import { usageOf } from "../kit/views.ts";
import { describeFailure, onInterrupt, runMain, usageError } from "../kit/main.ts";
import {
  configOf,
  gridOf,
  type Machine,
  type Point,
  shardOf,
  type Sweep,
  sweepOf,
} from "./_sweep.ts";
import { startBackend } from "../train/backend_start.ts";
import {
  parseShard,
  type Shard,
  SWEEP_FOLDER,
  SWEEP_TASK,
  type SweepArgs,
} from "./_sweep_settings.ts";
import {
  collect,
  finishedResult,
  measureStepSeconds,
  runFolder,
  runPoint,
  writeCombined,
} from "./_sweep_run.ts";
import { newestSweep, openSweep, readSweep, sameSweep, sweepWords } from "./_sweep_folder.ts";
import { summaryTable } from "./_sweep_report.ts";
import { SCORE_KEYS, SCORE_NAMES } from "../train/scores.ts";

const USAGE = usageOf(SWEEP_TASK);
const tty = Deno.stderr.isTerminal();
const encoder = new TextEncoder();

/** Seconds as "45 s", "12 min" or "3 h 05 min" (or "5 d 3 h"). */
function duration(s: number): string {
  if (s < 9.95) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
  return `${Math.floor(m / 1440)} d ${Math.round((m % 1440) / 60)} h`;
}

/** `--merge DIR… [--out OUT]`: checks the sweeps and writes the combined results and report. */
async function merge(dirs: string[], out: string | undefined, args: string[]): Promise<void> {
  if (!dirs.length) {
    usageError("--merge needs the sweep folders to combine: --merge DIR… [--out OUT]", USAGE);
  }
  out ??= dirs[0]!;
  const sweeps: Sweep[] = [];
  for (const dir of dirs) sweeps.push(await readSweep(dir));
  const sweep = sweeps[0]!;
  sweeps.forEach((s, i) => {
    if (!sameSweep(s, sweep)) {
      throw new Error(
        `${dirs[i]} is another sweep (${sweepWords(s)}) than ${dirs[0]} (${
          sweepWords(sweep)
        }): merge only the shards of one sweep`,
      );
    }
  });
  const { found, missing } = await collect(dirs, sweep);
  if (missing.length) {
    throw new Error(
      `${missing.length} of ${found.length + missing.length} runs are not finished in ${
        dirs.join(", ")
      } (${missing.slice(0, 3).map((p) => p.id).join(", ")}${
        missing.length > 3 ? ", …" : ""
      }): run their shards to the end (the same command continues them), then merge`,
    );
  }
  const folder = await openFolder(out, SWEEP_FOLDER, await SWEEP_FOLDER.holdsRun(out));
  try {
    const files = await writeCombined(
      out,
      found,
      sweep,
      ["deno task disentangle", ...args.map(shellWord)].join(" "),
    );
    console.log(`${summaryTable(found.map((f) => f.result))}\n`);
    console.log(
      `Merged ${found.length} runs from ${dirs.length} folder(s): wrote ${out}/${files.join(", ")}`,
    );
  } finally {
    folder.lock.release();
  }
}

/** Prints what the sweep will do and how long it should take, from a measured step. */
async function announce(
  sweep: Sweep,
  points: Point[],
  shard: Shard | undefined,
  machine: Machine,
  out: string,
) {
  const z = sweep.settings, all = gridOf(sweep).length;
  const path = await startBackend(configOf(sweep, gridOf(sweep)[0]!, machine));
  const part = shard
    ? `shard ${shard.index}/${shard.count}: ${points.length} of ${all} runs`
    : `${all} runs`;
  console.log(
    `Sweep (${sweep.preset}): ${part} (7 objectives × ${z.seeds} seed${
      z.seeds > 1 ? "s" : ""
    }) of ${z.steps.toLocaleString("en-US")} steps on ${z.dataset}, ${z.network} ${
      z.hiddenSizes.join("-")
    }, ${z.latentSize} latents, on ${path} → ${out}`,
  );
  const perStep = await measureStepSeconds(sweep, machine);
  const total = perStep * z.steps * points.length;
  console.log(
    `Measured ${(perStep * 1000).toFixed(1)} ms a step here: about ${duration(total)} of training${
      points.length ? ` (${duration(total / points.length)} a run)` : ""
    }, plus scoring each run on ${z.scorePoints.toLocaleString("en-US")} points`,
  );
  if (!shard && (sweep.preset === "paper" || total > 6 * 3600)) {
    console.log(
      "That is long for one machine: split it over a cluster with --shard I/N or --shard auto (deploy/ holds a Kubernetes Indexed Job and a Slurm array script), then --merge",
    );
  }
}

/** One line of a finished run's scores. */
const scoreLine = (r: { scores: Record<string, number> }) =>
  SCORE_KEYS.filter((k) => !k.startsWith("dciC") && !k.startsWith("dciI"))
    .map((k) =>
      `${SCORE_NAMES[k].replace("DCI disentanglement", "DCI")} ${r.scores[k]!.toFixed(2)}`
    )
    .join("  ");

async function main(args: string[]): Promise<void> {
  const parsed: TaskArgs<SweepArgs> = parseTaskArgs<SweepArgs>(SWEEP_TASK, args);
  if (parsed.kind === "help") return void console.log(parsed.usage);
  if (parsed.kind === "error") usageError(parsed.message, USAGE);
  if (parsed.extra.merge) {
    if (parsed.kind === "resume") {
      usageError("--merge and --resume do not go together: choose one", USAGE);
    }
    const flags = args.filter((a) => a.startsWith("-")).map((a) => a.replace(/=.*$/, ""));
    const stray = flags.find((f) => f !== "--merge" && f !== "--out");
    if (stray) {
      usageError(
        `--merge reads the settings from the sweeps: drop ${stray} (give --merge DIR… and --out OUT)`,
        USAGE,
      );
    }
    return await merge(parsed.positionals, parsed.out, args);
  }
  const given = parsed.kind === "run" ? parsed.config : parsed.changes;
  let shard: Shard | undefined;
  try {
    if (given.shard !== undefined) shard = parseShard(given.shard, (n) => Deno.env.get(n));
  } catch (e) {
    if (e instanceof UsageError) usageError(e.message, USAGE);
    throw e;
  }
  const machine: Machine = { threads: given.threads ?? 0, blas: given.blas ?? "auto" };
  let out = parsed.out;
  if (parsed.kind === "resume") {
    out ??= await newestSweep();
    if (!out) usageError("--resume found no sweep to continue in runs/: pass --out DIR", USAGE);
  } else out ??= `runs/disentangle-${parsed.config.preset}`;
  const continueWith = shard
    ? `run the same command again to continue (each run resumes from its last complete epoch)`
    : `continue with deno task disentangle --resume ${shellWord(`--out=${out}`)}`;
  let current: Point | undefined;
  // Before the folder's lock, whose own handler would exit without a word.
  const quiet = onInterrupt(() =>
    `the finished runs are in ${out}/runs${
      current ? `, and ${runFolder(out!, current)} is checkpointed every epoch` : ""
    }: ${continueWith}`
  );
  const { sweep, release } = await openSweep(
    out,
    parsed.kind === "resume" ? undefined : sweepOf(parsed.config),
    shard !== undefined,
  ).catch((e) => {
    quiet();
    throw e;
  });
  const grid = gridOf(sweep);
  const points = shard ? shardOf(grid, shard.index, shard.count) : grid;
  try {
    await announce(sweep, points, shard, machine, out);
    const started = performance.now();
    let ran = 0;
    for (const [i, p] of points.entries()) {
      const tag = `run ${i + 1}/${points.length} (${p.cell.name}, seed ${p.seed})`;
      const done = await finishedResult(out, p);
      if (done) {
        console.log(`${tag}: finished before  ${scoreLine(done)}`);
        continue;
      }
      current = p;
      const t0 = performance.now();
      let result;
      try {
        result = await runPoint(out, sweep, p, machine, (e) => {
          if (!tty) return;
          const line = e.kind === "step"
            ? `epoch ${e.epoch}/${e.epochs}  step ${e.batch + 1}/${e.batches}  loss ${
              e.result.loss.toFixed(1)
            }`
            : e.kind === "log"
            ? e.line
            : `epoch ${e.metrics.epoch} done`;
          Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${tag}  ${line}`.slice(0, 160)));
        });
      } catch (e) {
        if (tty) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
        throw new Error(
          `${tag} failed: ${
            describeFailure(e)
          } — the finished runs are in ${out}/runs: ${continueWith}`,
        );
      }
      if (tty) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
      ran++;
      const left = points.length - i - 1;
      const eta = left
        ? `; ETA ${duration((performance.now() - started) / 1000 / ran * left)}`
        : "";
      console.log(
        `${tag}: ${scoreLine(result)}  (${duration((performance.now() - t0) / 1000)}${eta})`,
      );
    }
    current = undefined;
    const { found, missing } = await collect([out], sweep);
    if (missing.length && !shard) {
      throw new Error(
        `${missing.length} runs are not finished in ${out} (${missing[0]!.id}, …): ${continueWith}`,
      );
    }
    if (missing.length) {
      console.log(
        `Shard ${shard!.index}/${
          shard!.count
        } is done; ${found.length} of ${grid.length} runs are finished in ${out}. When every shard is: deno task disentangle --merge ${
          shellWord(out)
        } (or --merge with each shard's folder, if they did not share one)`,
      );
      return;
    }
    const command = ["deno task disentangle", ...args.map(shellWord)].join(" ");
    const files = await writeCombined(out, found, sweep, command);
    console.log(`\n${summaryTable(found.map((f) => f.result))}\n`);
    console.log(`Wrote ${out}/${files.join(", ")}; each run's folder is in ${out}/runs`);
  } finally {
    quiet();
    release();
  }
}

if (import.meta.main) await runMain(() => main(Deno.args));
