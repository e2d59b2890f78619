// Black-box VI on tensors: fitSurrogatePosterior with each estimator against a
// posterior known in closed form, the tensor elbo and importanceWeightedBound
// against the exact log evidence, and the refusals and failure modes.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  elbo,
  fitSurrogatePosterior,
  fullRankSurrogate,
  importanceWeightedBound,
  meanFieldSurrogate,
  NonFiniteError,
  Normal,
  SURROGATE_ESTIMATORS,
  TrainableSurrogate,
  useBackend,
} from "../../tensor.ts";
import { assertClose, assertWithinSE } from "../_tolerance.ts";

await useBackend("cpu");

// A linear-Gaussian model with a correlated posterior: z ~ N(0, I₂),
// y | z ~ N(A z, σ² I₂). Posterior precision Λ = I + AᵀA/σ², mean Λ⁻¹Aᵀy/σ²;
// evidence y ~ N(0, AAᵀ + σ² I).
const A = [[1, 0.8], [0.3, 1.2]], y = [1.5, -0.5], s2 = 0.5;
const At = [[A[0]![0]!, A[1]![0]!], [A[0]![1]!, A[1]![1]!]];
const inv2 = (m: number[][]) => {
  const det = m[0]![0]! * m[1]![1]! - m[0]![1]! * m[1]![0]!;
  return { det, inv: [[m[1]![1]! / det, -m[0]![1]! / det], [-m[1]![0]! / det, m[0]![0]! / det]] };
};
const mul = (a: number[][], b: number[][]) =>
  a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const AtA = mul(At, A);
const precision = AtA.map((r, i) => r.map((v, j) => v / s2 + (i === j ? 1 : 0)));
const { inv: cov } = inv2(precision);
const postMean = mul(cov, mul(At, y.map((v) => [v / s2]))).map((r) => r[0]!);
const marg = mul(A, At).map((r, i) => r.map((v, j) => v + (i === j ? s2 : 0)));
const { det: margDet, inv: margInv } = inv2(marg);
const quad = y.reduce(
  (s, yi, i) => s + yi * y.reduce((t, yj, j) => t + margInv[i]![j]! * yj, 0),
  0,
);
const logEvidence = -Math.log(2 * Math.PI) - 0.5 * Math.log(margDet) - 0.5 * quad;

const prior = new Normal(0, 1);
const target = (z: tf.Tensor) =>
  tf.tidy(() => {
    const mean = tf.matMul(z, tf.tensor2d(At));
    const lik = new Normal(mean, Math.sqrt(s2)).logProb(tf.tensor1d(y));
    return tf.add(tf.sum(prior.logProb(z), 1), tf.sum(lik, 1));
  });

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

/** Mean and covariance of a surrogate from many draws. */
function moments(q: TrainableSurrogate, n = 20000) {
  const z = q.sample(n, 99);
  const v = read(z);
  const m = [0, 1].map((j) => v.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) / n);
  const c = [0, 1].map((a) =>
    [0, 1].map((b) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (v[2 * i + a]! - m[a]!) * (v[2 * i + b]! - m[b]!);
      return s / (n - 1);
    })
  );
  return { m, c };
}

