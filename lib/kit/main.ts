// How every task ends: a usage error is one line and the usage, exit 2; a
// runtime error is one line, exit 1; never a stack trace (unless ELBO_DEBUG
// is set); SIGINT and SIGTERM say how to resume, exit 130 and 143.
import { oneLine } from "./rules.ts";
import { parseTaskArgs } from "./parse.ts";
import { type FolderSpec, openFolder } from "./run_folder.ts";
import type { TaskSpec } from "./settings.ts";
import { usageOf } from "./views.ts";

/**
 * Exits after a usage error (a malformed, unknown or conflicting option): one
 * line `error: …`, then the usage if given; exit code 2.
 */
export function usageError(message: string, usage?: string): never {
  console.error(`error: ${oneLine(message)}${usage ? `\n\n${usage}` : ""}`);
  Deno.exit(2);
}

/**
 * Exits after a runtime error (a file, a folder, a lock, the data, a failed
 * step): one line `error: …`; exit code 1.
 */
export function runtimeError(message: string): never {
  console.error(`error: ${oneLine(message)}`);
  Deno.exit(1);
}

/** What a failure prints: its message, and its stack on stderr when ELBO_DEBUG is set. */
export function describeFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  let debug = false;
  try {
    debug = Deno.env.get("ELBO_DEBUG") !== undefined;
  } catch { /* no --allow-env */ }
  if (debug) console.error(e.stack);
  return e.message;
}

/**
 * Runs a task's main function: anything it throws ends as one line and exit
 * code 1, never a stack trace.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    runtimeError(describeFailure(e));
  }
}

/**
 * Until the returned function is called, SIGINT and SIGTERM print one line —
 * `error: SIGTERM: stopped; ` and what `resumeAdvice()` says (where the work
 * is saved, the command that continues it) — and exit 130 or 143.
 *
 * @param resumeAdvice What was saved and how to continue, read when the signal comes.
 * @returns A function that removes the handlers.
 */
export function onInterrupt(resumeAdvice: () => string): () => void {
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const h = () => {
      if (Deno.stderr.isTerminal()) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
      let advice: string;
      try {
        advice = resumeAdvice();
      } catch (e) {
        advice = (e as Error)?.message ?? String(e);
      }
      console.error(`error: ${signal}: stopped; ${oneLine(advice)}`);
      Deno.exit(signal === "SIGINT" ? 130 : 143);
    };
    try {
      Deno.addSignalListener(signal, h);
    } catch { /* a signal this system does not have */ }
    return [signal, h] as const;
  });
  return () => {
    for (const [s, h] of handlers) {
      try {
        Deno.removeSignalListener(s, h);
      } catch { /* as above */ }
    }
  };
}

/** A fixed-width table, right-aligned numbers. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const w = header.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, j) => (j === 0 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join("  ");
  return [fmt(cells[0]!), w.map((n) => "-".repeat(n)).join("  "), ...cells.slice(1).map(fmt)].join(
    "\n",
  );
}

/** The newest folder under `root` whose marker names `task` (or that `holdsRun`), if any. */
export async function newestRun(
  root: string,
  isRun: (dir: string) => Promise<number | undefined>,
): Promise<string | undefined> {
  let best: { path: string; time: number } | undefined;
  try {
    for await (const e of Deno.readDir(root)) {
      if (!e.isDirectory) continue;
      const time = await isRun(`${root}/${e.name}`);
      if (time !== undefined && (!best || time > best.time)) {
        best = { path: `${root}/${e.name}`, time };
      }
    }
  } catch { /* no such folder */ }
  return best?.path;
}

/**
 * Runs a task that writes one folder and does not resume: reads its command
 * line (`--help` prints the usage; a usage error is one line, exit 2), opens
 * and locks its `--out` folder, runs `work` there, and releases the lock
 * whatever happens.
 *
 * @param task The task.
 * @param folder What the folder holds.
 * @param args The arguments (as `Deno.args`).
 * @param work The task's work, given its configuration and folder.
 */
export async function runInFolder<C>(
  task: TaskSpec,
  folder: FolderSpec,
  args: string[],
  work: (config: C, out: string) => Promise<void>,
): Promise<void> {
  const parsed = parseTaskArgs<C>(task, args);
  if (parsed.kind === "help") return void console.log(parsed.usage);
  if (parsed.kind === "error") usageError(parsed.message, usageOf(task));
  if (parsed.kind !== "run") throw new Error(`deno task ${task.name} has nothing to resume`);
  const out = parsed.out ?? task.outDefault;
  if (out === undefined) throw new Error(`deno task ${task.name} has no run folder`);
  const opened = await openFolder(out, folder, false);
  try {
    await work(parsed.config, out);
  } finally {
    opened.lock.release();
  }
}
