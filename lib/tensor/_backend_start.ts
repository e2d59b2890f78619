// Starting tfjs backends for useBackend (lib/tensor/backend.ts): tf.setBackend
// with tfjs's warnings kept as the reason for a failure, and the wasm
// backend's start-up — its binaries from the installed npm package, the
// threaded SIMD binary on workers (lib/tensor/_wasm_threads.ts) when more
// than one thread is asked for, and the fallback to one thread.
import { tf } from "./_tf.ts";
import type { WasmThreads } from "./backend.ts";

/** Seconds the threaded binary may take to start before elbo falls back. */
const THREADED_START_TIMEOUT_MS = 30_000;

let wasmState: WasmThreads | undefined;

/** How the wasm backend runs (see `wasmThreads`), or `undefined` before it has started. */
export function runningWasm(): WasmThreads | undefined {
  return wasmState;
}

/** Whether the wasm backend has an instance (tf.findBackend would start one). */
export function wasmStarted(): boolean {
  return Object.hasOwn((tf.engine() as unknown as { registry: object }).registry, "wasm");
}
let wasmPathsSet = false;

/** Runs `tf.setBackend` with tfjs's warnings collected as the failure's reason. */
export async function setBackendQuietly(name: string, race?: Promise<never>): Promise<string> {
  let ok = false;
  const warn = console.warn;
  let reason = "";
  console.warn = (...args: unknown[]) => {
    reason += args.map(String).join(" ") + " ";
  };
  try {
    ok = race ? await Promise.race([tf.setBackend(name), race]) : await tf.setBackend(name);
  } catch (e) {
    reason += (e as Error)?.message ?? String(e);
  } finally {
    console.warn = warn;
  }
  return ok ? "" : reason.trim() || "no reason given";
}

/**
 * Starts (or restarts) the wasm backend with `threads` threads, falling back
 * to one thread (with a line on stderr) if the threaded binary cannot start.
 * Resolves to why it could not start on one thread either, or "" once it runs.
 */
export async function startWasm(threads: number): Promise<string> {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (!wasmPathsSet) {
    // In Deno, the installed package's binaries; in a page, those served beside it.
    const page = typeof Deno === "undefined" && "location" in globalThis;
    wasm.setWasmPaths(
      page
        ? new URL(".", (globalThis as unknown as { location: { href: string } }).location.href).href
        : new URL(".", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href,
    );
    wasmPathsSet = true;
  }
  // tfjs registers the wasm factory once, at import; keep it to restart the
  // backend with another binary or thread count.
  const factory = tf.findBackendFactory("wasm");
  const restart = () => {
    if (factory === null) return;
    tf.removeBackend("wasm");
    tf.registerBackend("wasm", factory, 2);
  };
  if (wasmStarted()) restart();
  wasmState = undefined;
  let fallback: string | undefined;
  if (threads > 1) {
    // tfjs sees Node in Deno and would leave threads off; its default count
    // is half the logical cores, so the count is set explicitly.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    wasm.setThreadsCount(threads);
    const { interceptWorkers } = await import("./_wasm_threads.ts");
    // Besides MAX_WASM_THREADS, XNNPACK caps its threads at half the
    // logical cores the glue counts: report twice the threads.
    const intercept = await interceptWorkers(2 * threads);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no start within ${THREADED_START_TIMEOUT_MS / 1000} s`)),
        THREADED_START_TIMEOUT_MS,
      );
    });
    try {
      fallback = await setBackendQuietly("wasm", Promise.race([intercept.failure, timeout]));
    } finally {
      clearTimeout(timer);
      intercept.release();
    }
    // A guard: within MAX_WASM_THREADS the binary runs the count asked for.
    if (!fallback && wasm.getThreadsCount() !== threads) {
      fallback = `XNNPACK runs ${wasm.getThreadsCount()} threads instead of ${threads}`;
    }
    if (fallback) {
      intercept.terminateAll();
      restart();
      console.error(
        `elbo: the threaded wasm backend could not start (${fallback}); running on one thread`,
      );
    } else {
      wasmState = { requested: threads, active: threads };
      return "";
    }
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  wasm.setThreadsCount(1);
  const reason = await setBackendQuietly("wasm");
  if (reason) return reason;
  wasmState = fallback === undefined
    ? { requested: threads, active: 1 }
    : { requested: threads, active: 1, fallback };
  return "";
}
