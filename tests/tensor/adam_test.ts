// The one-pass Adam against tfjs's own: the same bits on every backend,
// over many steps, for sizes with and without a SIMD tail; its finiteness
// check; its state round trip; no tensor leaks.
import assert from "node:assert/strict";
import { useBackend } from "../../tensor.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { TensorAdam } from "../../lib/tensor/adam.ts";
import { wasmKernels } from "../../lib/tensor/_wasm_kernels.ts";

const SHAPES = [[37, 11], [400], [3], [1], [20, 8]];

/** Seeded variables (seeds from 1: tfjs draws an unseeded stream for seed 0). */
function variables(): tf.Variable[] {
  return SHAPES.map((s, i) => {
    const init = tf.randomNormal(s, 0, 0.1, "float32", i + 1);
    const v = tf.variable(init);
    init.dispose();
    return v;
  });
}

/** Gradients of step t, with a scale that grows so that v spans decades. */
function gradients(t: number): tf.Tensor[] {
  return SHAPES.map((s, i) => tf.randomNormal(s, 0, 1 + 3 * t, "float32", 1000 * (t + 1) + i));
}

async function agreesWithTfjs(what: string): Promise<void> {
  const a = variables(), b = variables();
  const reference = tf.train.adam(0.01);
  const ours = new TensorAdam(0.01);
  for (let t = 0; t < 60; t++) {
    const g = gradients(t);
    reference.applyGradients(a.map((v, i) => ({ name: v.name, tensor: g[i]! })));
    ours.apply(b, g);
    tf.dispose(g);
  }
  for (let i = 0; i < a.length; i++) {
    assert.deepEqual(b[i]!.dataSync(), a[i]!.dataSync(), `${what}: variable ${i}`);
  }
  const slots = (await reference.getWeights()).slice(1);
  const state = await ours.state();
  assert.equal(state.iterations, 60);
  slots.forEach((s, i) =>
    assert.deepEqual(state.slots[i], s.tensor.dataSync(), `${what}: slot ${i}`)
  );
  reference.dispose();
  ours.dispose();
  tf.dispose([...a, ...b]);
}

Deno.test("TensorAdam gives tfjs's Adam bit for bit", async (t) => {
  await t.step("wasm, one SIMD pass per variable", async () => {
    await useBackend("wasm", { threads: 1 });
    assert.ok(wasmKernels(), "the kernels run on the wasm backend");
    await agreesWithTfjs("wasm");
  });
  await t.step("wasm with two threads (shared memory)", async () => {
    await useBackend("wasm", { threads: 2 });
    assert.ok(wasmKernels());
    await agreesWithTfjs("wasm, 2 threads");
    await useBackend("wasm", { threads: 1 });
  });
  await t.step("cpu, tfjs ops", async () => {
    await useBackend("cpu");
    assert.equal(wasmKernels(), undefined);
    await agreesWithTfjs("cpu");
  });
});

Deno.test("TensorAdam.allFinite finds a NaN or ±∞ anywhere, SIMD lanes and tail", async () => {
  for (const backend of ["wasm", "cpu"] as const) {
    await useBackend(backend);
    for (const n of [1, 4, 7, 13]) {
      const fine = [tf.ones([n]), tf.fill([n], -3.4e38)];
      assert.ok(await TensorAdam.allFinite(fine));
      tf.dispose(fine);
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (let at = 0; at < n; at++) {
          const values = new Float32Array(n).fill(1e38);
          values[at] = bad;
          const ts = [tf.ones([5]), tf.tensor(values)];
          assert.equal(
            await TensorAdam.allFinite(ts),
            false,
            `${backend}: ${bad} at ${at} of ${n}`,
          );
          tf.dispose(ts);
        }
      }
    }
  }
});

Deno.test("TensorAdam: a restored state continues bit for bit; no tensor leaks", async () => {
  await useBackend("wasm");
  const start = tf.memory().numTensors;
  const a = variables(), b = variables();
  const straight = new TensorAdam(0.01), before = new TensorAdam(0.01);
  const after = new TensorAdam(0.01);
  const counts: number[] = [];
  for (let t = 0; t < 10; t++) {
    const g = gradients(t);
    straight.apply(a, g);
    if (t === 5) after.restore(await before.state(), SHAPES);
    (t < 5 ? before : after).apply(b, g);
    tf.dispose(g);
    if (t > 5) counts.push(tf.memory().numTensors);
  }
  assert.deepEqual(counts.slice(1), counts.slice(0, -1), "steady across steps");
  a.forEach((v, i) => assert.deepEqual(b[i]!.dataSync(), v.dataSync()));
  const [x, y] = [await straight.state(), await after.state()];
  assert.deepEqual([y.iterations, y.beta1Power, y.beta2Power], [
    x.iterations,
    x.beta1Power,
    x.beta2Power,
  ]);
  assert.deepEqual(y.slots, x.slots);
  for (const o of [straight, before, after]) o.dispose();
  tf.dispose([...a, ...b]);
  assert.equal(tf.memory().numTensors, start, "everything freed");
});
