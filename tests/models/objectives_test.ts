import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { DiagNormal, Normal, useBackend } from "../../tensor.ts";
import {
  DiagNormal as DiagNormal64,
  klStandardNormal,
  logSumExp,
  Normal as Normal64,
} from "../../mod.ts";
import {
  betaLoss,
  capacityAt,
  capacityLoss,
  dualAscent,
  type Fit,
  iwaeLoss,
  kl,
  klPerLatent,
  lagrangian,
  logWeights,
  loss,
  negativeElbo,
  reconstruction,
  schedule,
} from "../../lib/models/objectives.ts";
import { fc } from "../_fc.ts";
import { assertClose, FLOAT32 } from "../_tolerance.ts";

await useBackend("cpu");

const value = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

/** A batch of n posteriors over K latents, k draws from them, and a log-likelihood per draw. */
const batch = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  K: fc.integer({ min: 1, max: 4 }),
  k: fc.integer({ min: 1, max: 4 }),
}).chain(({ n, K, k }) => {
  const v = (lo: number, hi: number, len: number) =>
    fc.array(fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true }), {
      minLength: len,
      maxLength: len,
    });
  return fc.record({
    n: fc.constant(n),
    K: fc.constant(K),
    k: fc.constant(k),
    loc: v(-3, 3, n * K),
    logScale: v(-2, 1, n * K),
    z: v(-4, 4, k * n * K),
    logLikelihood: v(-600, -50, k * n),
  });
});

type Batch = typeof batch extends fc.Arbitrary<infer B> ? B : never;

/** The batch's tensors (made in the caller's tidy) and its float64 twins. */
function fitOf(b: Batch): { f: Fit; q64: DiagNormal64[] } {
  const q = DiagNormal.fromLogScale(
    tf.tensor2d(b.loc, [b.n, b.K]),
    tf.tensor2d(b.logScale, [b.n, b.K]),
  );
  const f: Fit = {
    q,
    prior: new Normal(0, 1),
    z: tf.tensor3d(b.z, [b.k, b.n, b.K]),
    logLikelihood: tf.tensor2d(b.logLikelihood, [b.k, b.n]),
  };
  const q64 = Array.from({ length: b.n }, (_, i) =>
    new DiagNormal64(
      b.loc.slice(i * b.K, (i + 1) * b.K),
      b.logScale.slice(i * b.K, (i + 1) * b.K).map((s) => Math.exp(Math.fround(s))),
    ));
  return { f, q64 };
}

/** The float64 log-weights log p(x|zᵢ) + log p(zᵢ) − log q(zᵢ|x), [k][n]. */
function logWeights64(b: Batch, q64: DiagNormal64[]): number[][] {
  const prior = new Normal64(0, 1);
  return Array.from({ length: b.k }, (_, i) =>
    q64.map((q, j) => {
      const z = b.z.slice((i * b.n + j) * b.K, (i * b.n + j + 1) * b.K);
      const logPz = z.reduce((s, v) => s + prior.logProb(v), 0);
      return b.logLikelihood[i * b.n + j]! + logPz - q.logProb(z);
    }));
}

