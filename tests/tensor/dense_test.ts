import * as tf from "@tensorflow/tfjs";
import { dense, denseAutodiff } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertThrowsNaming } from "../_tolerance.ts";

await useBackend("cpu");

Deno.test("dense() has the same value and gradient as tfjs's autodiff", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 6 }),
      fc.nat(),
      (n, i, o, seed) => {
        tf.tidy(() => {
          const x = tf.randomNormal([n, i], 0, 1, "float32", seed) as tf.Tensor2D;
          const w = tf.randomNormal([i, o], 0, 1, "float32", seed + 1) as tf.Tensor2D;
          const b = tf.randomNormal([o], 0, 1, "float32", seed + 2) as tf.Tensor1D;
          const up = tf.randomNormal([n, o], 0, 1, "float32", seed + 3);
          // A non-linear loss so that ∂L/∂y varies: L = Σ up ⊙ tanh(y).
          const loss = (f: typeof dense) => (a: tf.Tensor, bw: tf.Tensor, bb: tf.Tensor) =>
            tf.sum(tf.mul(up, tf.tanh(f(a as tf.Tensor2D, bw as tf.Tensor2D, bb as tf.Tensor1D))));
          const mine = tf.grads(loss(dense))([x, w, b]);
          const ref = tf.grads(loss(denseAutodiff))([x, w, b]);
          mine.forEach((g, k) =>
            assertAllClose(
              g.dataSync(),
              ref[k]!.dataSync(),
              { abs: 1e-5, rel: 1e-4 },
              `gradient ${k}`,
            )
          );
          assertAllClose(dense(x, w, b).dataSync(), denseAutodiff(x, w, b).dataSync(), {
            abs: 1e-6,
            rel: 1e-6,
          });
          // Without the input gradient, W and b get the same gradients.
          const noInput = tf.grads((bw: tf.Tensor, bb: tf.Tensor) =>
            tf.sum(
              tf.mul(
                up,
                tf.tanh(dense(x, bw as tf.Tensor2D, bb as tf.Tensor1D, { inputGradient: false })),
              ),
            )
          )([w, b]);
          noInput.forEach((g, k) =>
            assertAllClose(g.dataSync(), ref[k + 1]!.dataSync(), { abs: 1e-5, rel: 1e-4 })
          );
        });
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("dense() and denseAutodiff() check their operands", () => {
  const x = tf.zeros([2, 3]) as tf.Tensor2D, w = tf.zeros([3, 4]) as tf.Tensor2D;
  const b = tf.zeros([4]) as tf.Tensor1D;
  for (const f of [dense, denseAutodiff]) {
    assertThrowsNaming(() => f(tf.zeros([2, 5]) as tf.Tensor2D, w, b), TypeError, "x", "3 columns");
    assertThrowsNaming(() => f(x, w, tf.zeros([3]) as tf.Tensor1D), TypeError, "bias", "4 values");
    assertThrowsNaming(() => f(x, tf.zeros([3]) as never, b), TypeError, "weight", "rank 2");
    assertThrowsNaming(() => f([[1, 2, 3]] as never, w, b), TypeError, "x", "tf.Tensor");
    assertThrowsNaming(() => f(tf.zeros([2, 3], "int32") as never, w, b), TypeError, "x", "int32");
  }
  assertThrowsNaming(
    () => dense(x, w, b, { inputGradient: "no" as never }),
    TypeError,
    "options.inputGradient",
  );
  assertThrowsNaming(() => dense(x, w, b, 5 as never), TypeError, "options");
  tf.dispose([x, w, b]);
});
