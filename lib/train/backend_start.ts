// Starting the backend a training configuration names, with its threads and
// BLAS path, and saying in a few words which path runs (the tasks' first line).
import { blasStatus, setBlasThreads } from "../tensor/blas.ts";
import { BackendError } from "../tensor/backend_error.ts";
import { MAX_WASM_THREADS, useBackend } from "../tensor/backend.ts";

/** What starting the backend needs of a configuration. */
export interface MachineConfig {
  backend: "wasm" | "cpu" | "webgpu";
  threads: number;
  blas: "auto" | "on" | "off";
}

/** The wasm threads of a configuration: its own, or one per core (at most 8). */
export function wasmThreadCount(c: { threads: number }): number {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  return c.threads > 0 ? c.threads : Math.max(1, Math.min(cores, MAX_WASM_THREADS));
}

/** The BLAS in use, in a few words: "OpenBLAS 0.3.21 … Haswell, 2 threads". */
function blasWords(): string {
  const s = blasStatus();
  if (s === undefined) return "XNNPACK";
  // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH Haswell MAX_THREADS=64" → "OpenBLAS 0.3.21 Haswell"
  const name = s.config?.split(/\s+/).filter((w) => !/[_=]/.test(w)).join(" ") ||
    s.library.replace(/^.*\//, "");
  return `BLAS (${name}${s.threads ? `, ${s.threads} thread${s.threads > 1 ? "s" : ""}` : ""})`;
}

/**
 * Starts the configuration's backend. For wasm with the system's BLAS
 * (`blas` `on`, or `auto` when it loads), the threads go to BLAS and the wasm
 * binary runs on one; without it, the wasm binary runs on them.
 *
 * @returns Which path runs, for the first line of a task: "wasm, products in
 *   BLAS (OpenBLAS 0.3.21 Haswell, 2 threads)", or why BLAS is not used.
 * @throws {BackendError} If the backend cannot start, or `blas` is `on` and
 *   no BLAS can be loaded.
 */
export async function startBackend(c: MachineConfig): Promise<string> {
  if (c.backend !== "wasm") {
    await useBackend(c.backend);
    return c.backend;
  }
  const threads = wasmThreadCount(c);
  const plural = (n: number) => `${n} thread${n > 1 ? "s" : ""}`;
  if (c.blas !== "off") {
    try {
      // The threads go to BLAS, and the wasm binary runs on one: both pools
      // at full count contend (a VAE step 6 ms → 10–12 ms on two cores).
      await useBackend("wasm", { threads: 1, blas: true });
      setBlasThreads(threads);
      return `wasm, products in ${blasWords()}`;
    } catch (e) {
      if (c.blas === "on" || !(e instanceof BackendError)) throw e;
      await useBackend("wasm", { threads, blas: false });
      const why = /permission/.test(e.message)
        ? "no BLAS: Deno may not load it without --allow-ffi"
        : "no BLAS found: apt-get install libopenblas0-pthread for faster products";
      return `wasm, ${plural(threads)}, products in XNNPACK (${why})`;
    }
  }
  await useBackend("wasm", { threads, blas: false });
  return `wasm, ${plural(threads)}, products in XNNPACK`;
}
