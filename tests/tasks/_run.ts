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
  /** The deno.json task whose `deno run` permissions the script gets (default "train"). */
  permissionsOf?: string;
}

/** The repository's root folder. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** The `deno run` permissions of a deno.json task (`deno task train`'s by default). */
export function permissionsOf(task = "train"): string[] {
  return JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)).tasks[task]
    .split(" ").filter((w: string) => w.startsWith("--allow-"));
}

/** The `deno run` permissions a task is given: those of `deno task train` in deno.json. */
export const PERMISSIONS: string[] = permissionsOf();

export async function runTask(
  script: string,
  args: string[],
  options: RunOptions = {},
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 120_000);
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissionsOf(options.permissionsOf), `${ROOT}${script}`, ...args],
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

/**
 * Makes `dir` a folder nothing can write in: read-only for a user, immutable
 * (`chattr +i`) for root, whom permissions do not stop. Returns what undoes
 * it, or undefined (with a printed line) where neither works.
 */
export async function unwritableFolder(dir: string): Promise<(() => Promise<void>) | undefined> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.chmod(dir, 0o555);
  if (!(await canWrite(dir))) return () => Deno.chmod(dir, 0o755);
  await Deno.chmod(dir, 0o755);
  const chattr = (flag: string) =>
    new Deno.Command("chattr", { args: [flag, dir], stderr: "null" }).output()
      .then((o) => o.success, () => false);
  if (await chattr("+i")) return async () => void (await chattr("-i"));
  console.log(`skipped: an unwritable folder (running as root, and chattr +i fails on ${dir})`);
  return undefined;
}

/** Whether a file can be created in `dir` (tried, then removed). */
async function canWrite(dir: string): Promise<boolean> {
  const probe = `${dir}/.probe-${Deno.pid}`;
  try {
    await Deno.writeTextFile(probe, "");
  } catch {
    return false;
  }
  await Deno.remove(probe);
  return true;
}
