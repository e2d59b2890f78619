// Runs tfjs-backend-wasm's threaded SIMD binary in Deno (issue #12).
//
// tfjs sees Node in Deno, so its Emscripten glue runs in Node mode: it
// assigns `globalThis.Worker = require("worker_threads").Worker` and starts a
// pool of 8 workers with `new Worker(blobUrl)`, which Node's Worker refuses
// (ERR_WORKER_PATH, tfjs issue #3830). While the backend starts, this module
// answers the glue's `Worker` with a `node:worker_threads` Worker of its own
// whose start-up script:
//
// - receives the worker script (read from the glue's blob: URL on the main
//   thread) and the glue source (the Blob the glue posts), since neither can
//   be read synchronously inside the worker;
// - evaluates both with `process` and `require` hidden, so they take their
//   web-worker path, with `self` (the global, but for `onmessage` and
//   `location`), `postMessage` and `importScripts` supplied.
//
// A Node worker (not a web Worker) is used because it can be unref'd: the
// glue unrefs each worker once loaded, and this module ignores the glue's
// `ref()` for running threads, so a process whose work is done exits without
// disposing the backend. Worker errors during start-up reject `failure`
// instead of throwing from an event handler, so the caller can fall back.
// The Node-mode glue also counts cores with `os.cpus()`, which Deno allows
// only with --allow-sys: during start-up it reads the given count instead.
//
// The node: modules are imported when threads start, not at load: a static
// import would end up in a browser bundle of the library, which cannot load it.
import type { Worker as NodeWorker } from "node:worker_threads";

/** The start-up script each thread's worker evaluates (CommonJS, Node mode). */
export const THREAD_PRELUDE = `"use strict";
const { parentPort } = require("node:worker_threads");
// The scripts assign self.startWorker and call startWorker: self is the
// global, except for onmessage and location, kept off Deno's own.
const own = { location: { href: "elbo:wasm-thread" }, onmessage: null };
const self = new Proxy(globalThis, {
  get: (g, k) => (k in own ? own[k] : Reflect.get(g, k)),
  set: (g, k, v) => (k in own ? ((own[k] = v), true) : Reflect.set(g, k, v)),
});
const post = (message, transfer) => parentPort.postMessage(message, transfer);
let glue = "";
const importScripts = () => {
  globalThis.WasmBackendModuleThreadedSimd = new Function(
    "process", "require", "self", "postMessage", "importScripts",
    glue + "\\nreturn WasmBackendModuleThreadedSimd;",
  )(undefined, undefined, self, post, importScripts);
};
parentPort.on("message", (data) => {
  if (data && typeof data.elboWorkerScript === "string") {
    new Function("process", "require", "self", "postMessage", "importScripts", data.elboWorkerScript)(
      undefined, undefined, self, post, importScripts,
    );
    return;
  }
  if (data && typeof data.elboGlue === "string") {
    glue = data.elboGlue;
    delete data.elboGlue;
  }
  self.onmessage({ data });
});
`;

/** Test seams: the start-up script, replaceable to simulate a failure. */
export const _internals: { prelude: string } = { prelude: THREAD_PRELUDE };

/** What {@link interceptWorkers} hands back while the backend starts. */
export interface WorkerInterception {
  /** Rejects with the first worker error seen before `release()`. */
  readonly failure: Promise<never>;
  /** Puts the runtime's own `Worker` back; later errors are only logged. */
  release(): void;
  /** Terminates every worker made here (after a failed start). */
  terminateAll(): void;
}

let workerScript: Promise<string> | undefined;
const glueSources = new WeakMap<Blob, Promise<string>>();

/**
 * Replaces `globalThis.Worker` until `release()` with a constructor the
 * Emscripten glue can use, swallowing the glue's own assignment of Node's
 * Worker; `os.cpus()` reports `cores` entries meanwhile.
 */
export async function interceptWorkers(cores: number): Promise<WorkerInterception> {
  const { default: os } = await import("node:os");
  const { Worker: NodeWorker } = await import("node:worker_threads");
  const nodeOs = os as { cpus: () => unknown[] };
  const cpus = nodeOs.cpus;
  nodeOs.cpus = () => Array.from({ length: cores }, () => ({}));
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "Worker");
  const made: NodeWorker[] = [];
  let released = false;
  let reject: (e: unknown) => void = () => {};
  const failure = new Promise<never>((_, r) => (reject = r));
  failure.catch(() => {}); // observed by the caller's race, or not at all
  const fail = (e: unknown) => {
    if (!released) reject(e);
    else console.error(`elbo: a wasm thread failed: ${(e as Error)?.message ?? e}`);
  };

  function ThreadWorker(url: string | URL): NodeWorker {
    const worker = new NodeWorker(_internals.prelude, { eval: true });
    made.push(worker);
    const post = worker.postMessage.bind(worker);
    // The glue's error handler throws from an event handler; report errors
    // (from the first moment: an unheard "error" would end the process).
    worker.on("error", fail);
    const on = worker.on.bind(worker);
    worker.on =
      ((event: string, listener: (...args: unknown[]) => void) =>
        event === "error" ? worker : on(event, listener)) as typeof worker.on;
    // A running thread must not keep the process alive (the glue refs it).
    worker.ref = () => {};
    workerScript ??= fetch(String(url)).then((r) => r.text());
    // Messages wait for the sources to be read, in order; once none waits,
    // they go at once: the main thread blocks in wasm (Atomics.wait) until a
    // new thread runs, so a "run" message left to a promise would deadlock.
    let waiting = 1;
    let queue: Promise<void> = workerScript.then((text) => {
      post({ elboWorkerScript: text });
      waiting--;
    });
    type Transfer = Parameters<NodeWorker["postMessage"]>[1];
    worker.postMessage = (message: unknown, transfer?: Transfer) => {
      const m = message as { cmd?: string; urlOrBlob?: unknown };
      const blob = m?.cmd === "load" && m.urlOrBlob instanceof Blob ? m.urlOrBlob : undefined;
      if (waiting === 0 && blob === undefined) return post(message, transfer);
      waiting++;
      queue = queue.then(async () => {
        if (blob !== undefined) {
          if (!glueSources.has(blob)) glueSources.set(blob, blob.text());
          message = { ...m, urlOrBlob: "elbo:glue", elboGlue: await glueSources.get(blob) };
        }
        post(message, transfer);
        waiting--;
      }).catch(fail);
    };
    return worker;
  }

  Object.defineProperty(globalThis, "Worker", {
    configurable: true,
    get: () => ThreadWorker,
    set: () => {}, // the glue's `commonjsGlobal.Worker = nodeWorkerThreads.Worker`
  });
  return {
    failure,
    release() {
      released = true;
      nodeOs.cpus = cpus;
      if (descriptor) Object.defineProperty(globalThis, "Worker", descriptor);
      else delete (globalThis as { Worker?: unknown }).Worker;
    },
    terminateAll() {
      for (const w of made) w.terminate();
    },
  };
}
