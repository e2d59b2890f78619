// How the bench scripts start PyTorch: in its best configuration. Some
// machines set OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE), which pin OpenBLAS to
// an older kernel and which a child process inherits; the baseline runs
// without them, and reports the BLAS it ran (bench/reference/_blas_info.py).

/** Variables that slow a baseline down, removed from PyTorch's environment. */
export const PINNING_VARIABLES = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"] as const;

/** PyTorch's environment: this process's, less the pinning variables, at `threads` threads. */
export function torchEnv(threads: number): Record<string, string> {
  const env = Deno.env.toObject();
  for (const v of PINNING_VARIABLES) delete env[v];
  return { ...env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
}

/** The BLAS a PyTorch run reported (`blas` of its JSON line). */
export interface TorchBlas {
  library: string | null;
  version: string | null;
  coretype: string | null;
  threads: number | null;
  path: string | null;
  env: Record<string, string>;
}

/** One line for a table's notes: "openblas 0.3.21, core Cooperlake, 1 thread (…)". */
export function describeTorchBlas(b: TorchBlas | undefined): string {
  if (b === undefined) return "unknown (PyTorch did not run)";
  const parts = [`${b.library ?? "unknown"}${b.version ? ` ${b.version}` : ""}`];
  if (b.coretype) parts.push(`core type ${b.coretype}`);
  if (b.threads !== null) parts.push(`${b.threads} thread${b.threads === 1 ? "" : "s"}`);
  if (b.path) parts.push(b.path);
  const pinned = Object.entries(b.env);
  parts.push(
    pinned.length
      ? `pinned by ${pinned.map(([k, v]) => `${k}=${v}`).join(", ")}`
      : `${PINNING_VARIABLES.join(" and ")} unset`,
  );
  return parts.join(", ");
}

/**
 * Runs a PyTorch script of bench/reference at `threads` threads, in its best
 * configuration (see torchEnv), and parses the JSON line it prints.
 *
 * @returns The parsed line, or why the script could not run (its last line on stderr).
 */
export async function runTorch(
  script: string,
  threads: number,
  args: string[],
): Promise<Record<string, unknown> | string> {
  try {
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [new URL(script, import.meta.url).pathname, "--threads", String(threads), ...args],
      env: torchEnv(threads),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (out.code !== 0) {
      return new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "failed";
    }
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch (e) {
    return (e as Error).message;
  }
}
