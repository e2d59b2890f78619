// The flows: MaskedAutoregressiveFlow, its inverse (an IAF), RealNVP and
// Permute satisfy the bijector laws on every backend (with their weights
// moved off the identity they start as), free what they own, and refuse bad
// options by name.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  Invert,
  MaskedAutoregressiveFlow,
  Permute,
  RealNVP,
  type TensorBijector,
  useBackend,
  type VectorFlow,
} from "../../tensor.ts";
import { assertTensorBijectorLaws } from "../../testing.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";
import { assertAllClose } from "../_tolerance.ts";
import { madeLayout, madeVariables } from "../../lib/tensor/flows/_made.ts";
import { conditionedMaf } from "../../lib/tensor/flows/_conditioned.ts";

const POINTS = [[0.3, -1.2, 2.0], [1.5, 0.4, -0.8], [-2.2, 0.1, 0.9], [0, 0, 0]];

/** Moves every weight off its start (the identity), seeded. */
function perturb(flow: VectorFlow, seed: number): void {
  flow.trainableVariables.forEach((v, i) =>
    tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.4, "float32", seed + i)))
  );
}

Deno.test("flows satisfy the bijector laws on every backend", THREADED, async (t) => {
  await onEveryBackend(t, async () => {
    const before = tf.memory().numTensors;
    const maf = new MaskedAutoregressiveFlow({ eventSize: 3, hiddenSizes: [16, 16], seed: 1 });
    const nvp = new RealNVP({ eventSize: 3, hiddenSizes: [16], layers: 3, seed: 2 });
    perturb(maf, 10);
    perturb(nvp, 20);
    await assertTensorBijectorLaws(maf, POINTS);
    await assertTensorBijectorLaws(new Invert(maf), POINTS);
    await assertTensorBijectorLaws(nvp, POINTS);
    await assertTensorBijectorLaws(new Permute([2, 0, 1]), POINTS);
    // A view computes with other tensors: the same map with the variables themselves.
    const view = maf.withParameters(maf.trainableVariables);
    const x = tf.tensor2d(POINTS);
    const [a, b] = [maf.forward(x), view.forward(x)];
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
    view.dispose(); // (frees nothing: the variables are the flow's)
    assert.equal(maf.isDisposed, false);
    tf.dispose([x, a, b]);
    maf.dispose();
    nvp.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

Deno.test("the law catches a flow whose log-Jacobian is wrong", async () => {
  await useBackend("cpu");
  const maf = new MaskedAutoregressiveFlow({ eventSize: 2, hiddenSizes: [8], seed: 3 });
  perturb(maf, 30);
  // The same map, with log-Jacobians twice what they are.
  const wrong: TensorBijector = {
    name: "WrongMAF",
    minEventRank: 1,
    forward: (x) => maf.forward(x),
    inverse: (y) => maf.inverse(y),
    forwardLogDetJacobian: (x, r) => tf.tidy(() => tf.mul(2, maf.forwardLogDetJacobian(x, r))),
    inverseLogDetJacobian: (y, r) => tf.tidy(() => tf.mul(2, maf.inverseLogDetJacobian(y, r))),
    forwardEventShape: (shape) => shape,
    inverseEventShape: (shape) => shape,
    dispose: () => {},
  };
  await assert.rejects(
    () => assertTensorBijectorLaws(wrong, [[0.5, -0.5], [1, 2]]),
    /log \|det J\| \(autodiff\)/,
  );
  for (const bad of [[], [[]], [[1, 2], [3]], [[1, NaN]]]) {
    await assert.rejects(
      () => assertTensorBijectorLaws(maf, bad as number[][]),
      /points must be rows of the same length ≥ 1, of finite numbers: current value is/,
    );
  }
  maf.dispose();
});

Deno.test("the flows start as the identity and refuse bad options by name", async () => {
  await useBackend("cpu");
  const x = tf.tensor2d(POINTS);
  for (
    const f of [
      new MaskedAutoregressiveFlow({ eventSize: 3 }),
      new RealNVP({ eventSize: 3 }),
    ]
  ) {
    const y = f.forward(x), ldj = f.forwardLogDetJacobian(x, 1);
    assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()));
    assert.deepEqual(Array.from(ldj.dataSync()), [0, 0, 0, 0]);
    tf.dispose([y, ldj]);
    const four = tf.zeros([2, 4]);
    assert.throws(() => f.forward(four), /must end in the event size 3/);
    four.dispose();
    f.dispose();
    assert.throws(() => f.forward(x), /after dispose\(\)/);
  }
  x.dispose();
  assert.throws(() => new MaskedAutoregressiveFlow({ eventSize: 0 }), /options.eventSize/);
  assert.throws(() => new RealNVP({ eventSize: 1 }), /options.eventSize must be an integer ≥ 2/);
  assert.throws(() => new RealNVP({ eventSize: 2, layers: 0 }), /options.layers/);
  assert.throws(
    () => new MaskedAutoregressiveFlow({ eventSize: 2, hiddenSizes: [0] }),
    /options.hiddenSizes/,
  );
  assert.throws(
    () => new MaskedAutoregressiveFlow({ eventSize: 2, hidden: [4] } as never),
    /hidden/,
  );
  assert.throws(() => new Permute([0, 0, 1]), /each of 0 … D − 1 once/);
  assert.throws(() => new Invert({} as never), /must be a tensor bijector/);
  assert.equal(tf.memory().numTensors, 0);
});

Deno.test("a MADE flow conditioned on a context (a VAE's IAF step)", THREADED, async (t) => {
  await onEveryBackend(t, async () => {
    const before = tf.memory().numTensors;
    const layout = madeLayout(3, [8], 2);
    const vars = madeVariables(layout, 4, "conditioned");
    assert.deepEqual(vars.map((v) => v.name).slice(-4), [
      "conditioned/1/kernel",
      "conditioned/1/bias",
      "conditioned/context/kernel",
      "conditioned/context/output",
    ]);
    vars.forEach((v, i) =>
      tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.4, "float32", 40 + i)))
    );
    // Two rows of context; the four points are [2, 2, 3]: point (i, j) reads context row j.
    const context = tf.tensor2d([[1, -1], [0.5, 2]]);
    const step = new Invert(conditionedMaf(layout, vars, context));
    await assertTensorBijectorLaws(step, POINTS);
    const x = tf.tensor3d([POINTS.slice(0, 2), POINTS.slice(2)]);
    const y = step.forward(x);
    // Row by row with the context row it meets: the same values.
    for (const j of [0, 1]) {
      const row = tf.slice(context, [j, 0], [1, 2]) as tf.Tensor2D;
      const one = new Invert(conditionedMaf(layout, vars, row));
      const rows = tf.tidy(() => tf.reshape(tf.slice(x, [0, j, 0], [2, 1, 3]), [2, 1, 3]));
      const got = tf.tidy(() => tf.reshape(tf.slice(y, [0, j, 0], [2, 1, 3]), [2, 1, 3]));
      const want = one.forward(rows);
      assertAllClose(await got.data(), await want.data(), { abs: 1e-6, rel: 1e-6 });
      tf.dispose([row, rows, got, want]);
    }
    // The context moves the map; a count of points that is no multiple of its rows is refused.
    const other = tf.tensor2d([[0, 0], [0, 0]]);
    const y0 = new Invert(conditionedMaf(layout, vars, other)).forward(x);
    assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(y0, y))).dataSync()[0]!) > 1e-3);
    // Every coordinate's map moves with the context, the first's too (its
    // outputs see no hidden unit: only the unmasked context → output term).
    const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(y0, y)), [0, 1]).arraySync() as number[]);
    moved.forEach((m, d) => assert.ok(m > 1e-3, `coordinate ${d} ignores the context: ${m}`));
    const three = tf.zeros([3, 3]);
    assert.throws(() => step.forward(three), /groups of the context's 2 rows/);
    tf.dispose([context, other, x, y, y0, three, ...vars]);
    assert.equal(tf.memory().numTensors, before);
  });
});