Deno.test("fitSurrogatePosterior recovers a posterior known in closed form", async (t) => {
  for (const estimator of SURROGATE_ESTIMATORS) {
    await t.step(`full rank, estimator "${estimator}": mean and covariance`, async () => {
      const before = tf.memory().numTensors;
      const lowVariance = estimator === "stl" || estimator === "dreg";
      const q = fullRankSurrogate(2, { seed: 3 });
      const counts: number[] = [];
      const { losses, surrogate } = await fitSurrogatePosterior(target, q, {
        // STL and DReG have (nearly) zero variance at the posterior; the
        // plain ELBO and IWAE gradients do not, and Adam turns that noise
        // into steps of about the learning rate, so they take a smaller one.
        ...(lowVariance ? { steps: 600, learningRate: 0.05 } : { steps: 2000, learningRate: 0.01 }),
        // (VIMCO, a score-function estimator, draws 12 bounds of k = 5: its cost is per draw.)
        samples: lowVariance ? 4 : estimator === "vimco" ? 12 : 32,
        seed: 7,
        estimator,
        k: estimator === "iwae" || estimator === "dreg" ? 4 : estimator === "vimco" ? 5 : undefined,
        onStep: () => void counts.push(tf.memory().numTensors),
      });
      assert.equal(surrogate, q);
      assert.equal(losses.length, lowVariance ? 600 : 2000);
      // No tensor is left behind by a step.
      assert.equal(new Set(counts).size, 1, `tensor counts over steps: ${[...new Set(counts)]}`);
      const { m, c } = moments(q);
      // IWAE's gradient in q's parameters has the lowest signal-to-noise
      // ratio of the four (Rainforth et al. 2018): its last iterate wanders most.
      const tol = estimator === "iwae" ? 0.12 : 0.06;
      m.forEach((v, i) => assertClose(v, postMean[i]!, { abs: tol }, `mean[${i}]`));
      c.flat().forEach((v, i) => assertClose(v, cov.flat()[i]!, { abs: tol }, `cov[${i}]`));
      // The fitted q is (nearly) the posterior: its ELBO is (nearly) log p(y).
      const e = await elbo(target, q, { samples: 4000, seed: 1 });
      assert.ok(e.value < logEvidence + 4 * e.standardError, "ELBO ≤ log p(y)");
      assert.ok(e.value > logEvidence - 0.05, `ELBO ${e.value} vs log p(y) ${logEvidence}`);
      q.dispose();
      assert.equal(tf.memory().numTensors, before);
    });
  }
  await t.step("mean field: the exact mean, and variances 1/Λᵢᵢ (the I-projection)", async () => {
    const q = meanFieldSurrogate(2, { seed: 1 });
    await fitSurrogatePosterior(target, q, { steps: 800, samples: 8, estimator: "stl" });
    const mean = read(q.mean()), variance = read(q.variance());
    mean.forEach((v, i) => assertClose(v, postMean[i]!, { abs: 0.05 }, `mean[${i}]`));
    variance.forEach((v, i) => assertClose(v, 1 / precision[i]![i]!, { rel: 0.1 }, `var[${i}]`));
    // Mean field cannot be the posterior: its ELBO falls short by the KL.
    const e = await elbo(target, q, { samples: 4000, seed: 2 });
    assert.ok(e.value < logEvidence - 0.05);
    q.dispose();
  });
});

Deno.test("tensor elbo and importanceWeightedBound against the exact log evidence", async (t) => {
  const exact = new (await import("../../tensor.ts")).MultivariateNormal(postMean, [
    [Math.sqrt(cov[0]![0]!), 0],
    [
      cov[1]![0]! / Math.sqrt(cov[0]![0]!),
      Math.sqrt(cov[1]![1]! - cov[1]![0]! ** 2 / cov[0]![0]!),
    ],
  ]);
  await t.step("the exact posterior's ELBO is log p(y), with zero spread", async () => {
    const e = await elbo(target, exact, { samples: 500 });
    assertClose(e.value, logEvidence, { abs: 2e-5 });
    assert.ok(e.standardError < 1e-5);
  });
  await t.step("with a poor q, L₁ < L₁₀ < L₁₀₀ ≤ log p(y)", async () => {
    const poor = new Normal(tf.tensor1d([0, 0]), 1);
    // Normal with a batch of 2 is not one distribution over z: refused.
    await assert.rejects(() => elbo(target, poor), /surrogate must have no batch/);
    poor.dispose();
    const wide = new (await import("../../tensor.ts")).DiagNormal([0, 0], [1.5, 1.5]);
    const b = [];
    for (const k of [1, 10, 100]) {
      b.push(await importanceWeightedBound(target, wide, { k, samples: 400, seed: k }));
    }
    assert.ok(b[0]!.value < b[1]!.value && b[1]!.value < b[2]!.value, JSON.stringify(b));
    assertWithinSE(b[2]!, logEvidence, 4, "L₁₀₀ near log p(y)");
    assert.ok(b[2]!.value < logEvidence + 4 * b[2]!.standardError);
    // L₁ is the ELBO: the same draws give the same number.
    assert.deepEqual(await elbo(target, wide, { samples: 400, seed: 1 }), b[0]);
    wide.dispose();
  });
  exact.dispose();
});

