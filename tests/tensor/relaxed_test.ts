// The relaxed families on tensors, where the conformance suite does not
// look: their draws are reparameterized — each draw's derivative in the
// logits and the temperature is the closed form read off the draw itself
// (∂x/∂ℓ = x(1 − x)/λ for the binary Concrete; ∂xᵢ/∂ℓⱼ = xᵢ(δᵢⱼ − xⱼ)/λ for
// the Gumbel-softmax) — on every backend; the laws that define them hold for
// the tensor draws (P(X > ½) = p, argmax X ~ Categorical(p)); the one-hot
// categorical's draws and KL; tensors are freed, errors named.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import {
  Categorical,
  klCategorical,
  klDivergence,
  OneHotCategorical,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
} from "../../tensor.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

const read = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

Deno.test(
  "RelaxedBernoulli: a draw's derivatives in ℓ and λ are x(1 − x)/λ and −x(1 − x) logit(x)/λ, on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, () => {
      const before = tf.memory().numTensors;
      const logits = [0.5, -2, 3], lam = 0.7, n = 50, seed = 11;
      const draw = (l: tf.Tensor, tau: tf.Tensor) => {
        const d = new RelaxedBernoulli(tau, { logits: l });
        const x = d.sample(n, seed);
        d.dispose();
        return x;
      };
      const l0 = tf.tensor1d(logits), t0 = tf.scalar(lam);
      const x = read(draw(l0, t0));
      const [gl, gt] = tf.grads((l: tf.Tensor, tau: tf.Tensor) => tf.sum(draw(l, tau)))([l0, t0]);
      const wantL = logits.map((_, j) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += x[i * 3 + j]! * (1 - x[i * 3 + j]!) / lam;
        return s;
      });
      let wantT = 0;
      for (const v of x) wantT -= v * (1 - v) * Math.log(v / (1 - v)) / lam;
      read(gl!).forEach((g, j) =>
        assert.ok(
          Math.abs(g - wantL[j]!) < 1e-4 * (1 + Math.abs(wantL[j]!)),
          `∂/∂ℓ${j}: ${g} vs ${wantL[j]}`,
        )
      );
      const g = read(gt!)[0]!;
      assert.ok(Math.abs(g - wantT) < 1e-3 * (1 + Math.abs(wantT)), `∂/∂λ: ${g} vs ${wantT}`);
      tf.dispose([l0, t0]);
      assert.equal(tf.memory().numTensors, before, "tensors left behind");
    });
  },
);

Deno.test(
  "RelaxedOneHotCategorical: a draw's derivatives in ℓ and λ are the softmax's, on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, () => {
      const before = tf.memory().numTensors;
      const logits = [0.3, -1.2, 2, 0], w = [1, -2, 0.5, 3], lam = 0.6, n = 40, K = 4;
      const weighted = (l: tf.Tensor, tau: tf.Tensor) => {
        const d = new RelaxedOneHotCategorical(tau, { logits: l });
        const f = tf.sum(tf.mul(d.sample(n, 5), tf.tensor1d(w)));
        d.dispose();
        return f;
      };
      const l0 = tf.tensor1d(logits), t0 = tf.scalar(lam);
      const probe = new RelaxedOneHotCategorical(t0, { logits: l0 });
      const x = read(probe.sample(n, 5));
      probe.dispose();
      const [gl, gt] = tf.grads(weighted)([l0, t0]);
      // ∂/∂ℓⱼ Σᵢ wᵢ xᵢ = xⱼ (wⱼ − Σᵢ wᵢ xᵢ)/λ; ∂/∂λ = −Σᵢ wᵢ xᵢ (log xᵢ − Σₖ xₖ log xₖ)/λ.
      const wantL = new Array(K).fill(0);
      let wantT = 0;
      for (let r = 0; r < n; r++) {
        const row = x.slice(r * K, (r + 1) * K);
        const wx = row.reduce((s, v, i) => s + w[i]! * v, 0);
        const xlx = row.reduce((s, v) => s + v * Math.log(v), 0);
        row.forEach((v, j) => {
          wantL[j] += v * (w[j]! - wx) / lam;
          wantT -= w[j]! * v * (Math.log(v) - xlx) / lam;
        });
      }
      read(gl!).forEach((g, j) =>
        assert.ok(
          Math.abs(g - wantL[j]) < 1e-3 * (1 + Math.abs(wantL[j])),
          `∂/∂ℓ${j}: ${g} vs ${wantL[j]}`,
        )
      );
      const g = read(gt!)[0]!;
      assert.ok(Math.abs(g - wantT) < 2e-3 * (1 + Math.abs(wantT)), `∂/∂λ: ${g} vs ${wantT}`);
      tf.dispose([l0, t0]);
      assert.equal(tf.memory().numTensors, before, "tensors left behind");
    });
  },
);

