// The tensor distributions as the VAE uses them for p(x|z): a Bernoulli on a
// decoder's logits (with its hand-written gradient) and a DiagNormal with a
// fixed σ, each with the draws of an importance-weighted bound as a leading
// batch axis. Values against the float64 core are in conformance_test.ts.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Bernoulli, DiagNormal, useBackend } from "../../tensor.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, FLOAT32 } from "../_tolerance.ts";

await useBackend("cpu");

/** n rows of d values in [lo, hi]. */
const rows = (n: number, d: number, lo: number, hi: number) =>
  fc.array(
    fc.array(fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true }), {
      minLength: d,
      maxLength: d,
    }),
    { minLength: n, maxLength: n },
  );

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

Deno.test("Bernoulli on logits, the likelihood of binary images", async (t) => {
  await t.step("the hand-written gradient equals autodiff of Σ xℓ − softplus(ℓ)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) =>
          fc.tuple(rows(3, d, -20, 20), rows(3, d, 0, 1), rows(3, 1, -2, 2))
        ),
        ([l, x, w]) => {
          tf.tidy(() => {
            const f = (ref: boolean) => (xs: tf.Tensor, ls: tf.Tensor) =>
              tf.sum(
                tf.mul(
                  tf.tensor1d(w.flat()),
                  ref
                    ? tf.sum(tf.sub(tf.mul(xs, ls), tf.softplus(ls)), -1)
                    : new Bernoulli({ logits: ls }).logProb(xs),
                ),
              );
            const args = [tf.tensor2d(x), tf.tensor2d(l)];
            const mine = tf.grads(f(false))(args), ref = tf.grads(f(true))(args);
            mine.forEach((g, k) =>
              g.dataSync().forEach((v, i) => assertClose(v, ref[k]!.dataSync()[i]!, FLOAT32))
            );
          });
        },
      ),
      { numRuns: 30 },
    );
  });
  await t.step(
    "x [n, D] broadcast over k draws of logits [k, n, D]: gradients keep their shapes",
    () => {
      tf.tidy(() => {
        const x = tf.tensor2d([[1, 0, 1], [0, 0, 1]]);
        const logits = tf.randomNormal([4, 2, 3], 0, 3, "float32", 1);
        const lp = (xs: tf.Tensor, ls: tf.Tensor) =>
          tf.sum(new Bernoulli({ logits: ls }).logProb(xs));
        const [gx, gl] = tf.grads(lp)([x, logits]);
        assert.deepEqual([gx!.shape, gl!.shape], [[2, 3], [4, 2, 3]]);
        // ∂/∂ℓ = x − σ(ℓ) at every draw; ∂/∂x = Σ over draws of ℓ.
        const want = tf.sub(x, tf.sigmoid(logits));
        gl!.dataSync().forEach((v, i) => assertClose(v, want.dataSync()[i]!, FLOAT32));
        const wx = tf.sum(logits, 0);
        gx!.dataSync().forEach((v, i) => assertClose(v, wx.dataSync()[i]!, FLOAT32));
      });
    },
  );
  await t.step("stable for logits of any size: ℓ = 1e4 gives −1e4 for a 0, not −∞", () => {
    const b = new Bernoulli({ logits: tf.tensor2d([[1e4, 1e4, -1e4]]) });
    const [lp] = read(b.logProb(tf.tensor2d([[1, 0, 0]])));
    assertClose(lp!, -1e4, FLOAT32);
    tf.dispose(b.logits);
    b.dispose();
  });
});

Deno.test("DiagNormal with a fixed σ, the Gaussian likelihood", async (t) => {
  await t.step("log p(x|x̂) = −‖x − x̂‖²/(2σ²) − (D/2) log 2πσ²", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) => fc.tuple(rows(2, d, -4, 4), rows(2, d, 0, 1))),
        fc.float({ min: Math.fround(0.1), max: Math.fround(3), noNaN: true }),
        ([x, mean], s) => {
          const p = new DiagNormal(tf.tensor2d(mean), s);
          const got = read(p.logProb(tf.tensor2d(x)));
          tf.dispose(p.loc);
          p.dispose();
          got.forEach((g, i) => {
            const d = x[i]!.length;
            const sq = x[i]!.reduce((a, v, j) => a + (v - mean[i]![j]!) ** 2, 0);
            const want = -sq / (2 * s * s) - (d / 2) * Math.log(2 * Math.PI * s * s);
            assertClose(g, want, { abs: 1e-4, rel: 1e-4 });
          });
        },
      ),
      { numRuns: 50 },
    );
  });
  await t.step("σ = 1/√2 makes −log p the summed squared error plus (D/2) log π", () => {
    const p = new DiagNormal(tf.zeros([1, 2]), Math.SQRT1_2);
    const [lp] = read(p.logProb(tf.tensor2d([[1, 0]])));
    assertClose(lp!, -1 - Math.log(Math.PI), FLOAT32);
    tf.dispose(p.loc);
    p.dispose();
  });
});

Deno.test("Bernoulli's probabilities, computed on first use, never leak", async () => {
  await useBackend("cpu");
  const logits = tf.tensor1d([-2, 0, 3]);
  const start = tf.memory().numTensors;
  // Read inside a tidy: freed with it.
  for (let i = 0; i < 5; i++) tf.dispose(tf.tidy(() => tf.sum(new Bernoulli({ logits }).probs)));
  assert.equal(tf.memory().numTensors, start);
  // Read outside: kept until dispose(), and the same tensor each time.
  const b = new Bernoulli({ logits });
  const p = b.probs;
  assert.equal(b.probs, p);
  assertAllClose(await p.data(), [1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))], {
    abs: 1e-7,
    rel: 1e-6,
  });
  // A read inside a tidy after one there freed it computes it again.
  const c = new Bernoulli({ logits });
  tf.tidy(() => c.probs);
  assert.ok(!c.probs.isDisposed);
  b.dispose();
  c.dispose();
  assert.equal(tf.memory().numTensors, start);
  logits.dispose();
});
