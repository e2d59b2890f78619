// The tensor twins of Gamma, Beta, Laplace, StudentT, Uniform, Categorical,
// Dirichlet and Poisson beyond the conformance suite (which checks their
// values against the float64 core): errors, shapes, seeded draws whose
// moments and entropy match the closed forms within standard errors, KLs
// against Monte Carlo, finite gradients, and no tensors left behind.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as T from "../../tensor.ts";
import { klGamma as klGamma64 } from "../../mod.ts";
import * as core from "../../mod.ts";
import { assertClose, assertWithinSE } from "../_tolerance.ts";

await T.useBackend("cpu");

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

/** One instance of each family, with a batch, and interior points. */
const FAMILIES: Record<string, () => { d: T.TensorDistribution; x: number[][] }> = {
  Gamma: () => ({ d: new T.Gamma([0.3, 2, 15], [1, 2, 0.5]), x: [[0.2, 1, 30], [2, 0.5, 20]] }),
  Beta: () => ({
    d: new T.Beta([0.5, 2, 30], [0.7, 5, 10]),
    x: [[0.2, 0.3, 0.7], [0.9, 0.1, 0.8]],
  }),
  Laplace: () => ({ d: new T.Laplace([0, -2], [1, 0.5]), x: [[0.3, -2.5], [-1, 4]] }),
  StudentT: () => ({ d: new T.StudentT([9, 12], [1, -1], [2, 0.5]), x: [[0, 1], [5, -1]] }),
  Uniform: () => ({ d: new T.Uniform([-1, 2], [3, 2.5]), x: [[0, 2.2], [2.9, 2.4]] }),
  Categorical: () => ({
    d: new T.Categorical({ probs: [[0.2, 0.5, 0.3], [0.1, 0, 0.9]] }),
    x: [[0, 2], [1, 0]],
  }),
  Dirichlet: () => ({
    d: new T.Dirichlet([[1, 2, 3], [0.5, 0.5, 4]]),
    x: [[0.2, 0.3, 0.5], [0.05, 0.15, 0.8]],
  }),
  Poisson: () => ({ d: new T.Poisson([0.3, 4, 50]), x: [[0, 3, 45], [2, 4, 60]] }),
};

/** Per column of [n, m] draws: mean, variance and their standard errors. */
function moments(v: ArrayLike<number>, n: number) {
  const m = v.length / n;
  return Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i * m + j]!;
    const mean = s / n;
    let s2 = 0, s4 = 0;
    for (let i = 0; i < n; i++) {
      const c = (v[i * m + j]! - mean) ** 2;
      s2 += c;
      s4 += c * c;
    }
    const variance = s2 / (n - 1), m4 = s4 / n;
    return {
      mean: { value: mean, standardError: Math.sqrt(variance / n) },
      variance: { value: variance, standardError: Math.sqrt(Math.max(m4 - variance ** 2, 0) / n) },
    };
  });
}

Deno.test("draws are seeded and their moments match mean() and variance()", async (t) => {
  const n = 20000;
  for (const [name, make] of Object.entries(FAMILIES)) {
    await t.step(name, () => {
      const { d } = make();
      const x = d.sample(n, 11);
      assert.deepEqual(x.shape, [n, ...d.batchShape, ...d.eventShape]);
      const v = x.dataSync();
      assert.deepEqual(read(d.sample(3, 11)), Array.from(v.slice(0, read(d.mean()).length * 3)));
      assert.notDeepEqual(read(d.sample(3, 12)), Array.from(v.slice(0, read(d.mean()).length * 3)));
      const mean = read(d.mean()), variance = read(d.variance());
      moments(v, n).forEach((mo, j) => {
        assertWithinSE(mo.mean, mean[j]!, 4.5, `${name} mean[${j}]`);
        assertWithinSE(mo.variance, variance[j]!, 4.5, `${name} variance[${j}]`, 1e-6);
      });
      if (d instanceof T.Categorical) assert.ok(!v.some((k, i) => i % 2 === 1 && k === 1));
      if (d instanceof T.Poisson || d instanceof T.Categorical) {
        assert.ok(v.every((k) => Number.isInteger(k) && k >= 0));
      }
      x.dispose();
      d.dispose();
    });
  }
});

