// Runs a task as a user would: a real `deno run` subprocess.
import { fileURLToPath } from "node:url";

/** Options of {@linkcode runTask}. */
export interface RunOptions {
  /** The working folder (default: the repository's root). */
  cwd?: string;
  /** Kill the task after this many milliseconds (default 120,000): a hang fails the test. */
  timeoutMs?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** The repository's root folder. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** The `deno run` permissions a task is given (those of `deno task train`). */
export const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-env"];

export async function runTask(
  script: string,
  args: string[],
  options: RunOptions = {},
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 120_000);
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, `${ROOT}${script}`, ...args],
    cwd: options.cwd ?? ROOT,
    stdout: "piped",
    stderr: "piped",
    signal: timeout,
    env: { NO_COLOR: "1", ...options.env },
  });
  const out = await cmd.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    timedOut: timeout.aborted,
  };
}
