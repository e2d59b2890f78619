// The backends a tensor result is checked on in Deno: cpu (float64 inside,
// rounded once), wasm on one thread and threaded wasm. (webgl runs in
// headless Chromium: tests/browser/.) A test runs its body once per backend,
// each as a step named after it.
import { useBackend } from "../../lib/tensor/backend.ts";

/** A backend under test: its label and how to start it. */
export interface TestBackend {
  readonly label: string;
  start(): Promise<unknown>;
}

/** cpu, wasm (1 thread) and threaded wasm (2 threads). */
export const TEST_BACKENDS: readonly TestBackend[] = [
  { label: "cpu", start: () => useBackend("cpu") },
  { label: "wasm", start: () => useBackend("wasm", { threads: 1 }) },
  { label: "wasm, 2 threads", start: () => useBackend("wasm", { threads: 2 }) },
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
  await useBackend("cpu");
}
