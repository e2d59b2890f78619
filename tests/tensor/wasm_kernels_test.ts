// The wasm kernels behind the tensor ops: softplus against the exact value
// (float64), its tail handling, special values and fallback; the transpose
// against tf.transpose, and dense built on it against cpu. (Adam: adam_test.ts.)
import assert from "node:assert/strict";
import { useBackend } from "../../tensor.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { softplusValue } from "../../lib/tensor/_stable.ts";
import { offsetOf, uninitialised, wasmKernels } from "../../lib/tensor/_wasm_kernels.ts";
import { dense } from "../../lib/tensor/dense.ts";
import { assertAllClose } from "../_tolerance.ts";

const exact = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

Deno.test("softplusValue on wasm is within 2e-7 of softplus, for every n and lane", async () => {
  await useBackend("wasm");
  const n = 200_003; // not a multiple of 4: the last group is shifted back
  const values = Float32Array.from({ length: n }, (_, i) => -80 + (160 * i) / (n - 1));
  values.set([0, -0, 1e-30, -1e-30, 16.6, -16.6, 17, -17, 0.3466, -0.8814, 79.9, -79.9]);
  const x = tf.tensor1d(values);
  const start = tf.memory().numTensors;
  const y = softplusValue(x);
  assert.equal(tf.memory().numTensors, start + 1);
  const got = await y.data();
  let worst = 0;
  values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(got[i]! - exact(v)) / exact(v));
  });
  assert.ok(worst < 2e-7, `relative error ${worst}`);
  // Lengths 4 to 9 cover a last group that overlaps the one before.
  for (let m = 4; m <= 9; m++) {
    const tail = values.subarray(n - m);
    const part = tf.tensor1d(tail);
    const have = await softplusValue(part).data();
    have.forEach((v, i) => {
      const want = exact(tail[i]!);
      assert.ok(Math.abs(v - want) <= 2e-7 * want, `n = ${m}, ${i}`);
    });
    part.dispose();
  }
  // NaN stays NaN, +∞ stays +∞; far below −87 the value is e⁻⁸⁷ (< 1.7e-38), not exp(x).
  const special = await softplusValue(tf.tensor1d([NaN, Infinity, -200, 3])).data();
  assert.ok(Number.isNaN(special[0]));
  assert.equal(special[1], Infinity);
  assert.ok(special[2]! > 0 && special[2]! < 1.7e-38);
  assert.ok(Math.abs(special[3]! - exact(3)) < 1e-6);
  tf.dispose([x, y]);
});

Deno.test("tf.softplus on wasm runs the same kernel: the tails kept, its gradient tfjs's", async () => {
  await useBackend("wasm", { threads: 1 });
  const values = Float32Array.from([-80, -17, -16.6, -1e-30, 0, 0.3466, 3, 17, 79.9, 1, 2, -3]);
  const start = tf.memory().numTensors;
  const x = tf.tensor1d(values);
  const y = tf.softplus(x);
  const got = await y.data();
  values.forEach((v, i) => {
    const want = exact(v);
    assert.ok(Math.abs(got[i]! - want) <= 2e-7 * want, `softplus(${v}) = ${got[i]}, not ${want}`);
  });
  // tfjs's own gave softplus(−17) = 0; the gradient is σ(x), from tfjs's gradient.
  const grad = tf.grad((t) => tf.sum(tf.softplus(t)))(x);
  const g = await grad.data();
  values.forEach((v, i) => assert.ok(Math.abs(g[i]! - 1 / (1 + Math.exp(-v))) < 1e-6, `σ(${v})`));
  // Fewer than four values: tfjs's kernel, the same values to a rounding.
  const pair = tf.tensor1d([-2, 3]), smallY = tf.softplus(pair);
  assert.ok(Math.abs((await smallY.data())[1]! - exact(3)) < 1e-6);
  tf.dispose([x, y, grad, pair, smallY]);
  assert.equal(tf.memory().numTensors, start, "leaked tensors");
});

Deno.test("softplusValue elsewhere, and for fewer than four values, is exact to a rounding", async () => {
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    const sizes = backend === "cpu" ? [1, 3, 10] : [1, 2, 3];
    for (const m of sizes) {
      const x = tf.linspace(-20, 5, m);
      const xs = await x.data(), got = await softplusValue(x).data();
      got.forEach((v, i) => {
        const want = exact(xs[i]!);
        assert.ok(Math.abs(v - want) <= 2e-7 * want, `${backend}, n = ${m}: ${v} vs ${want}`);
      });
      x.dispose();
    }
  }
});

Deno.test("the wasm transpose kernel gives tf.transpose's values, block by 4 × 4 block", async () => {
  await useBackend("wasm");
  const k = wasmKernels()!;
  for (const [r, c] of [[4, 4], [8, 12], [100, 784], [784, 400], [20, 400]] as const) {
    const x = tf.randomUniform([r, c], -1, 1, "float32", r * c);
    const out = uninitialised([c, r]);
    k.transpose(offsetOf(x), offsetOf(out), r, c);
    assert.deepEqual(await out.data(), await tf.transpose(x).data(), `[${r}, ${c}]`);
    tf.dispose([x, out]);
  }
});

Deno.test("dense's value and gradients on wasm (the transpose kernel) equal cpu's (tf.transpose)", async () => {
  const run = () =>
    tf.tidy(() => {
      const x = tf.randomUniform([12, 8], -1, 1, "float32", 1) as tf.Tensor2D;
      const w = tf.randomUniform([8, 20], -1, 1, "float32", 2) as tf.Tensor2D;
      const b = tf.randomUniform([20], -1, 1, "float32", 3) as tf.Tensor1D;
      const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D)));
      return [dense(x, w, b), ...tf.grads(f)([x, w, b])].map((t) => t.dataSync());
    });
  await useBackend("cpu");
  const cpu = run();
  await useBackend("wasm");
  const wasm = run();
  cpu.forEach((v, i) => assertAllClose(wasm[i]!, v, { abs: 1e-5, rel: 1e-5 }));
});
