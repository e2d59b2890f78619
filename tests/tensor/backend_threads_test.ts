import assert from "node:assert/strict";
import { tf } from "../../lib/tensor/_tf.ts";
import { MAX_WASM_THREADS, useBackend, wasmThreads } from "../../lib/tensor/backend.ts";
import { _internals, interceptWorkers } from "../../lib/tensor/_wasm_threads.ts";

// The threaded wasm backend's workers are unref'd Node workers whose message
// ops stay open for the process's life: that is the design, not a leak.
const opts = { sanitizeOps: false, sanitizeResources: false };

/** [100,784]x[784,400], the first layer of the VAE, read back. */
function product(): Float32Array {
  return tf.tidy(() => {
    const a = tf.randomUniform([100, 784], -1, 1, "float32", 1);
    const b = tf.randomUniform([784, 400], -1, 1, "float32", 2);
    return tf.matMul(a, b).dataSync() as Float32Array;
  });
}

/** The start of every refusal of a thread count. */
const THREADS = "Cannot run useBackend as options.threads must be an integer in [1, 8] " +
  "(tfjs's threaded wasm binary runs at most 8): current value is ";

Deno.test("useBackend(name, { threads }) checks its options", async () => {
  for (const threads of [0, -1, 1.5, NaN, Infinity, 9, 257]) {
    await assert.rejects(
      () => useBackend("wasm", { threads }),
      (e: unknown) => e instanceof RangeError && e.message === THREADS + String(threads),
      String(threads),
    );
  }
  for (
    const [threads, shown] of [["2", '"2"'], [null, "null"], [true, "true"], [
      {},
      "[object Object]",
    ], [2n, "2n"]]
  ) {
    await assert.rejects(
      () => useBackend("wasm", { threads: threads as never }),
      (e: unknown) => e instanceof TypeError && e.message === THREADS + shown,
      String(threads),
    );
  }
  for (const options of [2, "threads", null, [2], () => 2]) {
    await assert.rejects(
      () => useBackend("wasm", options as never),
      (e: unknown) =>
        e instanceof TypeError &&
        e.message.startsWith(
          "Cannot run useBackend as options must be a plain object ({ threads, blas })",
        ),
      String(options),
    );
  }
  // A misspelt key used to run one thread, silently.
  await assert.rejects(
    () => useBackend("wasm", { thread: 4 } as never),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message ===
        "Cannot run useBackend as options.thread is not an option (choose from threads, blas): current value is 4",
  );
  await assert.rejects(
    () => useBackend("cpu", { threads: 2 }),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message ===
        'Cannot run useBackend as options.threads applies only to the wasm backend: current backend is "cpu"',
  );
  // { } and { threads: undefined } are no options at all.
  assert.equal(await useBackend("cpu", {}), "cpu");
  assert.equal(await useBackend("cpu", { threads: undefined }), "cpu");
});

Deno.test(
  'useBackend("wasm", { threads }) refuses more than MAX_WASM_THREADS, naming both',
  opts,
  async () => {
    assert.equal(MAX_WASM_THREADS, 8);
    await useBackend("wasm", { threads: 2 });
    for (const threads of [MAX_WASM_THREADS + 1, 16, 256]) {
      await assert.rejects(
        () => useBackend("wasm", { threads }),
        (e: unknown) =>
          e instanceof RangeError &&
          e.message === THREADS + String(threads),
        String(threads),
      );
      // Refused before anything starts: the running backend keeps its threads.
      assert.deepEqual(wasmThreads(), { requested: 2, active: 2 });
      assert.equal(tf.getBackend(), "wasm");
    }
    await useBackend("cpu");
  },
);

Deno.test("wasm at MAX_WASM_THREADS runs them all, bit for bit as at 1", opts, async () => {
  await useBackend("wasm", { threads: 1 });
  const one = product();
  assert.equal(await useBackend("wasm", { threads: MAX_WASM_THREADS }), "wasm");
  assert.deepEqual(wasmThreads(), { requested: MAX_WASM_THREADS, active: MAX_WASM_THREADS });
  assert.deepEqual(product(), one);
  await useBackend("cpu");
});