Deno.test("entropy() agrees with −E[log p(X)] by Monte Carlo", async (t) => {
  const n = 10000;
  for (const [name, make] of Object.entries(FAMILIES)) {
    await t.step(name, () => {
      const { d } = make();
      const lp = tf.tidy(() => tf.neg(d.logProb(d.sample(n, 5))));
      const h = read(d.entropy());
      moments(read(lp), n).forEach((mo, j) =>
        assertWithinSE(mo.mean, h[j]!, 4.5, `${name} entropy[${j}]`)
      );
      d.dispose();
    });
  }
});

Deno.test("closed-form KLs agree with klMonteCarlo", async (t) => {
  const pairs: Record<string, () => [T.TensorDistribution, T.TensorDistribution]> = {
    "Gamma‖Gamma": () => [new T.Gamma(2, 1), new T.Gamma(3, 2)],
    "Exponential‖Gamma": () => [new T.Exponential(1.5), new T.Gamma(2, 1)],
    "Beta‖Beta": () => [new T.Beta(2, 3), new T.Beta(1.5, 1)],
    "Dirichlet‖Dirichlet": () => [new T.Dirichlet([1, 2, 3]), new T.Dirichlet([2, 2, 2])],
    "Categorical‖Categorical": () => [
      new T.Categorical({ probs: [0.2, 0, 0.8] }),
      new T.Categorical({ logits: [0, 1, 2] }),
    ],
    "Laplace‖Laplace": () => [new T.Laplace(0, 1), new T.Laplace(0.5, 2)],
    "Uniform‖Uniform": () => [new T.Uniform(0, 1), new T.Uniform(-1, 2)],
    "Poisson‖Poisson": () => [new T.Poisson(3), new T.Poisson(5)],
  };
  for (const [name, make] of Object.entries(pairs)) {
    await t.step(name, () => {
      const [p, q] = make();
      const exact = read(T.klDivergence(p, q))[0]!;
      const mc = T.klMonteCarlo(p, q, { samples: 20000, seed: 3 });
      const est = { value: read(mc.value)[0]!, standardError: read(mc.standardError)[0]! };
      assertWithinSE(est, exact, 4.5, name, 1e-6);
      p.dispose();
      q.dispose();
    });
  }
  await t.step("Exponential(λ)‖Gamma is Gamma(1, λ)‖Gamma; Uniform outside is +∞", () => {
    const e = new T.Exponential([0.5, 2]), g1 = new T.Gamma(1, [0.5, 2]), q = new T.Gamma(3, 1);
    const a = read(T.klExponentialGamma(e, q)), b = read(T.klGamma(g1, q));
    a.forEach((v, i) => assertClose(v, b[i]!, { abs: 1e-6, rel: 1e-6 }));
    const u = new T.Uniform(0, [1, 3]), w = new T.Uniform(-1, 2);
    assert.deepEqual(read(T.klUniform(u, w)).map((v) => v === Infinity), [false, true]);
    [e, g1, q, u, w].forEach((d) => d.dispose());
  });
  await t.step("mismatched categories or event sizes are TypeErrors", () => {
    const c2 = new T.Categorical({ logits: [0, 1] }), c3 = new T.Categorical({ logits: [0, 1, 2] });
    assert.throws(() => T.klDivergence(c2, c3), /differ in the number of categories/);
    const d2 = new T.Dirichlet([1, 2]), d3 = new T.Dirichlet([1, 2, 3]);
    assert.throws(() => T.klDivergence(d2, d3), TypeError);
    [c2, c3, d2, d3].forEach((d) => d.dispose());
  });
});

