// useBackend("wasm", { blas }): the wasm backend's products in the system's
// BLAS agree with tfjs-wasm's XNNPACK path to float32 rounding — plain,
// transposed, batched, broadcast, differentiated — leak nothing, and a missing
// library or permission is a BackendError that says what to do.
import assert from "node:assert/strict";
import { HAS_BLAS } from "./_backends.ts";
import { blasCandidates } from "../../lib/tensor/_blas_ffi.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { BackendError, blasStatus, useBackend } from "../../tensor.ts";
import { Batches, loadEmbeddedMnist, VAE } from "../../models.ts";
import { BLAS_MIN_WORK } from "../../lib/tensor/_wasm_blas.ts";
import { ROOT } from "../tasks/_run.ts";

const LIBRARY = blasCandidates()[0] ?? "libopenblas.so.0";

/** op(A) op(B) in float64, batch by batch (a batch of 1 repeats), as row-major arrays. */
function exactProduct(
  a: Float32Array,
  b: Float32Array,
  [ba, bb, m, n, k]: number[],
  tA: boolean,
  tB: boolean,
): { value: Float64Array; scale: Float64Array } {
  const batch = Math.max(ba!, bb!);
  const value = new Float64Array(batch * m! * n!), scale = new Float64Array(value.length);
  for (let p = 0; p < batch; p++) {
    const ao = ba === 1 ? 0 : p * m! * k!, bo = bb === 1 ? 0 : p * k! * n!;
    for (let i = 0; i < m!; i++) {
      for (let j = 0; j < n!; j++) {
        let s = 0, t = 0;
        for (let l = 0; l < k!; l++) {
          const x = a[ao + (tA ? l * m! + i : i * k! + l)]!;
          const y = b[bo + (tB ? j * k! + l : l * n! + j)]!;
          s += x * y;
          t += Math.abs(x * y);
        }
        value[(p * m! + i) * n! + j] = s;
        scale[(p * m! + i) * n! + j] = t;
      }
    }
  }
  return { value, scale };
}

/** Shapes [batch of a, batch of b, m, n, k] covering the kernel's paths. */
const CASES: [number[], boolean, boolean][] = [
  [[1, 1, 100, 400, 784], false, false], // the VAE's first layer
  [[1, 1, 100, 400, 784], false, true], // its input gradient
  [[1, 1, 784, 400, 100], true, false], // its weight gradient
  [[1, 1, 37, 53, 29], true, true],
  [[3, 3, 20, 30, 40], false, false], // a batch
  [[3, 1, 20, 30, 40], false, true], // b repeats
  [[1, 4, 25, 16, 48], true, false], // a repeats
  [[1, 1, 4, 4, 4], false, false], // below BLAS_MIN_WORK: XNNPACK
  [[1, 1, 0, 7, 9], false, false], // empty
];

function operands([ba, bb, m, n, k]: number[], tA: boolean, tB: boolean, seed: number) {
  const shapeA = tA ? [k!, m!] : [m!, k!], shapeB = tB ? [n!, k!] : [k!, n!];
  const a = tf.randomUniform([ba!, ...shapeA], -1, 1, "float32", seed);
  const b = tf.randomUniform([bb!, ...shapeB], -1, 1, "float32", seed + 1);
  // Rank 2 where the batch is 1 on both sides, as a dense layer calls it.
  const plain = ba === 1 && bb === 1;
  return plain ? [tf.squeeze(a, [0]), tf.squeeze(b, [0]), a, b] : [a, b];
}

/** Every case of CASES on the active backend, against float64, leaking nothing. */
function checkProducts(seed: number): void {
  const before = tf.memory().numTensors;
  for (const [i, [dims, tA, tB]] of CASES.entries()) {
    const ts = operands(dims, tA, tB, 10 * i + seed);
    const [a, b] = ts as [tf.Tensor, tf.Tensor];
    const got = tf.matMul(a, b, tA, tB);
    const exact = exactProduct(
      a.dataSync() as Float32Array,
      b.dataSync() as Float32Array,
      dims,
      tA,
      tB,
    );
    const v = got.dataSync();
    assert.equal(v.length, exact.value.length);
    const k = dims[4]!;
    for (let j = 0; j < v.length; j++) {
      // float32 accumulation: within k ulps of the sum of |terms|.
      const tol = (k + 2) * 2 ** -24 * exact.scale[j]! + 1e-30;
      assert.ok(
        Math.abs(v[j]! - exact.value[j]!) <= tol,
        `[${dims}] tA=${tA} tB=${tB} at ${j}: ${v[j]} vs ${exact.value[j]} (tolerance ${tol})`,
      );
    }
    got.dispose();
    ts.forEach((t) => t.dispose());
  }
  assert.equal(tf.memory().numTensors, before, "the products left tensors behind");
}

