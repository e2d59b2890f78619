// Running a sweep's grid points as runs of `train`, each in its own folder
// under OUT/runs/, and combining the finished runs of one or more sweep
// folders into results.jsonl and the report.
import { relative } from "node:path";
import { commandOf } from "../kit/views.ts";
import { shellWord } from "../kit/rules.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { startBackend } from "../train/backend_start.ts";
import { TRAIN_TASK } from "../train/settings.ts";
import { TRAIN_FOLDER } from "../train/run_folder.ts";
import { buildModel, prepareData } from "../train/setup.ts";
import { train, type TrainEvent } from "../train/trainer.ts";
import { writeReport } from "./_report.ts";
import {
  configOf,
  gridOf,
  type Machine,
  type Point,
  resultOf,
  type RunResult,
  type Sweep,
} from "./_sweep.ts";
import { writeSweepReport } from "./_sweep_report.ts";

/** A grid point's run folder. */
export const runFolder = (out: string, p: Point): string => `${out}/runs/${p.id}`;

/**
 * A grid point's result if its run finished and wrote its report, else
 * undefined (not started, unfinished, or killed while writing its report).
 */
export async function finishedResult(out: string, p: Point): Promise<RunResult | undefined> {
  const dir = runFolder(out, p);
  const r = await resultOf(dir, p);
  if (!r) return undefined;
  try {
    await Deno.stat(`${dir}/report.md`);
  } catch {
    return undefined;
  }
  return r;
}

/**
 * Trains a grid point as `deno task train` would, in its folder under
 * OUT/runs (continuing it from its last complete epoch if it has one), and
 * writes the run's own report.
 */
export async function runPoint(
  out: string,
  sweep: Sweep,
  p: Point,
  machine: Machine,
  onEvent: (e: TrainEvent) => void,
): Promise<RunResult> {
  const dir = runFolder(out, p);
  const config = configOf(sweep, p, machine);
  const resume = await TRAIN_FOLDER.holdsRun(dir);
  const command = `${commandOf(TRAIN_TASK, config)} --out ${shellWord(dir)}`;
  const r = await train(config, {
    out: dir,
    resume,
    onProgress: onEvent,
    onFinish: (result) => writeReport(dir, result, command),
  });
  r.model.dispose();
  const result = await resultOf(dir, p);
  if (!result) throw new Error(`${dir}/metrics.jsonl has no final line after the run finished`);
  return result;
}

/**
 * Seconds per Adam step of a sweep's model on this machine: a warm-up step,
 * then the median of `steps` timed ones, on the sweep's data and backend.
 */
export async function measureStepSeconds(
  sweep: Sweep,
  machine: Machine,
  steps = 5,
): Promise<number> {
  const c = configOf(sweep, gridOf(sweep)[0]!, machine);
  await startBackend(c);
  const { batches, inputSize } = await prepareData(c, true);
  const model = buildModel(c, inputSize, batches.perEpoch);
  try {
    const batch = (i: number) =>
      batches.batch(Math.floor(i / batches.perEpoch), i % batches.perEpoch);
    await model.trainStep(batch(0));
    const times: number[] = [];
    for (let i = 1; i <= steps; i++) {
      const x = batch(i);
      const t0 = performance.now();
      await model.trainStep(x);
      times.push((performance.now() - t0) / 1000);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  } finally {
    model.dispose();
  }
}

/** A finished run and the sweep folder it was found in. */
export interface Found {
  result: RunResult;
  dir: string;
}

/**
 * The finished runs of a sweep in one or more folders, in grid order, and
 * the grid points none of them has finished.
 *
 * @throws {Error} If two folders hold different results for one point.
 */
export async function collect(
  dirs: readonly string[],
  sweep: Sweep,
): Promise<{ found: Found[]; missing: Point[] }> {
  const found: Found[] = [], missing: Point[] = [];
  for (const p of gridOf(sweep)) {
    let first: Found | undefined;
    for (const dir of dirs) {
      const result = await finishedResult(dir, p);
      if (!result) continue;
      if (!first) first = { result, dir };
      else if (!sameResult(first.result, result)) {
        throw new Error(
          `${runFolder(first.dir, p)} and ${
            runFolder(dir, p)
          } hold different results for one grid point: keep one of them`,
        );
      }
    }
    if (first) found.push(first);
    else missing.push(p);
  }
  return { found, missing };
}

/** Whether two runs of one grid point agree (all but their timings). */
function sameResult(a: RunResult, b: RunResult): boolean {
  const { seconds: _a, ...x } = a, { seconds: _b, ...y } = b;
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * Writes OUT/results.jsonl (one line per run: its objective, seed, scores,
 * final terms and folder) and the sweep's report; returns the files written.
 */
export async function writeCombined(
  out: string,
  found: readonly Found[],
  sweep: Sweep,
  command: string,
): Promise<string[]> {
  const folderOf = new Map<RunResult, string>();
  for (const f of found) {
    const p = gridOf(sweep).find((q) => q.cell.name === f.result.cell && q.seed === f.result.seed)!;
    folderOf.set(f.result, relative(out, runFolder(f.dir, p)) || ".");
  }
  const runs = found.map((f) => f.result);
  const lines = runs.map((r) => JSON.stringify({ ...r, run: folderOf.get(r) })).join("\n") + "\n";
  await writeAtomic(`${out}/results.jsonl`, lines);
  const files = await writeSweepReport(out, runs, sweep, command, (r) => folderOf.get(r)!);
  return ["results.jsonl", ...files];
}