Deno.test("the tensor draws keep the laws that define the families; log p at them matches the core", () => {
  const n = 20000;
  const b = new RelaxedBernoulli([0.5, 2], { probs: [[0.3], [0.85]] });
  const xb = read(b.sample(n, 3));
  [0.3, 0.85].forEach((p, j) => {
    let above = 0;
    for (let i = 0; i < n; i++) if (xb[i * 2 + j]! > 0.5) above++;
    const se = Math.sqrt(p * (1 - p) / n);
    assert.ok(Math.abs(above / n - p) < 4.5 * se, `P(X > ½) ${above / n} vs ${p}`);
  });
  const c = new RelaxedOneHotCategorical(0.4, { logits: [0.3, -1.2, 2] });
  const xc = read(c.sample(n, 4)), counts = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const row = xc.slice(i * 3, i * 3 + 3);
    counts[row.indexOf(Math.max(...row))]!++;
  }
  const p = new core.Categorical({ logits: [0.3, -1.2, 2] }).probs;
  counts.forEach((k, j) => {
    const se = Math.sqrt(p[j]! * (1 - p[j]!) / n);
    assert.ok(Math.abs(k / n - p[j]!) < 4.5 * se, `argmax ${j}: ${k / n} vs ${p[j]}`);
  });
  // log p at the tensor's own draws, against the core at the same float32 points.
  const twin = new core.RelaxedOneHotCategorical(Math.fround(0.4), {
    logits: [0.3, -1.2, 2].map(Math.fround),
  });
  const some = tf.tensor2d(xc.slice(0, 300), [100, 3]);
  const lp = read(c.logProb(some));
  some.dispose();
  lp.forEach((v, i) => {
    const row = xc.slice(i * 3, i * 3 + 3), total = row.reduce((a, x) => a + x, 0);
    const want = twin.logProb(row.map((x) => x / total));
    assert.ok(Math.abs(v - want) < 1e-3 * (1 + Math.abs(want)), `draw ${i}: ${v} vs ${want}`);
  });
  b.dispose();
  c.dispose();
});

Deno.test("OneHotCategorical: one-hot draws with the categorical's frequencies; the KL is the categorical's", () => {
  const before = tf.memory().numTensors;
  const d = new OneHotCategorical({ probs: [[0.2, 0.5, 0.3], [0.7, 0.1, 0.2]] }), n = 20000;
  const x = d.sample(n, 9);
  assert.deepEqual(x.shape, [n, 2, 3]);
  const v = read(x), freq = [[0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < 2; b++) {
      const row = v.slice((i * 2 + b) * 3, (i * 2 + b) * 3 + 3);
      assert.equal(row.reduce((s, y) => s + y, 0), 1);
      freq[b]![row.indexOf(1)]!++;
    }
  }
  [[0.2, 0.5, 0.3], [0.7, 0.1, 0.2]].forEach((ps, b) =>
    ps.forEach((p, k) => {
      const se = Math.sqrt(p * (1 - p) / n);
      assert.ok(Math.abs(freq[b]![k]! / n - p) < 4.5 * se, `member ${b}, category ${k}`);
    })
  );
  const q = new OneHotCategorical({ logits: [0, 0.4, -1] });
  const cp = new Categorical({ probs: [[0.2, 0.5, 0.3], [0.7, 0.1, 0.2]] });
  const cq = new Categorical({ logits: [0, 0.4, -1] });
  assert.deepEqual(read(klDivergence(d, q)), read(klCategorical(cp, cq)));
  const two = new OneHotCategorical({ logits: [0, 1] });
  assertThrowsNaming(
    () => klDivergence(d, two),
    TypeError,
    "number of categories",
  );
  [d, q, cp, cq, two].forEach((t) => t.dispose());
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
});

Deno.test("the relaxed families name bad arguments and free what they made", () => {
  const before = tf.memory().numTensors;
  for (const lam of [0, -1, NaN]) {
    assertThrowsNaming(() => new RelaxedBernoulli(lam, { logits: [0] }), RangeError, "temperature");
    assertThrowsNaming(
      () => new RelaxedOneHotCategorical(lam, { logits: [0, 1] }),
      RangeError,
      "temperature",
    );
  }
  assertThrowsNaming(
    () => new RelaxedBernoulli([1, 2, 3], { logits: [[0], [1]] }),
    TypeError,
    "temperature and the batch",
  );
  assertThrowsNaming(
    () => new RelaxedOneHotCategorical(1, { logits: [0] }),
    TypeError,
    "at least 2",
  );
  assertThrowsNaming(
    () => new RelaxedOneHotCategorical(1, { probs: [0, 1] }),
    RangeError,
    "probs[0]",
  );
  assertThrowsNaming(() => new RelaxedBernoulli(1, { probs: [1] }), RangeError, "(0, 1)");
  assertThrowsNaming(() => new RelaxedBernoulli(1, { logits: 0 }), TypeError, "event axis");
  const d = new RelaxedOneHotCategorical(0.5, { logits: [0, 1] });
  assertThrowsNaming(() => d.logProb([0.5, 0.6]), RangeError, "sum to 1");
  for (const m of ["mean", "variance", "entropy"] as const) {
    assertThrowsNaming(() => d[m](), TypeError, "Monte Carlo");
  }
  d.dispose();
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
});