Deno.test("gradients in the parameters are finite, and right where checked", async (t) => {
  await t.step("through logProb, entropy and KL of every family", () => {
    const theta = [0.7, 1.3, 2.5].map((v) => tf.scalar(v));
    // Each build uses the first k parameters, all of them; q scales them by
    // 0.9, 1.1, 1.1, so that U(0.63, 2.75) holds U(0.7, 2.5) and the KL is finite.
    const builds: Record<string, [number, (th: tf.Tensor[]) => [T.TensorDistribution, Points]]> = {
      Gamma: [2, ([a, b]) => [new T.Gamma(a!, b!), [0.5, 3]]],
      Beta: [2, ([a, b]) => [new T.Beta(a!, b!), [0.2, 0.9]]],
      Laplace: [2, ([m, s]) => [new T.Laplace(m!, s!), [0.7, -1]]],
      StudentT: [3, ([m, s, nu]) => [new T.StudentT(nu!, m!, s!), [0.5, 4]]],
      Uniform: [3, ([lo, mid, hi]) => [new T.Uniform(lo!, tf.add(hi!, tf.mul(0, mid!))), [1, 2]]],
      Categorical: [3, ([a, b, c]) => [
        new T.Categorical({ logits: tf.stack([a!, b!, c!]) }),
        [0, 2],
      ]],
      Dirichlet: [3, ([a, b, c]) => [new T.Dirichlet(tf.stack([a!, b!, c!])), [[0.2, 0.3, 0.5]]]],
      Poisson: [1, ([l]) => [new T.Poisson(l!), [0, 1, 4]]],
    };
    for (const [name, [k, build]] of Object.entries(builds)) {
      const grads = tf.grads((...th: tf.Tensor[]) => {
        const [d, x] = build(th), [e] = build(th.map((v, i) => tf.mul(v, i === 0 ? 0.9 : 1.1)));
        const f = tf.addN([
          tf.sum(d.logProb(x)),
          tf.sum(d.entropy()),
          // (StudentT has no closed-form KL, in either layer.)
          d instanceof T.StudentT ? tf.scalar(0) : tf.sum(T.klDivergence(d, e)),
        ]);
        d.dispose();
        e.dispose();
        return f;
      })(theta.slice(0, k));
      grads.forEach((g, i) => assert.ok(read(g).every(Number.isFinite), `${name} θ${i}`));
    }
    tf.dispose(theta);
  });
  await t.step("no gradient flows through draws that are not reparameterized", () => {
    // ∇θ Σ log q(x; θ) with x ~ q(θ) drawn inside the tape (a score-function
    // objective) equals the same gradient with the draws held fixed.
    const builds: Record<string, (th: tf.Tensor) => T.TensorDistribution> = {
      Gamma: (th) => new T.Gamma(th, tf.add(th, 1)),
      Beta: (th) => new T.Beta(th, 2),
      Dirichlet: (th) => new T.Dirichlet(tf.stack([th, tf.add(th, 1)], -1)),
      Poisson: (th) => new T.Poisson(tf.mul(th, 8)),
      Categorical: (th) => new T.Categorical({ logits: tf.stack([th, tf.neg(th)], -1) }),
    };
    const theta = tf.tensor1d([0.6, 1.7]);
    for (const [name, build] of Object.entries(builds)) {
      const score = (x?: tf.Tensor) =>
        tf.grad((th: tf.Tensor) => {
          const d = build(th), lp = tf.sum(d.logProb(x ?? d.sample(50, 9)));
          d.dispose();
          return lp;
        })(theta);
      const fixed = tf.tidy(() => {
        const d = build(theta), x = d.sample(50, 9);
        d.dispose();
        return x;
      });
      const a = read(score()), b = read(score(fixed));
      a.forEach((v, i) => assertClose(v, b[i]!, { abs: 1e-4, rel: 1e-5 }, name));
      fixed.dispose();
    }
    theta.dispose();
  });
  await t.step("dH/dα of Gamma = 1 + (1 − α) ψ′(α), ψ′(2.5) from scipy", () => {
    const g = tf.grad((a: tf.Tensor) => {
      const d = new T.Gamma(a, 3), h = d.entropy();
      d.dispose();
      return h;
    })(tf.scalar(2.5));
    assertClose(read(g)[0]!, 1 - 1.5 * 0.4903577561002349, { rel: 1e-5 });
  });
  await t.step("∂KL/∂α₀ of Gamma‖Gamma = a central difference of the core's", () => {
    const g = tf.grad((a: tf.Tensor) => {
      const p = new T.Gamma(a, 1.5), q = new T.Gamma(4, 0.5), kl = T.klDivergence(p, q);
      p.dispose();
      q.dispose();
      return kl;
    })(tf.scalar(2));
    const h = 1e-5, kl = (a: number) => klGamma64(new core.Gamma(a, 1.5), new core.Gamma(4, 0.5));
    assertClose(read(g)[0]!, (kl(2 + h) - kl(2 - h)) / (2 * h), { rel: 1e-4 });
  });
});

