// The tensor layer against its float64 twin on every backend (cpu, wasm,
// threaded wasm; webgl in tests/browser/): for every tensor class, logProb,
// entropy, mean and variance, and every registered KL, over ordinary
// parameters and the tails (df to 10⁷, concentrations 10⁻³ … 10³, logits
// ±30, near-identical KL pairs, points 10⁻¹⁰ from the edges of a support),
// each value within 16 float32 roundings of the exact answer's sensitivity
// to one rounding of its inputs (assertFloat32Close); and reparameterized
// Monte Carlo gradients against the analytic ones.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { fc } from "../_fc.ts";
import { assertWithinSE } from "../_tolerance.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";
import { checkFamily, checkKL, worstTable } from "./_conformance.ts";
import { FAMILIES, type FamilyCase } from "./_family_cases.ts";
import { KL_CASES, PINNED } from "./_kl_cases.ts";

await T.useBackend("cpu");

function read(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Runs `fn` and checks that it leaves no tensor behind. */
function noLeak(fn: () => void): void {
  const before = tf.memory().numTensors;
  fn();
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
}

/** A Student's t case: one member, one point. */
const studentT = (df: number, x: number): FamilyCase => ({
  members: [[df, 0, 1]],
  points: [[[x]]],
  tensor: (ms) => new T.StudentT(ms[0]![0]!, ms[0]![1]!, ms[0]![2]!),
  core: ([df, loc, scale]) => new core.StudentT(df!, loc!, scale!),
  eventShape: [],
});

/** Cases that lost their digits on wasm before the stable-math module. */
const PINNED_FAMILIES: Array<[string, FamilyCase]> = [
  ["StudentT", studentT(1e7, 1)],
  ["StudentT", studentT(1e5, 0.5)],
  ["StudentT", studentT(1e6, -3)],
  ["StudentT", studentT(3e4, 2)],
];

Deno.test(
  "tensor distributions agree with their float64 twins on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, async (t, backend) => {
      for (const [name, arb] of Object.entries(FAMILIES)) {
        await t.step(
          name,
          () =>
            noLeak(() =>
              fc.assert(fc.property(arb, (c) => checkFamily(name, c, backend)), { numRuns: 100 })
            ),
        );
      }
      await t.step(
        "StudentT at df 3·10⁴ … 10⁷ (log1p(z²/ν) and log1p(1/ν) on wasm)",
        () => noLeak(() => PINNED_FAMILIES.forEach(([name, c]) => checkFamily(name, c, backend))),
      );
    });
    await t.step("every exported tensor distribution has a case", () => {
      // TrainableSurrogate is not a family: it rebuilds one of these from
      // variables (tests/tensor/inference_test.ts).
      const classes = Object.entries(T).filter(([n, v]) =>
        typeof v === "function" && v.prototype && "logProb" in v.prototype &&
        n !== "TrainableSurrogate"
      ).map(([n]) => n);
      assert.deepEqual(classes.sort(), Object.keys(FAMILIES).sort());
    });
    console.log(worstTable());
  },
);

Deno.test(
  "tensor klDivergence() agrees with the core's for every pair, on every backend",
  THREADED,
  async (t) => {
    await t.step("every registered pair has a case, and the core registers it too", () => {
      const pairs = T.registeredKLPairs().map(([a, b]) => `${a}‖${b}`).sort();
      assert.deepEqual(pairs, Object.keys(KL_CASES).sort());
      const corePairs = new Set(core.registeredKLPairs().map(([a, b]) => `${a}‖${b}`));
      for (const p of pairs) assert.ok(corePairs.has(p), `the core has no ${p}`);
    });
    await onEveryBackend(t, async (t, backend) => {
      for (const [name, arb] of Object.entries(KL_CASES)) {
        await t.step(
          name,
          () =>
            noLeak(() =>
              fc.assert(fc.property(arb, (c) => checkKL(name, c, backend)), { numRuns: 100 })
            ),
        );
      }
      await t.step(
        "near-identical Gamma and Beta pairs and Bernoulli at logits −20, −19.9",
        () => noLeak(() => PINNED.forEach(([name, c]) => checkKL(name, c, backend))),
      );
    });
    await t.step("a pair with no closed form names the registered pairs and klMonteCarlo", () => {
      const m = new T.Mixture([1], [new T.Normal(0, 1)]), n = new T.Normal(0, 1);
      assert.throws(
        () => T.klDivergence(m, n),
        (e: Error) =>
          e instanceof TypeError && e.message.includes("Mixture, Normal") &&
          e.message.includes("Normal‖Normal") && e.message.includes("klMonteCarlo"),
      );
      const est = T.klMonteCarlo(m, n, { samples: 100, seed: 1 });
      // A one-component mixture is its component: every term is exactly 0.
      assert.deepEqual(read(est.value), [0]);
      tf.dispose(est.standardError);
      m.components.forEach((c) => c.dispose());
      m.dispose();
      n.dispose();
    });
    console.log(worstTable());
  },
);