Deno.test("fitSurrogatePosterior refuses what it cannot do, and stops on non-finite values", async (t) => {
  await t.step("STL with k > 1, k with the plain ELBO, unknown options", async () => {
    const q = meanFieldSurrogate(2);
    await assert.rejects(
      () => fitSurrogatePosterior(target, q, { estimator: "stl", k: 5 }),
      (e: Error) => e instanceof TypeError && /single-sample ELBO/.test(e.message),
    );
    await assert.rejects(
      () => fitSurrogatePosterior(target, q, { estimator: "elbo", k: 5 }),
      /k applies only to estimators "iwae", "dreg", "renyi", "vimco"/,
    );
    await assert.rejects(
      () => fitSurrogatePosterior(target, q, { step: 5 } as never),
      /Cannot run fitSurrogatePosterior as options\.step is not an option \(choose from steps, learningRate, samples, seed, estimator, k, alpha, onStep\): current value is 5/,
    );
    await assert.rejects(
      () => fitSurrogatePosterior(target, q, { estimator: "reinforce" as never }),
      /estimator must be one of "elbo", "stl", "iwae", "dreg"/,
    );
    await assert.rejects(
      () => fitSurrogatePosterior(target, q, { learningRate: -1 }),
      /learningRate/,
    );
    await assert.rejects(
      () => fitSurrogatePosterior(target, new Normal(0, 1) as never),
      /must be a TrainableSurrogate/,
    );
    q.dispose();
  });
  await t.step("a target of the wrong shape is named", async () => {
    const q = meanFieldSurrogate(2);
    await assert.rejects(
      () => fitSurrogatePosterior((z) => prior.logProb(z), q, { steps: 1 }),
      /targetLogProb must return shape \[1\] for z of shape \[1,2\].*shape \[1,2\]/,
    );
    q.dispose();
  });
  await t.step("a NaN at step 5: NonFiniteError, parameters of step 4 kept", async () => {
    const q = meanFieldSurrogate(2, { seed: 2 });
    let calls = 0, afterFour: number[][] = [];
    const flaky = (z: tf.Tensor) => {
      calls++;
      return calls === 5 ? tf.tidy(() => tf.mul(target(z), NaN)) : target(z);
    };
    await assert.rejects(
      () =>
        fitSurrogatePosterior(flaky, q, {
          steps: 10,
          onStep: ({ step }) => {
            if (step === 4) afterFour = q.trainableVariables.map((v) => Array.from(v.dataSync()));
          },
        }),
      (e: Error) =>
        // The target returned the NaN, so the error names it, not "loss".
        e instanceof NonFiniteError && e.step === 5 && e.term === "targetLogProb" &&
        /Training step 5/.test(e.message),
    );
    assert.deepEqual(q.trainableVariables.map((v) => Array.from(v.dataSync())), afterFour);
    q.dispose();
  });
  await t.step("a surrogate that is not reparameterized gets only the score function", async () => {
    const q = new TrainableSurrogate([tf.variable(tf.scalar(0))], ([p]) => {
      const d = new Normal(p!, 1);
      Object.defineProperty(d, "reparameterized", { value: false });
      return d;
    });
    assert.equal(q.reparameterized, false);
    await assert.rejects(
      () => fitSurrogatePosterior((z) => tf.neg(tf.square(z)), q, { estimator: "dreg" }),
      /needs a reparameterized surrogate/,
    );
    // Score function with a baseline: maximise E[−(z − 2)²] − E[log q] over μ: μ → 2.
    const f = (z: tf.Tensor) => tf.tidy(() => tf.neg(tf.square(tf.sub(z, 2))));
    await fitSurrogatePosterior(f, q, { steps: 600, samples: 16, learningRate: 0.05 });
    assertClose(q.trainableVariables[0]!.dataSync()[0]!, 2, { abs: 0.2 });
    q.dispose();
  });
});