Deno.test("the pieces of every objective", async (t) => {
  await t.step("R is minus the mean log-likelihood; the KLs are the float64 closed forms", () => {
    fc.assert(
      fc.property(batch, (b) => {
        tf.tidy(() => {
          const { f, q64 } = fitOf(b);
          const ll = b.logLikelihood.reduce((a, v) => a + v, 0) / (b.k * b.n);
          assertClose(value(reconstruction(f))[0]!, -ll, FLOAT32);
          const perLatent = value(klPerLatent(f.q as DiagNormal, f.prior));
          q64.forEach((q, i) => {
            const sum = perLatent.slice(i * b.K, (i + 1) * b.K).reduce((a, v) => a + v, 0);
            assertClose(sum, klStandardNormal(q), FLOAT32);
          });
          const mean = q64.reduce((a, q) => a + klStandardNormal(q), 0) / b.n;
          assertClose(value(kl(f, "analytic"))[0]!, mean, FLOAT32);
        });
      }),
      { numRuns: 40 },
    );
  });
  await t.step(
    "log wᵢ = log p(x|zᵢ) + log p(zᵢ) − log q(zᵢ|x); the IWAE loss is −log-mean-exp",
    () => {
      fc.assert(
        fc.property(batch, (b) => {
          tf.tidy(() => {
            const { f, q64 } = fitOf(b);
            const want = logWeights64(b, q64);
            const got = value(logWeights(f));
            want.flat().forEach((w, i) => assertClose(got[i]!, w, { abs: 1e-3, rel: 1e-5 }));
            const iwae = q64.map((_, j) => logSumExp(want.map((r) => r[j]!)) - Math.log(b.k));
            assertClose(
              value(iwaeLoss(f))[0]!,
              -iwae.reduce((a, v) => a + v, 0) / b.n,
              { abs: 1e-3, rel: 1e-5 },
            );
            // The Monte Carlo KL is the mean of log q(z|x) − log p(z) at the draws.
            const mc = want.flat().reduce((a, w, i) => a + b.logLikelihood[i]! - w, 0) /
              (b.k * b.n);
            assertClose(value(kl(f, "monteCarlo"))[0]!, mc, { abs: 1e-3, rel: 1e-5 });
          });
        }),
        { numRuns: 40 },
      );
    },
  );
  await t.step("the analytic KL is accurate, not 0, for σ² near 1, and so is its gradient", () => {
    // ½ (eᵗ − 1 − t) at t = log σ² (float32), from mpmath: see tests/tensor/stable_test.ts.
    const cases: [number, number][] = [
      [9.99999993922529e-09, 2.4999999779459784e-17],
      [-9.999999747378752e-06, 2.4999915403775089e-11],
      [0.009999999776482582, 2.5083540960835086e-5],
      [5.0, 71.206579551288302],
    ];
    for (const [lv, want] of cases) {
      const got = tf.tidy(() => {
        const q = DiagNormal.fromLogScale(tf.zeros([1, 1]), tf.fill([1, 1], lv / 2));
        return value(klPerLatent(q, new Normal(0, 1)))[0]!;
      });
      assertClose(got, want, { rel: 2e-6 }, `log σ² = ${lv}`);
    }
    const lvs = [-100, -1e-6, 0, 1e-6, 3, 80];
    const g = tf.tidy(() =>
      value(
        tf.grad((lv: tf.Tensor) =>
          tf.sum(klPerLatent(
            DiagNormal.fromLogScale(tf.zeros([1, 6]), tf.mul(0.5, lv)),
            new Normal(0, 1),
          ))
        )(tf.tensor2d([lvs])),
      )
    );
    lvs.forEach((lv, i) =>
      assertClose(g[i]!, 0.5 * Math.expm1(Math.fround(lv)), { rel: 1e-5 }, `log σ² = ${lv}`)
    );
  });
});

Deno.test("the objectives and their schedule", async (t) => {
  const r = () => tf.scalar(100), k = () => tf.scalar(8);
  await t.step("each loss is its formula", () => {
    tf.tidy(() => {
      assert.equal(value(negativeElbo(r(), k()))[0], 108); // R + KL
      assert.equal(value(betaLoss(r(), k(), 4))[0], 132); // R + β KL
      assert.equal(value(capacityLoss(r(), k(), 10, 5))[0], 130); // R + γ |KL − C|
      assert.equal(value(capacityLoss(r(), k(), 10, 11))[0], 130);
      assert.equal(value(lagrangian(r(), k(), 2, 5))[0], 106); // R + β (KL − δ)
    });
  });
  await t.step("loss() picks the objective's formula with the step's weights", () => {
    tf.tidy(() => {
      const f = {} as Fit;
      const terms = { reconstruction: r(), kl: k() };
      const at = (ob: Parameters<typeof loss>[0], beta = 1, step = 0) =>
        value(loss(ob, f, terms, schedule(ob, step, beta)))[0];
      assert.equal(at({ kind: "elbo" }), 108);
      assert.equal(at({ kind: "beta", beta: 4 }, 4), 132);
      assert.equal(at({ kind: "capacity", gamma: 10, maxCapacity: 20, annealSteps: 4 }, 1, 1), 130);
      assert.equal(at({ kind: "constrained", budget: 5 }, 2), 106);
    });
  });
  await t.step("C(t) = C_max min(1, t/T); the weights each objective reports", () => {
    const cap = { kind: "capacity" as const, gamma: 10, maxCapacity: 20, annealSteps: 4 };
    assert.deepEqual([0, 1, 2, 4, 9].map((s) => capacityAt(cap, s)), [0, 5, 10, 20, 20]);
    assert.deepEqual(schedule({ kind: "elbo" }, 3, 1), { beta: 1 });
    assert.deepEqual(schedule({ kind: "beta", beta: 4 }, 3, 4), { beta: 4 });
    assert.deepEqual(schedule(cap, 2, 1), { beta: 10, capacity: 10 });
    assert.deepEqual(schedule({ kind: "constrained", budget: 5 }, 3, 0.7), { beta: 0.7 });
    assert.deepEqual(schedule({ kind: "iwae", k: 5 }, 3, 1), {});
  });
  await t.step(
    "dual ascent: β ← max(0, β + η (KL − δ)), only for the constrained objective",
    () => {
      const con = { kind: "constrained" as const, budget: 5, dualStepSize: 0.1 };
      assertClose(dualAscent(con, 1, 8), 1.3, { abs: 1e-15 });
      assert.equal(dualAscent(con, 0.1, 0), 0);
      assertClose(dualAscent({ kind: "constrained", budget: 5 }, 1, 6), 1.01, { abs: 1e-15 });
      assert.equal(dualAscent({ kind: "beta", beta: 4 }, 4, 100), 4);
    },
  );
});