Deno.test({
  name:
    "useBackend('wasm', { blas: true }): products agree with the exact ones to float32 rounding",
  ignore: !HAS_BLAS,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    for (const threads of [1, 2]) {
      await useBackend("wasm", { threads, blas: true });
      const status = blasStatus()!;
      assert.equal(status.library, LIBRARY);
      // BLAS runs the wasm backend's thread count (OpenBLAS may cap it at the cores it finds).
      assert.ok(status.threads! >= 1 && status.threads! <= threads, `${status.threads} threads`);
      if (navigator.hardwareConcurrency >= threads) assert.equal(status.threads, threads);
      checkProducts(threads);
    }
    assert.ok(4 * 4 * 4 < BLAS_MIN_WORK);
    await useBackend("wasm", { blas: false });
    assert.equal(blasStatus(), undefined);
  },
});

Deno.test({
  name:
    "without BLAS, transposed products on wasm (as plain XNNPACK products) agree to float32 rounding",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    for (const threads of [1, 2]) {
      await useBackend("wasm", { threads, blas: false });
      checkProducts(100 + threads);
    }
    await useBackend("cpu");
  },
});

Deno.test({
  name: "BLAS and XNNPACK train the VAE to the same losses (float32 rounding), leaking nothing",
  ignore: !HAS_BLAS,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { train } = loadEmbeddedMnist();
    const batches = new Batches(train, { batchSize: 50, seed: 1, binarize: true });
    const losses = async (blas: boolean) => {
      await useBackend("wasm", { threads: 1, blas });
      const vae = new VAE({ inputSize: 784, hiddenSizes: [64], latentSize: 4, seed: 3 });
      const out = [(await vae.trainStep(batches.batch(0, 0))).loss]; // makes Adam's slots
      const before = tf.memory().numTensors;
      for (let i = 1; i < 5; i++) out.push((await vae.trainStep(batches.batch(0, i))).loss);
      assert.equal(tf.memory().numTensors, before, "training steps left tensors behind");
      vae.dispose();
      return out;
    };
    const xnn = await losses(false), blas = await losses(true);
    await useBackend("wasm", { blas: false });
    xnn.forEach((l, i) =>
      assert.ok(Math.abs(l - blas[i]!) <= 1e-5 * Math.abs(l), `step ${i}: ${l} vs ${blas[i]}`)
    );
  },
});

Deno.test({
  name: "useBackend's blas option: bad values, other backends and missing libraries say what to do",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    for (const bad of ["", 1, null, {}]) {
      await assert.rejects(
        () => useBackend("wasm", { blas: bad as never }),
        (e: Error) =>
          e instanceof TypeError &&
          /options\.blas must be true, false or a library's path/.test(e.message),
      );
    }
    await assert.rejects(
      () => useBackend("cpu", { blas: true }),
      (e: Error) => e instanceof TypeError && /applies only to the wasm backend/.test(e.message),
    );
    await assert.rejects(
      () => useBackend("wasm", { threads: 1, blas: "/nonexistent/libopenblas.so.0" }),
      (e: Error) =>
        e instanceof BackendError &&
        /Cannot use the BLAS \/nonexistent\/libopenblas\.so\.0/.test(e.message),
    );
    assert.equal(blasStatus(), undefined, "a failed request leaves BLAS off");
    await useBackend("cpu");
    assert.equal(blasStatus(), undefined);
  },
});

Deno.test({
  name: "without --allow-ffi, blas: true is a BackendError naming the flag",
  ignore: !HAS_BLAS,
  fn: async () => {
    const script = `import { useBackend } from "${ROOT}tensor.ts";
try { await useBackend("wasm", { blas: true }); console.log("loaded"); }
catch (e) { console.log(e.name + ": " + e.message); }`;
    const file = await Deno.makeTempFile({ suffix: ".ts" });
    try {
      await Deno.writeTextFile(file, script);
      const denied = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--config", `${ROOT}deno.json`, "--allow-read", "--allow-env", file],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
        env: { NO_COLOR: "1" },
      }).output();
      const line = new TextDecoder().decode(denied.stdout).trim();
      assert.match(
        line,
        new RegExp(
          `^BackendError: BLAS needs permission to load ${LIBRARY}: run deno with --allow-ffi=${LIBRARY}`,
        ),
      );
    } finally {
      await Deno.remove(file);
    }
  },
});

Deno.test("deno.json's tasks grant --allow-ffi for exactly the libraries elbo looks for", async () => {
  const tasks: Record<string, string> =
    JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)).tasks;
  const all = [
    ...blasCandidates("linux", "x86_64"),
    ...blasCandidates("linux", "aarch64"),
    ...blasCandidates("darwin", "aarch64"),
  ];
  const expected = [...new Set(all)].sort();
  for (const name of ["train", "disentangle", "test", "bench:reference"]) {
    const flag = tasks[name]!.split(" ").find((w) => w.startsWith("--allow-ffi="));
    assert.ok(flag, `deno task ${name} has no scoped --allow-ffi`);
    assert.deepEqual(flag.slice("--allow-ffi=".length).split(",").sort(), expected, name);
  }
});