Deno.test(
  "a gradient passes through log p at the families' own draws, in the logits and λ, on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, () => {
      const before = tf.memory().numTensors;
      const l0 = tf.tensor2d([[0.3, -1, 2], [1, 0, -3]]), t0 = tf.tensor1d([0.05, 0.7]);
      // The score a relaxed ELBO differentiates: log q(z) at z ~ q, through z too.
      const [gl, gt] = tf.grads((l: tf.Tensor, tau: tf.Tensor) => {
        const q = new RelaxedOneHotCategorical(tau, { logits: l });
        const b = new RelaxedBernoulli(tau, { logits: l });
        const f = tf.add(tf.sum(q.logProb(q.sample(8, 3))), tf.sum(b.logProb(b.sample(8, 4))));
        q.dispose();
        b.dispose();
        return f;
      })([l0, t0]);
      for (const g of [read(gl!), read(gt!)]) {
        assert.ok(g.every(Number.isFinite), `gradient ${g}`);
      }
      // A one-hot point that carries a gradient (straight-through): a zero gradient, no error.
      const c = new OneHotCategorical({ logits: [0, 1, 2] });
      const hot = tf.tensor1d([0, 1, 0]), l1 = tf.tensor1d([0, 1, 2]);
      const gx = read(tf.grad((x: tf.Tensor) => tf.sum(c.logProb(x)))(hot));
      assert.deepEqual(gx, [0, 0, 0]);
      const gs = read(
        tf.grad((l: tf.Tensor) => {
          const d = new OneHotCategorical({ logits: l });
          const x = tf.sum(tf.mul(d.sample(4, 1), tf.tensor1d([1, 2, 3])));
          d.dispose();
          return x;
        })(l1),
      );
      assert.deepEqual(gs, [0, 0, 0], "a discrete draw has no gradient");
      c.dispose();
      tf.dispose([l0, t0, hot, l1]);
      assert.equal(tf.memory().numTensors, before, "tensors left behind");
    });
  },
);

Deno.test("cold draws stay inside the support, where log p is finite; probabilities as numbers keep float64's logits", () => {
  const b = new RelaxedBernoulli(0.05, { logits: [[0.3, -2, 4, 0]] });
  const x = b.sample(2000, 1), lp = read(b.logProb(x));
  x.dispose();
  assert.ok(lp.every(Number.isFinite), "log p finite at every draw at λ = 0.05");
  const c = new RelaxedOneHotCategorical(0.02, { logits: [0, 8, -8, 1, 0, 0, 0, 0, 0, 3] });
  const y = c.sample(2000, 2), lq = read(c.logProb(y));
  y.dispose();
  assert.ok(lq.every(Number.isFinite), "log p finite at every draw at λ = 0.02");
  // 0.99999999 and 10⁻⁴⁶ are 1 and 0 in float32: their logits are taken in float64.
  const near = new RelaxedBernoulli(0.5, { probs: [0.99999999] });
  const want = new core.RelaxedBernoulli(0.5, { probs: [0.99999999] }).logProb([0.5]);
  const got = read(near.logProb([0.5]))[0]!;
  assert.ok(Math.abs(got - want) < 1e-5 * Math.abs(want), `${got} vs ${want}`);
  const tiny = new RelaxedOneHotCategorical(1, { probs: [1e-46, 1] });
  const wantTiny = new core.RelaxedOneHotCategorical(1, { probs: [1e-46, 1] }).logProb([0.5, 0.5]);
  const gotTiny = read(tiny.logProb([0.5, 0.5]))[0]!;
  assert.ok(Math.abs(gotTiny - wantTiny) < 1e-5 * Math.abs(wantTiny), `${gotTiny} vs ${wantTiny}`);
  // On a face where Kλ = z(λ + 1) up to rounding (K = 7, λ = 1/6, one zero): finite in both layers.
  const pt = [0, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1];
  const faceCore = new core.RelaxedOneHotCategorical(1 / 6, { logits: [0, 1, 0, 0, 0, 0, 0] })
    .logProb(pt);
  const face = new RelaxedOneHotCategorical(1 / 6, { logits: [0, 1, 0, 0, 0, 0, 0] });
  const faceT = read(face.logProb(pt))[0]!;
  assert.ok(
    Number.isFinite(faceCore) && Math.abs(faceT - faceCore) < 1e-4 * (1 + Math.abs(faceCore)),
  );
  [b, c, near, tiny, face].forEach((d) => d.dispose());
});
