// The system's BLAS for the wasm backend's matrix products:
// `useBackend("wasm", { blas })` turns it on and off, `blasStatus()` says
// which library runs them.
import { tf } from "./_tf.ts";
import { blasCandidates, type BlasLibrary, openBlas } from "./_blas_ffi.ts";
import { routedLibrary, routeMatMul } from "./_wasm_blas.ts";
import { BackendError } from "./backend_error.ts";

/** The BLAS the wasm backend's matrix products run in, as {@link blasStatus} reports it. */
export interface BlasStatus {
  /** The library's file (`/usr/lib/x86_64-linux-gnu/libopenblas.so.0`). */
  readonly library: string;
  /** `openblas_get_config()` (version, build options, core type), where the library has it. */
  readonly config?: string;
  /** The library's threads, where it says. */
  readonly threads?: number;
}

/**
 * Which BLAS library the wasm backend's matrix products run in, when
 * `useBackend("wasm", { blas })` turned one on and the wasm backend is
 * active.
 *
 * @returns The library, its configuration and threads; or `undefined` when
 *   the products run in tfjs-wasm's own kernel (XNNPACK).
 *
 * @example
 * ```ts
 * import { blasStatus, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("wasm", { threads: 1 });
 * assert.equal(blasStatus(), undefined); // BLAS is off unless asked for
 * await useBackend("cpu");
 * ```
 */
export function blasStatus(): BlasStatus | undefined {
  const lib = routedLibrary();
  if (lib === undefined || tf.getBackend() !== "wasm") return undefined;
  const threads = lib.threads();
  return {
    library: lib.path,
    ...(lib.config === undefined ? {} : { config: lib.config }),
    ...(threads === undefined ? {} : { threads }),
  };
}

const INSTALL = "install Debian's libopenblas0-pthread (apt-get install libopenblas0-pthread), " +
  "or give the library's path as blas";

/** Whether a file may exist: it does, or this process may not look. */
function mayExist(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch (e) {
    return !(e instanceof Deno.errors.NotFound);
  }
}

/** Opens the library asked for, or throws a BackendError saying what is missing. */
function open(request: true | string): BlasLibrary {
  if (request !== true && !mayExist(request)) {
    throw new BackendError("wasm", `Cannot use the BLAS ${request}: there is no such file`);
  }
  const paths = request === true ? blasCandidates().filter(mayExist) : [request];
  const refused: string[] = [];
  for (const path of paths) {
    const lib = openBlas(path);
    if ("sgemm" in lib) return lib;
    if (lib.kind === "permission") refused.push(path);
    else if (request !== true) {
      throw new BackendError("wasm", `Cannot use the BLAS ${path}: ${lib.message}`);
    }
  }
  if (refused.length) {
    throw new BackendError(
      "wasm",
      `BLAS needs permission to load ${refused[0]}: run deno with --allow-ffi=${
        refused[0]
      } (FFI runs native code, as strong as --allow-all), or leave blas off`,
    );
  }
  const looked = blasCandidates().join(", ");
  throw new BackendError(
    "wasm",
    paths.length
      ? `Cannot load a BLAS library (${paths.join(", ")}): ${INSTALL}`
      : looked
      ? `No BLAS library found (looked for ${looked}): ${INSTALL}`
      : `No BLAS library is known on ${Deno.build.os}: give the library's path as blas`,
  );
}

/**
 * Routes the wasm backend's products through a BLAS (`true`: the system's
 * OpenBLAS; a string: that library's path) at `threads` threads, or back to
 * tfjs-wasm's kernel (`false`).
 *
 * @throws {BackendError} If the library is missing, cannot be loaded, or
 *   Deno lacks --allow-ffi for it.
 */
export function setBlas(request: boolean | string, threads: number): void {
  const current = routedLibrary();
  if (request === false) {
    if (current === undefined) return;
    routeMatMul(undefined);
    current.close();
    return;
  }
  if (current !== undefined && (request === true || request === current.path)) {
    current.setThreads(threads);
    return;
  }
  const lib = open(request);
  lib.setThreads(threads);
  routeMatMul(lib);
  current?.close();
}

/** Sets the threads of the BLAS in use, if any (a restarted wasm backend's count). */
export function setBlasThreads(threads: number): void {
  routedLibrary()?.setThreads(threads);
}