type Points = number[] | number[][];

Deno.test("shapes broadcast like the other tensor distributions", () => {
  const g = new T.Gamma([[1], [2]], [1, 2, 3]);
  assert.deepEqual(g.batchShape, [2, 3]);
  const lp = g.logProb(tf.ones([4, 1, 3]));
  assert.deepEqual(lp.shape, [4, 2, 3]);
  assert.deepEqual(g.entropy().shape, [2, 3]);
  const d = new T.Dirichlet(tf.ones([2, 4]));
  assert.deepEqual([d.batchShape, d.eventShape], [[2], [4]]);
  assert.deepEqual(d.logProb(tf.fill([5, 1, 4], 0.25)).shape, [5, 2]);
  assert.deepEqual(d.covariance().shape, [2, 4, 4]);
  const c = new T.Categorical({ logits: tf.zeros([3, 5]) });
  assert.deepEqual([c.batchShape, c.eventShape, c.numCategories], [[3], [], 5]);
  assert.deepEqual(c.logProb(tf.zeros([7, 3])).shape, [7, 3]);
  assert.throws(() => d.logProb([0.5, 0.5]), TypeError);
  tf.dispose([lp]);
  [g, d, c].forEach((v) => v.dispose());
});

Deno.test("edge points and values follow the core", () => {
  const at = (d: T.TensorDistribution, x: number[]) => {
    const v = read(d.logProb(x));
    d.dispose();
    return v;
  };
  // Gamma at 0: +∞ (α < 1), log β (α = 1), −∞ (α > 1); −∞ below 0 and at +∞.
  assert.deepEqual(at(new T.Gamma([0.5, 1, 2], 2), [0, 0, 0]), [
    Infinity,
    Math.fround(Math.log(2)),
    -Infinity,
  ]);
  assert.deepEqual(at(new T.Gamma(2, 2), [-1, Infinity]), [-Infinity, -Infinity]);
  const beta = at(new T.Beta([0.5, 1, 2], 3), [0, 0, 0]);
  assert.deepEqual([beta[0], beta[2]], [Infinity, -Infinity]);
  assertClose(beta[1]!, Math.log(3), { rel: 1e-6 }); // −log B(1, 3) = log 3
  assert.deepEqual(at(new T.Beta(2, 2), [-0.1, 1.1]), [-Infinity, -Infinity]);
  assert.deepEqual(at(new T.Poisson(2), [-1, 1.5, Infinity]), [-Infinity, -Infinity, -Infinity]);
  assert.deepEqual(at(new T.Categorical({ logits: [0, 0] }), [-1, 2, 0.5]), [
    -Infinity,
    -Infinity,
    -Infinity,
  ]);
  // Dirichlet on a face: −∞ where some αᵢ > 1 is at 0 (even beside an αᵢ < 1
  // there), +∞ where only αᵢ < 1 are, and the face's density where only αᵢ = 1 are.
  const d = new T.Dirichlet([[0.5, 2, 1], [0.5, 1, 1]]);
  const faces = [[[0, 0, 1], [0, 0.5, 0.5]], [[0.5, 0.5, 0], [0.5, 0, 0.5]]];
  faces.forEach((pts) => {
    const got = read(d.logProb(tf.tensor2d(pts)));
    const want = pts.map((x, i) => new core.Dirichlet([[0.5, 2, 1], [0.5, 1, 1]][i]!).logProb(x));
    got.forEach((v, i) => assertClose(v, want[i]!, { rel: 1e-6 }, `x = ${pts[i]}`));
  });
  assert.deepEqual(read(d.logProb(tf.tensor2d([[0, 0, 1], [0, 0.5, 0.5]]))), [-Infinity, Infinity]);
  assert.deepEqual(read(d.logProb(tf.tensor1d([1.5, -0.5, 0]))), [-Infinity, -Infinity]);
  d.dispose();
  const s = new T.StudentT([1.5, 3], 0, 2);
  assert.deepEqual(read(s.variance()), [Infinity, 12]);
  s.dispose();
});