Deno.test("MAX_WASM_THREADS is the threaded binary's own limit", opts, async () => {
  await useBackend("wasm", { threads: 1 }); // sets the binaries' paths
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const factory = tf.findBackendFactory("wasm")!;
  const restart = () => {
    tf.removeBackend("wasm");
    tf.registerBackend("wasm", factory, 2);
  };
  // tfjs itself, asked for `threads` on a machine with plenty of cores.
  const xnnpackThreads = async (threads: number) => {
    restart();
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    wasm.setThreadsCount(threads);
    const intercept = await interceptWorkers(4 * threads);
    try {
      assert.equal(await Promise.race([tf.setBackend("wasm"), intercept.failure]), true);
    } finally {
      intercept.release();
    }
    return wasm.getThreadsCount();
  };
  try {
    assert.equal(await xnnpackThreads(MAX_WASM_THREADS), MAX_WASM_THREADS);
    assert.equal(await xnnpackThreads(MAX_WASM_THREADS + 1), MAX_WASM_THREADS);
  } finally {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setThreadsCount(1);
    restart();
    await useBackend("wasm", { threads: 1 }); // starts anew: no wasm instance is left
    assert.deepEqual(wasmThreads(), { requested: 1, active: 1 });
    await useBackend("cpu");
  }
});

Deno.test("wasm at 2 threads gives the same matMul, bit for bit, as at 1", opts, async () => {
  assert.equal(await useBackend("wasm", { threads: 1 }), "wasm");
  assert.deepEqual(wasmThreads(), { requested: 1, active: 1 });
  const one = product();
  assert.equal(await useBackend("wasm", { threads: 2 }), "wasm");
  assert.deepEqual(wasmThreads(), { requested: 2, active: 2 });
  const start = tf.memory().numTensors;
  const two = product();
  assert.equal(tf.memory().numTensors, start);
  assert.deepEqual(two, one);
  // Switching away and back keeps the running thread count.
  await useBackend("cpu");
  await useBackend("wasm");
  assert.deepEqual(wasmThreads(), { requested: 2, active: 2 });
  assert.deepEqual(product(), one);
  await useBackend("cpu");
});

Deno.test(
  "a threaded backend that cannot start falls back to one thread, saying so",
  opts,
  async () => {
    await useBackend("wasm", { threads: 1 }); // so that threads: 2 starts anew
    const prelude = _internals.prelude, error = console.error;
    const said: string[] = [];
    _internals.prelude = 'throw new Error("simulated thread failure");';
    console.error = (...args: unknown[]) => said.push(args.map(String).join(" "));
    try {
      assert.equal(await useBackend("wasm", { threads: 2 }), "wasm");
    } finally {
      _internals.prelude = prelude;
      console.error = error;
    }
    const state = wasmThreads();
    assert.equal(state?.requested, 2);
    assert.equal(state?.active, 1);
    assert.match(state?.fallback ?? "", /simulated thread failure/);
    assert.equal(said.length, 1, said.join("\n"));
    assert.match(
      said[0]!,
      /^elbo: the threaded wasm backend could not start \(.*\); running on one thread$/,
    );
    const one = product();
    assert.equal(one.length, 100 * 400);
    // It starts threaded again once the cause is gone.
    await useBackend("wasm", { threads: 1 });
    await useBackend("wasm", { threads: 2 });
    assert.deepEqual(wasmThreads(), { requested: 2, active: 2 });
    assert.deepEqual(product(), one);
    await useBackend("cpu");
  },
);

Deno.test("a process on the threaded backend exits by itself, with only --allow-read", async () => {
  const code = `import { useBackend, wasmThreads } from "./lib/tensor/backend.ts";
import { tf } from "./lib/tensor/_tf.ts";
await useBackend("wasm", { threads: 2 });
const s = tf.matMul(tf.ones([50, 60]), tf.ones([60, 70])).sum().dataSync()[0];
console.log(JSON.stringify(wasmThreads()), s);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-prompt", "--allow-read", code],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  assert.equal(text.trim(), `{"requested":2,"active":2} ${50 * 70 * 60}`);
});
