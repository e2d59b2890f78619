// assertTensorAgreement() passes twins that agree, fails a tensor
// distribution that is wrong in one method, and leaks no tensors.
import assert from "node:assert/strict";
import { AssertionError } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { assertTensorAgreement } from "../../testing.ts";

await T.useBackend("cpu");

function fails(f: () => void, ...fragments: string[]): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof AssertionError, `expected an AssertionError, got ${e}`);
    for (const s of fragments) assert.ok(e.message.includes(s), `"${e.message}" lacks "${s}"`);
    return true;
  });
}

class EntropyOff extends T.Normal {
  override entropy(): tf.Tensor {
    return tf.tidy(() => tf.add(super.entropy(), 0.1));
  }
}
/** A mixture whose entropy() returns a number where the core's throws. */
class MixtureWithEntropy extends T.Mixture {
  override entropy(): tf.Tensor {
    return tf.zeros(this.batchShape);
  }
}

Deno.test("assertTensorAgreement()", async (t) => {
  const start = tf.memory().numTensors;
  await t.step("passes twins that agree: batches, vectors, a mixture", () => {
    const n = new T.Normal([0, 1], [1, 2]);
    assertTensorAgreement(n, [new core.Normal(0, 1), new core.Normal(1, 2)], [0.5, -1, 2, 3]);
    n.dispose();
    const d = new T.DiagNormal([[0, 1], [2, 3]], [[1, 2], [0.5, 1]]);
    const twins = [new core.DiagNormal([0, 1], [1, 2]), new core.DiagNormal([2, 3], [0.5, 1])];
    assertTensorAgreement(d, twins, [0, 0, 1, 1, 2, 2, -1, 3]);
    d.dispose();
    const m = new T.Mixture([0.3, 0.7], [new T.Normal(-1, 1), new T.Normal(2, 0.5)]);
    const cm = new core.Mixture([0.3, 0.7], [new core.Normal(-1, 1), new core.Normal(2, 0.5)]);
    assertTensorAgreement(m, [cm], [0, 1.5, -3]);
    m.components.forEach((c) => c.dispose());
    m.dispose();
  });
  await t.step("fails a wrong entropy, a wrong twin, and an entropy that should throw", () => {
    const n = new EntropyOff(0, 1);
    fails(() => assertTensorAgreement(n, [new core.Normal(0, 1)], [0.5]), "EntropyOff.entropy()");
    n.dispose();
    const m = new T.Normal(0, 1);
    fails(() => assertTensorAgreement(m, [new core.Normal(0, 1.001)], [2]), "Normal.logProb");
    fails(() => assertTensorAgreement(m, [new core.Normal(1e-3, 1)], [0]), "Normal.mean()[0]");
    m.dispose();
    const w = new MixtureWithEntropy([1], [new T.Normal(0, 1)]);
    fails(
      () => assertTensorAgreement(w, [new core.Mixture([1], [new core.Normal(0, 1)])], [0]),
      "should throw a TypeError",
    );
    w.components.forEach((c) => c.dispose());
    w.dispose();
  });
  await t.step("refuses twins and points of the wrong size", () => {
    const n = new T.Normal([0, 1], 1);
    assert.throws(() => assertTensorAgreement(n, [new core.Normal(0, 1)], [0, 1]), TypeError);
    assert.throws(
      () => assertTensorAgreement(n, [new core.Normal(0, 1), new core.Normal(1, 1)], [0]),
      TypeError,
    );
    n.dispose();
  });
  await t.step("leaves no tensor behind", () => {
    assert.equal(tf.memory().numTensors, start);
  });
});
