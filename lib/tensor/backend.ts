import { tf } from "./_tf.ts";
import { describe } from "./_validate.ts";

/** The TensorFlow.js backends elbo can run on. */
export type BackendName = "cpu" | "wasm" | "webgpu" | "webgl";

/** The backends, with what each needs (frozen: only these names are backends). */
export const BACKENDS: Readonly<Record<BackendName, string>> = Object.freeze({
  cpu: "pure JavaScript; slow, but deterministic and always available",
  wasm: "WebAssembly with SIMD, loaded from the installed npm package (the default in Deno)",
  webgpu: "WebGPU; on by default in Deno 2.9 (older Deno: --unstable-webgpu)",
  webgl: "WebGL2; browsers only",
});

/** A backend that cannot start, with the reason in words. */
export class BackendError extends Error {
  /** The backend that failed. */
  readonly backend: string;
  /**
   * Creates the error.
   *
   * @param backend The backend's name.
   * @param message Why it cannot start.
   */
  constructor(backend: string, message: string) {
    super(typeof message === "string" ? message : describe(message));
    this.name = "BackendError";
    this.backend = typeof backend === "string" ? backend : describe(backend);
  }
}

/**
 * Selects and initialises a TensorFlow.js backend.
 *
 * `wasm` loads its `.wasm` binaries from the installed npm package (no
 * network). `webgpu` needs a WebGPU adapter (on by default in Deno 2.9;
 * older versions need `deno run --unstable-webgpu`).
 *
 * @param name `"cpu"`, `"wasm"`, `"webgpu"` or `"webgl"`.
 * @returns The name of the backend now active.
 * @throws {TypeError} If `name` is not a string.
 * @throws {BackendError} If the name is unknown or the backend cannot
 *   start, with a message saying why and what to do.
 *
 * @example
 * ```ts
 * import { useBackend } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await useBackend("cpu"), "cpu");
 * ```
 */
export async function useBackend(name: BackendName): Promise<BackendName> {
  if (typeof name !== "string") {
    throw new TypeError(
      `useBackend as name must be a string, one of ${
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
  if (tf.getBackend() === name) return name;
  if (name === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // Multithreaded WASM needs classic workers, which Deno lacks: use the
    // single-threaded SIMD build.
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setWasmPaths(new URL(".", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href);
  } else if (name === "webgpu") {
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
  let ok = false;
  const warn = console.warn;
  let reason = "";
  console.warn = (...args: unknown[]) => {
    reason += args.map(String).join(" ") + " ";
  };
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    reason += (e as Error).message;
  } finally {
    console.warn = warn;
  }
  if (!ok) {
    throw new BackendError(
      name,
      `The ${name} backend failed to start: ${reason.trim() || "no reason given"}`,
    );
  }
  return name;
}