Deno.test("bad parameters and arguments get clear errors", () => {
  const throws = (f: () => unknown, type: typeof TypeError | typeof RangeError, re: RegExp) =>
    assert.throws(f, (e: Error) => e instanceof type && re.test(e.message), String(re));
  throws(
    () => new T.Gamma(-1, 1),
    RangeError,
    /^Cannot construct Gamma as concentration must be > 0/,
  );
  throws(
    () => new T.Gamma([1, 2], [1, 2, 3]),
    TypeError,
    /concentration and rate must have broadcastable/,
  );
  throws(() => new T.Beta(1, 0), RangeError, /Cannot construct Beta as beta must be > 0/);
  throws(() => new T.Laplace(0, 0), RangeError, /Cannot construct Laplace as scale must be > 0/);
  throws(() => new T.StudentT(0, 0, 1), RangeError, /Cannot construct StudentT as df must be > 0/);
  throws(() => new T.StudentT(1, NaN, 1), RangeError, /as loc must be finite/);
  throws(
    () => new T.Uniform(1, 1),
    RangeError,
    /Cannot construct Uniform as high must be > low \(1\)/,
  );
  throws(() => new T.Uniform([0, 1], [1, 0.5]), RangeError, /high\[1\] must be > low\[1\]/);
  throws(() => new T.Poisson(0), RangeError, /Cannot construct Poisson as rate must be > 0/);
  throws(() => new T.Dirichlet([1]), TypeError, /at least 2 entries/);
  throws(() => new T.Dirichlet(2), TypeError, /at least 2 entries/);
  // deno-lint-ignore no-explicit-any
  throws(() => new T.Categorical({} as any), TypeError, /exactly one of logits or probs/);
  // deno-lint-ignore no-explicit-any
  throws(() => new T.Categorical({ logits: [1], probs: [1] } as any), TypeError, /exactly one/);
  throws(() => new T.Categorical({ probs: [0.5, 0.6] }), RangeError, /must sum to 1/);
  throws(() => new T.Categorical({ probs: [1.5, -0.5] }), RangeError, /must be in \[0, 1\]/);
  throws(() => new T.Categorical({ logits: 3 }), TypeError, /category axis/);
  const d = new T.Dirichlet([1, 1]);
  throws(
    () => d.logProb([0.5, 0.6]),
    RangeError,
    /Cannot compute Dirichlet.logProb as x must sum to 1/,
  );
  throws(() => d.logProb([1.5, -0.5]), RangeError, /x\[0\] must be in \[0, 1\]/);
  throws(() => d.sample(0, 1), RangeError, /Dirichlet.sample as n must be an integer ≥ 1/);
  throws(() => d.sample(1, 0.5), RangeError, /seed must be a safe integer/);
  d.dispose();
  const c = new T.StudentT([3, 1], 0, 1);
  throws(() => c.mean(), RangeError, /Cannot compute StudentT.mean as df must be > 1/);
  throws(() => c.variance(), RangeError, /StudentT.variance as df must be > 1/);
  c.dispose();
  // A tensor ν stays on the device: the moments are NaN where they do not exist.
  const nu = tf.tensor1d([3, 1]), ct = new T.StudentT(nu, 0, 1);
  assert.deepEqual(read(ct.mean()).map(Number.isNaN), [false, true]);
  assert.deepEqual(read(ct.variance()).map(Number.isNaN), [false, true]);
  ct.dispose();
  nu.dispose();
});

Deno.test("every method frees what it makes, and dispose() what the distribution made", () => {
  const before = tf.memory().numTensors;
  for (const make of Object.values(FAMILIES)) {
    const { d, x } = make();
    for (const t of [d.logProb(x), d.entropy(), d.mean(), d.variance(), d.sample(3, 1)]) {
      t.dispose();
    }
    if (d instanceof T.Dirichlet) d.covariance().dispose();
    d.dispose();
  }
  // Caller's tensors stay the caller's.
  const a = tf.tensor1d([1, 2]), g = new T.Gamma(a, 1);
  g.dispose();
  assert.equal(a.isDisposed, false);
  a.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("reparameterized says which draws carry gradients", () => {
  const flags = Object.fromEntries(
    Object.entries(FAMILIES).map(([name, make]) => {
      const { d } = make();
      d.dispose();
      return [name, d.reparameterized];
    }),
  );
  assert.deepEqual(flags, {
    Gamma: false,
    Beta: false,
    Laplace: true,
    StudentT: true,
    Uniform: true,
    Categorical: false,
    Dirichlet: false,
    Poisson: false,
  });
});
