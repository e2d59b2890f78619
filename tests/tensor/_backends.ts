// The backends a tensor result is checked on in Deno: cpu (float64 inside,
// rounded once), wasm on one thread, threaded wasm, and threaded wasm with its
// products in the system's BLAS. (webgl runs in headless Chromium:
// tests/browser/.) A test runs its body once per backend,
// each as a step named after it.
import { useBackend } from "../../lib/tensor/backend.ts";
import { blasCandidates } from "../../lib/tensor/_blas_ffi.ts";
import { setBlas } from "../../lib/tensor/blas.ts";
import { hasSystemPackage } from "../_system.ts";

/** Whether the system's OpenBLAS is here (Debian's libopenblas0-pthread). */
export const HAS_BLAS: boolean = blasCandidates().length > 0 &&
  hasSystemPackage(blasCandidates()[0]!, "libopenblas0-pthread", "the BLAS backend's tests");

/** A backend under test: its label and how to start it. */
export interface TestBackend {
  readonly label: string;
  start(): Promise<unknown>;
}

/** cpu, wasm (1 thread), threaded wasm (2 threads), and that with BLAS where it is installed. */
export const TEST_BACKENDS: readonly TestBackend[] = [
  { label: "cpu", start: () => useBackend("cpu") },
  { label: "wasm", start: () => useBackend("wasm", { threads: 1, blas: false }) },
  { label: "wasm, 2 threads", start: () => useBackend("wasm", { threads: 2, blas: false }) },
  ...(HAS_BLAS
    ? [{
      label: "wasm, 2 threads, BLAS",
      start: () => useBackend("wasm", { threads: 2, blas: true }),
    }]
    : []),
];

/**
 * Test options for a test that starts threaded wasm: its workers are unref'd
 * Node workers whose message ops stay open for the process's life.
 */
export const THREADED = { sanitizeOps: false, sanitizeResources: false } as const;

/** Runs `body` on every backend of {@linkcode TEST_BACKENDS}, one step each. */
export async function onEveryBackend(
  t: Deno.TestContext,
  body: (t: Deno.TestContext, backend: string) => void | Promise<void>,
): Promise<void> {
  for (const b of TEST_BACKENDS) {
    await b.start();
    await t.step(b.label, (s) => body(s, b.label));
  }
  setBlas(false, 1);
  await useBackend("cpu");
}
