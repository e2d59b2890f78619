import { tf } from "./_tf.ts";
import { describe } from "./_validate.ts";
import { BackendError } from "./backend_error.ts";
import { setBlas, setBlasThreads } from "./blas.ts";
import { installMatMul } from "./_wasm_blas.ts";
import { installSoftplus } from "./_wasm_softplus_op.ts";
import { readOptions } from "../math/_options.ts";
import { runningWasm, setBackendQuietly, startWasm, wasmStarted } from "./_backend_start.ts";

/** The TensorFlow.js backends elbo can run on. */
export type BackendName = "cpu" | "wasm" | "webgpu" | "webgl";

/** The backends, with what each needs (frozen: only these names are backends). */
export const BACKENDS: Readonly<Record<BackendName, string>> = Object.freeze({
  cpu: "pure JavaScript; slow, but deterministic and always available",
  wasm: "WebAssembly with SIMD, loaded from the installed npm package (the default in Deno)",
  webgpu: "WebGPU; on by default in Deno 2.9 (older Deno: --unstable-webgpu)",
  webgl: "WebGL2; browsers only",
});

/** Options of {@link useBackend}. */
export interface BackendOptions {
  /**
   * Threads for the `wasm` backend: an integer from 1 to
   * {@link MAX_WASM_THREADS} (8, the most tfjs's threaded binary runs). 1 runs
   * the single-threaded SIMD binary; more run the threaded SIMD binary with
   * that many threads. To use every core, ask for
   * `Math.min(navigator.hardwareConcurrency, MAX_WASM_THREADS)`. Default: 1
   * when the wasm backend starts, because a library should not start threads
   * unasked: the workers stay for the process's life (Deno.test's sanitizers
   * report their message ports), and on a machine another job keeps busy they
   * slow a step down. `deno task train` asks for one per core, at most 8. A
   * wasm backend already running keeps its count unless `threads` is given.
   * Other backends take no `threads`. With BLAS on, its threads follow
   * this count.
   */
  threads?: number;
  /**
   * The system's BLAS for the wasm backend's matrix products: `true` finds
   * OpenBLAS where Linux distributions and Homebrew put it (Debian's
   * `libopenblas0-pthread`); a string is the path of a library with
   * `cblas_sgemm`; `false` returns to tfjs-wasm's own kernel (XNNPACK).
   * Products, transposed or not, then run in BLAS on the operands where they
   * lie in the wasm memory, with BLAS's own threads; results agree with
   * XNNPACK's to float32 rounding. It loads native code through Deno's FFI,
   * so Deno needs `--allow-ffi` (as strong as `--allow-all`). Default: as
   * before the call (off when the wasm backend first starts). wasm only.
   */
  blas?: boolean | string;
}

/** How the wasm backend runs, as {@link wasmThreads} reports it. */
export interface WasmThreads {
  /** The threads asked for. */
  readonly requested: number;
  /** The threads XNNPACK runs with (1 after a fallback). */
  readonly active: number;
  /** Why the threaded binary did not start, when it fell back to one thread. */
  readonly fallback?: string;
}

/**
 * The most threads {@link useBackend} accepts for the wasm backend: 8, the
 * most tfjs-backend-wasm 4.22's threaded SIMD binary runs.
 *
 * Its start-up (`init_with_threads_count`) clamps XNNPACK's thread pool to 8
 * whatever it is asked for. More would need another build: the 8 workers
 * Emscripten starts up front serve a pool of at most 9 threads (the calling
 * thread is one), and a worker started later cannot load while the calling
 * thread waits for it. So {@link useBackend} refuses a larger count rather
 * than run fewer threads than asked.
 *
 * ```text
 * XNNPACK threads = min(max(threads, 1), 8, ⌊logical cores / 2⌋)
 * ```
 *
 * (elbo reports `2 × threads` logical cores to the binary while it starts,
 * so the last term never binds.)
 */
export const MAX_WASM_THREADS = 8;

/**
 * Reports how the wasm backend runs: threads asked for and in use, and the
 * reason for a fallback to one thread.
 *
 * ```text
 * active = requested            when the threaded binary started (or requested = 1)
 * active = 1, fallback = reason when it could not start
 * ```
 *
 * @returns The wasm backend's threads, or `undefined` before it has started.
 *
 * @example
 * ```ts
 * import { useBackend, wasmThreads } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("wasm", { threads: 1 });
 * assert.deepEqual(wasmThreads(), { requested: 1, active: 1 });
 * await useBackend("cpu");
 * ```
 */
export function wasmThreads(): WasmThreads | undefined {
  return runningWasm();
}

const WHAT = "Cannot run useBackend";

/** `options.threads` and `options.blas`, checked: for wasm only. */
function checkOptions(
  name: BackendName,
  options: unknown,
): { threads?: number; blas?: boolean | string } {
  const o = readOptions(WHAT, options, ["threads", "blas"]);
  const wasmOnly = (key: "threads" | "blas") => {
    if (name !== "wasm") {
      throw new TypeError(
        `${WHAT} as ${o.label(key)} applies only to the wasm backend: current backend is ${
          JSON.stringify(name)
        }`,
      );
    }
  };
  const out: { threads?: number; blas?: boolean | string } = {};
  if (o.has("threads")) {
    out.threads = o.int("threads", {
      min: 1,
      max: MAX_WASM_THREADS,
      why: `tfjs's threaded wasm binary runs at most ${MAX_WASM_THREADS}`,
    });
    wasmOnly("threads");
  }
  if (o.has("blas")) {
    const blas = (options as { blas: unknown }).blas;
    if (typeof blas !== "boolean" && (typeof blas !== "string" || blas === "")) {
      throw new TypeError(
        `${WHAT} as ${o.label("blas")} must be true, false or a library's path: current value is ${
          describe(blas)
        }`,
      );
    }
    wasmOnly("blas");
    out.blas = blas;
  }
  return out;
}