/**
 * A batch of n copies of one distribution, one draw each: the gradient of
 * Σᵢ f(xᵢ)/n in the batched parameters holds the per-draw gradients, whose
 * mean is the Monte Carlo gradient and whose spread gives its standard error.
 */
Deno.test("reparameterized Monte Carlo gradients agree with the analytic ones", async (t) => {
  const n = 4000;
  const cases: Record<
    string,
    { params: number[]; build: (theta: tf.Tensor[]) => T.TensorDistribution }
  > = {
    Normal: { params: [0.7, 1.3], build: ([mu, s]) => new T.Normal(mu!, s!) },
    DiagNormal: {
      params: [-0.4, 0.8],
      build: ([mu, s]) =>
        new T.DiagNormal(tf.stack([mu!, tf.add(mu!, 1)], -1), tf.stack([s!, s!], -1)),
    },
    MultivariateNormal: {
      params: [0.3, 1.1],
      build: ([mu, s]) => {
        const z = tf.zerosLike(mu!);
        const L = tf.stack([tf.stack([s!, z], -1), tf.stack([tf.mul(0.5, s!), s!], -1)], -2);
        return new T.MultivariateNormal(tf.stack([mu!, tf.neg(mu!)], -1), L);
      },
    },
    Exponential: { params: [1.7], build: ([rate]) => new T.Exponential(rate!) },
    Laplace: { params: [0.7, 1.3], build: ([mu, b]) => new T.Laplace(mu!, b!) },
    Uniform: { params: [-0.5, 1.2], build: ([lo, hi]) => new T.Uniform(lo!, hi!) },
    StudentT: { params: [0.4, 0.9], build: ([mu, s]) => new T.StudentT(5, mu!, s!) },
  };
  for (const [name, { params, build }] of Object.entries(cases)) {
    await t.step(`${name}: ∇θ E[Σ x²] by draws = ∇θ Σ (mean² + variance)`, () => {
      const theta = params.map((v) => tf.fill([n], v));
      // f(x) = Σ x²: its expectation is Σ (mean² + variance), in closed form.
      const mc = tf.grads((...th: tf.Tensor[]) => {
        const d = build(th);
        const x = d.sample(1, 42);
        const f = tf.sum(tf.square(x));
        d.dispose();
        return f;
      })(theta);
      const exact = tf.grads((...th: tf.Tensor[]) => {
        const d = build(th);
        const e = tf.sum(tf.add(tf.square(d.mean()), d.variance()));
        d.dispose();
        return e;
      })(theta);
      mc.forEach((g, k) => {
        const per = read(g), want = read(exact[k]!);
        // The exact gradient is the same for every copy.
        const mean = per.reduce((a, v) => a + v, 0) / n;
        const sd = Math.sqrt(per.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
        assertWithinSE(
          { value: mean, standardError: sd / Math.sqrt(n) },
          want[0]!,
          4.5,
          `${name} θ${k}`,
        );
      });
      tf.dispose(theta);
    });
  }
  await t.step("non-reparameterized families say so", () => {
    const b = new T.Bernoulli({ logits: [0] }), m = new T.Mixture([1], [new T.Normal(0, 1)]);
    assert.equal(b.reparameterized, false);
    assert.equal(m.reparameterized, false);
    b.dispose();
    m.dispose();
  });
});
