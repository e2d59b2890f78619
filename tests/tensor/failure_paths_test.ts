// The tensor layer's failure paths, on every backend: parameters float32
// cannot hold are refused by name, a constructor that throws frees what it
// made, a disposed distribution or bijector says so, a pair of batch shapes
// that do not broadcast is named, a draw too big to hold is refused, and
// points outside a bijector's range give −∞ (not a finite density).
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";
import { refuses } from "./_refuses.ts";

function read(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

Deno.test("tensor failure paths, on every backend", THREADED, async (t) => {
  await onEveryBackend(t, async (t) => {
    await t.step("numbers float32 cannot hold are refused, naming the value and the limit", () => {
      refuses(() => new T.Normal(1e39, 1), RangeError, "loc", "1e+39", "float32");
      refuses(() => new T.Gamma(1e39, 1), RangeError, "concentration", "1e+39");
      refuses(() => new T.Bernoulli({ logits: [1e39] }), RangeError, "logits", "1e+39");
      // Positive parameters below the least normal float32 (1.1754943508222875e-38).
      refuses(() => new T.Gamma(1e-40, 1), RangeError, "concentration", "1e-40", "least normal");
      refuses(() => new T.Beta(1e-40, 1), RangeError, "1e-40", "1.1754943508222875e-38");
      refuses(() => new T.Normal(0, 1e-40), RangeError, "scale", "1e-40");
      refuses(() => new T.Scale(1e-40), RangeError, "scale", "1e-40");
      // The least normal itself is a parameter like any other.
      const g = new T.Gamma(2 ** -126, 1);
      g.dispose();
    });

    await t.step("a constructor that throws frees the tensors it made", () => {
      refuses(() => new T.Normal(0, -1), RangeError, "scale");
      refuses(() => new T.Normal([0, 1, 2], [1, 2]), TypeError, "broadcast");
      refuses(() => new T.Gamma([1, 2, 3], [1, 2]), TypeError, "broadcast");
      refuses(() => new T.StudentT([1, 2], 0, [-1, 1]), RangeError, "scale");
      refuses(() => new T.StudentT([2, 3, 4], [0, 1], 1), TypeError, "broadcast");
      refuses(() => new T.MultivariateNormal([0, 0, 0], [[1, 0], [0, 1]]), TypeError);
      refuses(() => new T.Categorical({ probs: [[0.5, 0.5], [0.2, 0.3]] }), RangeError, "sum");
      refuses(() => new T.Shift(tf.zeros([2, 2]).dispose() as never), TypeError);
      const loc = tf.zeros([3]);
      refuses(() => new T.DiagNormal(loc, [1, 2]), TypeError, "broadcast");
      assert.ok(!loc.isDisposed, "the caller's tensor stays the caller's");
      loc.dispose();
    });

    await t.step("a disposed distribution or bijector says so, on every method", () => {
      const d = new T.Normal([0, 1], [1, 2]);
      d.dispose();
      assert.equal(d.isDisposed, true);
      for (const call of [() => d.sample(2, 1), () => d.logProb(0), () => d.entropy()]) {
        refuses(call, TypeError, "Normal.", "after dispose()");
      }
      const q = new T.Normal(0, 1);
      refuses(() => T.klDivergence(d, q), TypeError, "p (a Normal) was disposed");
      q.dispose();
      const b = new T.Bernoulli({ logits: [0.3] });
      b.dispose();
      refuses(() => b.probs, TypeError, "Bernoulli.probs", "after dispose()");
      const s = new T.Shift([1, 2]);
      s.dispose();
      const x = tf.zeros([2]), eye = tf.eye(2);
      refuses(() => s.forward(x), TypeError, "Shift.forward", "after dispose()");
      const f = new T.FillScaleTriL();
      f.dispose();
      refuses(() => f.inverse(eye), TypeError, "FillScaleTriL.inverse", "after dispose()");
      tf.dispose([x, eye]);
      // Disposing twice is harmless.
      d.dispose();
      s.dispose();
    });

    await t.step("klDivergence names both batch shapes when they do not broadcast", () => {
      const p = new T.Normal([0, 1, 2], 1), q = new T.Normal([0, 1], 1);
      refuses(() => T.klDivergence(p, q), TypeError, "p's batch shape [3]", "q's batch shape [2]");
      refuses(() => T.klMonteCarlo(p, q, { samples: 4, seed: 1 }), TypeError, "[3]", "[2]");
      p.dispose();
      q.dispose();
    });

    await t.step("a draw too big to hold is refused at once, naming n", () => {
      const d = new T.Normal(0, 1);
      refuses(() => d.sample(1e12, 1), RangeError, "n", "1000000000000", "67108864");
      refuses(() => d.sample(2 ** 27, 1), RangeError, "134217728");
      const v = new T.DiagNormal(tf.zeros([4, 4096]), tf.ones([4, 4096]));
      refuses(() => v.sample(4097, 1), RangeError, "4097 × 4 × 4096");
      tf.dispose([v.loc, v.scale]);
      v.dispose();
      d.dispose();
    });

    await t.step("off a bijector's range: −∞ density, NaN inverse", () => {
      const base = new T.DiagNormal([0, 0], [1, 1]), sm = new T.SoftmaxCentered();
      const d = new T.TransformedDistribution(base, sm);
      const [off, on] = read(d.logProb([[0.4, 0.6, 1.0], [0.2, 0.3, 0.5]]));
      const twin = new core.TransformedDistribution(
        new core.DiagNormal([0, 0], [1, 1]),
        new core.SoftmaxCentered(),
      );
      assert.equal(off, -Infinity);
      assert.equal(twin.logProb([0.4, 0.6, 1.0]), -Infinity);
      assert.ok(Math.abs(on! - twin.logProb([0.2, 0.3, 0.5])) < 1e-5);
      const L = new T.FillScaleTriL();
      const x = read(L.inverse(tf.tensor2d([[1, 2], [0.5, 1]])));
      assert.ok(x.every(Number.isNaN), `upper triangle ignored: ${x}`);
      assert.equal(new core.FillScaleTriL().inRange([1, 2, 0.5, 1]), false);
      [base, sm, d, L].forEach((v) => v.dispose());
    });

    await t.step(
      "a positive latent far below 1: Softplus draws stay > 0, with finite densities",
      () => {
        // softplus(−17) = 4.1·10⁻⁸, which log(1 + eˣ) rounds to 0 in float32.
        const base = new T.Normal(-20, 1), f = new T.Softplus();
        const d = new T.TransformedDistribution(base, f);
        const y = d.sample(2000, 5);
        const draws = Array.from(y.dataSync()), lp = read(d.logProb(y));
        y.dispose();
        assert.ok(draws.every((v) => v > 0), "a draw of exactly 0");
        assert.ok(lp.every(Number.isFinite), "a non-finite log-density at a draw");
        const x = tf.tensor1d([-17]);
        const [at] = read(f.forward(x));
        x.dispose();
        assert.ok(Math.abs(at! / Math.log1p(Math.exp(-17)) - 1) < 1e-6, `softplus(−17) = ${at}`);
        [base, f, d].forEach((v) => v.dispose());
      },
    );

    await t.step(
      "klMonteCarlo with an infinite term: value and standard error +∞, as the core",
      () => {
        const p = new T.Normal(0, 1), q = new T.Gamma(2, 1);
        const est = T.klMonteCarlo(p, q, { samples: 64, seed: 3 });
        const [value] = read(est.value), [se] = read(est.standardError);
        const twin = core.klMonteCarlo(new core.Normal(0, 1), new core.Gamma(2, 1), {
          samples: 64,
          rng: core.createRng(3),
        });
        assert.deepEqual([value, se], [Infinity, Infinity]);
        assert.deepEqual([twin.value, twin.standardError], [Infinity, Infinity]);
        p.dispose();
        q.dispose();
      },
    );
  });
});
