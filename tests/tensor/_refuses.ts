// The assertion of the tensor layer's failure-path tests: a call throws the
// expected class with every fragment in its message, and leaves no tensor.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";

/** Asserts that `fn` throws `type` with every fragment in its message, leaving no tensor. */
export function refuses(fn: () => unknown, type: ErrorConstructor, ...fragments: string[]): void {
  const before = tf.memory().numTensors;
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof type, `${e?.constructor?.name}: ${e?.message}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `"${f}" not in: ${e.message}`);
    return true;
  });
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
}
