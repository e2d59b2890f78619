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