/** Starts the wasm backend at `threads`, or keeps it running as it is. */
async function runWasm(threads: number | undefined): Promise<void> {
  const running = runningWasm();
  if (running && wasmStarted() && (threads === undefined || threads === running.requested)) {
    if (tf.getBackend() !== "wasm") {
      const reason = await setBackendQuietly("wasm");
      if (reason) throw new BackendError("wasm", `The wasm backend failed to start: ${reason}`);
    }
    return;
  }
  const reason = await startWasm(threads ?? DEFAULT_WASM_THREADS);
  if (reason) throw new BackendError("wasm", `The wasm backend failed to start: ${reason}`);
}

// One thread unless asked (see BackendOptions.threads).
const DEFAULT_WASM_THREADS = 1;

/**
 * Selects and initialises a TensorFlow.js backend.
 *
 * `wasm` loads its `.wasm` binaries from the installed npm package (no
 * network). With more than one thread it runs tfjs's threaded SIMD binary on
 * `node:worker_threads` workers, at most {@link MAX_WASM_THREADS} (8)
 * threads; they never keep the process alive. If the threaded binary cannot
 * start, one line goes to stderr and the backend runs on one thread
 * ({@link wasmThreads} says so). Changing the thread count of a running wasm
 * backend restarts it: tensors made on it before become unusable. With
 * `blas`, the wasm backend's matrix products run in the system's BLAS
 * through Deno's FFI (`blasStatus()` says which). `webgpu` needs a
 * WebGPU adapter (on by default in Deno 2.9; older versions need
 * `deno run --unstable-webgpu`).
 *
 * ```text
 * threads = options.threads ?? (wasm running ? its count : 1)
 * ```
 *
 * @param name `"cpu"`, `"wasm"`, `"webgpu"` or `"webgl"`.
 * @param options `{ threads, blas }` for the wasm backend: threads an
 *   integer from 1 to {@link MAX_WASM_THREADS} (8), blas `true`, `false` or a
 *   library's path (see {@link BackendOptions}).
 * @returns The name of the backend now active.
 * @throws {TypeError} If `name` is not a string, `options` not a plain
 *   object or has a key other than `threads` and `blas` ("Cannot run
 *   useBackend as options.thread is not an option (choose from threads,
 *   blas): current value is 4"), `threads` not a number, `blas` not a
 *   boolean or a path, or either given for a backend other than wasm.
 * @throws {RangeError} If `threads` is not an integer in [1,
 *   {@link MAX_WASM_THREADS}] (8), with the value in the message.
 * @throws {BackendError} If the name is unknown, the backend cannot
 *   start, or `blas` asks for a library that is missing or that Deno may not
 *   load (no `--allow-ffi`), with a message saying why and what to do.
 *
 * @example
 * ```ts
 * import { useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await useBackend("cpu"), "cpu");
 * ```
 */
export async function useBackend(
  name: BackendName,
  options?: BackendOptions,
): Promise<BackendName> {
  if (typeof name !== "string") {
    throw new TypeError(
      `${WHAT} as name must be a string, one of ${
        Object.keys(BACKENDS).join(", ")
      }: current value is ${describe(name)}`,
    );
  }
  // Own keys only: "toString" and "constructor" are keys of every object.
  if (!Object.hasOwn(BACKENDS, name)) {
    throw new BackendError(
      String(name),
      `Unknown backend ${JSON.stringify(name)}: choose one of ${Object.keys(BACKENDS).join(", ")}`,
    );
  }
  const { threads, blas } = checkOptions(name, options);
  if (name === "wasm") {
    await runWasm(threads);
    installMatMul();
    installSoftplus();
    const count = runningWasm()?.requested ?? 1;
    if (blas === undefined) setBlasThreads(count);
    else setBlas(blas, count);
    return name;
  }
  if (tf.getBackend() === name) return name;
  if (name === "webgpu") {
    const gpu =
      (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
    if (!gpu) {
      throw new BackendError(
        name,
        "The webgpu backend needs WebGPU, which this runtime does not offer: use Deno 2.9 or later (older versions need deno run --unstable-webgpu), or choose --backend wasm",
      );
    }
    if (!(await gpu.requestAdapter())) {
      throw new BackendError(
        name,
        "The webgpu backend found no WebGPU adapter on this machine; choose --backend wasm",
      );
    }
    await import("@tensorflow/tfjs-backend-webgpu");
  } else if (
    name === "webgl" && typeof (globalThis as { document?: unknown }).document === "undefined"
  ) {
    throw new BackendError(
      name,
      "The webgl backend runs only in a browser; in Deno choose wasm, cpu or webgpu",
    );
  }
  const reason = await setBackendQuietly(name);
  if (reason) {
    throw new BackendError(name, `The ${name} backend failed to start: ${reason}`);
  }
  return name;
}
