// The wasm softplus kernel against the exact value (float64), its tail
// handling, its special values, and the fallback elsewhere.
import assert from "node:assert/strict";
import { useBackend } from "../../models.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { softplusValue } from "../../lib/tensor/_stable.ts";

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
    const part = tf.tensor1d(values.subarray(n - m));
    const want = (await tf.softplus(part).data()) as Float32Array;
    const have = await softplusValue(part).data();
    have.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 2e-7 * want[i]!, `n = ${m}, ${i}`));
  }
  // NaN stays NaN, +∞ stays +∞; far below −80 the value is e⁻⁸⁰ (< 2e-35), not exp(x).
  const special = await softplusValue(tf.tensor1d([NaN, Infinity, -200, 3])).data();
  assert.ok(Number.isNaN(special[0]));
  assert.equal(special[1], Infinity);
  assert.ok(special[2]! > 0 && special[2]! < 2e-35);
  assert.ok(Math.abs(special[3]! - exact(3)) < 1e-6);
  tf.dispose([x, y]);
});

Deno.test("softplusValue elsewhere, and for fewer than four values, is tf.softplus", async () => {
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    const sizes = backend === "cpu" ? [1, 3, 10] : [1, 2, 3];
    for (const m of sizes) {
      const x = tf.linspace(-5, 5, m);
      assert.deepEqual(await softplusValue(x).data(), await tf.softplus(x).data());
    }
  }
});
