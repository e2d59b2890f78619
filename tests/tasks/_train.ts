// Shared pieces of the tests of `deno task train` (run as a user would).
import assert from "node:assert/strict";
import { PERMISSIONS, ROOT } from "./_run.ts";

/** The task under test. */
export const TASK = "lib/tasks/train.ts";

/**
 * A tiny run on 8 × 8 images (about half a second); `more` ("--flag", "value"
 * or "--flag=value") replaces or adds options, each given once.
 */
export function tiny(data: string, ...more: string[]): string[] {
  const o = new Map<string, string>(Object.entries({
    "--dataset": data,
    "--backend": "cpu",
    "--hidden": "16",
    "--latent": "2",
    "--batch-size": "20",
    "--epochs": "3",
    "--eval-samples": "5",
    "--seed": "7",
  }));
  for (let i = 0; i < more.length; i++) {
    const eq = more[i]!.indexOf("=");
    if (eq > 0) o.set(more[i]!.slice(0, eq), more[i]!.slice(eq + 1));
    else o.set(more[i]!, more[++i]!);
  }
  return [...o].map(([k, v]) => `${k}=${v}`);
}

/** The last line of metrics.jsonl, without its timings. */
export async function finalLine(dir: string): Promise<Record<string, unknown>> {
  const lines = (await Deno.readTextFile(`${dir}/metrics.jsonl`)).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  const final = lines.at(-1);
  assert.equal(final.kind, "final");
  delete final.trainSeconds;
  delete final.evalSeconds;
  return final;
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A runtime error: one line on stderr, exit 1, no stack trace. */
export function assertRuntimeError(r: { code: number; stderr: string }, message: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, message);
  assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/);
}

/** Starts the task in the background (stderr piped). */
export function spawnTrain(args: string[], cwd = ROOT): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, `${ROOT}${TASK}`, ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

/** Polls until `test` holds. */
export async function waitFor(
  what: string,
  test: () => Promise<boolean>,
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
