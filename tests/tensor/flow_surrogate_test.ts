// flowSurrogate: normalizing flows bend where no Gaussian can. On the banana
// z₁ ~ N(0, 1.5²), z₂ | z₁ ~ N(z₁²/2 − 1, 0.5²) (normalized, so ELBO =
// −KL(q ‖ p)), a 4-layer IAF reaches ELBO ≥ −0.15 nats where the full-rank
// Gaussian stops near −0.61; every estimator fits a flow, and nothing leaks.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  elbo,
  fitSurrogatePosterior,
  flowSurrogate,
  fullRankSurrogate,
  renyiBound,
  Softplus,
  SURROGATE_ESTIMATORS,
  type TrainableSurrogate,
  useBackend,
} from "../../tensor.ts";
import { banana } from "../../examples/banana.ts";

/** The mean of `values` and its standard error. */
function meanSe(values: ArrayLike<number>): { value: number; se: number } {
  const w = Array.from(values), n = w.length, m = w.reduce((a, b) => a + b, 0) / n;
  const v = w.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
  return { value: m, se: Math.sqrt(v / n) };
}

/** ELBO(q) by 20,000 draws, with log q from the draws' own pass. */
function elboOf(q: TrainableSurrogate): { value: number; se: number } {
  return meanSe(tf.tidy(() => {
    const { sample, logProb } = q.sampleAndLogProb(20_000, 99);
    return tf.sub(banana(sample), logProb).dataSync();
  }));
}

Deno.test("on the banana a 4-layer IAF reaches ELBO ≥ −0.15 where full rank stops at −0.61", async () => {
  await useBackend("wasm", { threads: 1 });
  const fits = [
    { name: "full rank", q: fullRankSurrogate(2, { seed: 1 }), steps: 3000, learningRate: 0.05 },
    {
      name: "iaf",
      q: flowSurrogate(2, { flow: "iaf", layers: 4, seed: 1 }),
      steps: 2000,
      learningRate: 0.005,
    },
    {
      name: "realnvp",
      q: flowSurrogate(2, { flow: "realnvp", layers: 4, seed: 1 }),
      steps: 2000,
      learningRate: 0.005,
    },
  ];
  const got: Record<string, { value: number; se: number }> = {};
  for (const f of fits) {
    await fitSurrogatePosterior(banana, f.q, {
      steps: f.steps,
      samples: 64,
      learningRate: f.learningRate,
      seed: 1,
    });
    got[f.name] = elboOf(f.q);
    f.q.dispose();
  }
  console.log(
    Object.entries(got).map(([k, e]) => `${k}: ELBO ${e.value.toFixed(3)} ± ${e.se.toFixed(3)}`)
      .join("; "),
  );
  assert.ok(
    got["full rank"]!.value > -0.7 && got["full rank"]!.value < -0.55,
    "full rank near −0.61",
  );
  assert.ok(got["iaf"]!.value >= -0.15, `iaf: ${got["iaf"]!.value}`);
  assert.ok(got["realnvp"]!.value >= -0.15, `realnvp: ${got["realnvp"]!.value}`);
  assert.equal(tf.memory().numTensors, 0);
  await useBackend("cpu");
});

Deno.test("every estimator fits a flow surrogate, and leaves no tensor behind", async () => {
  await useBackend("cpu");
  // ("vimco", a score-function estimator for discrete latents, is tested on one:
  // tests/tensor/renyi_vimco_test.ts.)
  for (const estimator of SURROGATE_ESTIMATORS.filter((e) => e !== "vimco")) {
    for (const flow of ["iaf", "realnvp"] as const) {
      const q = flowSurrogate(2, { flow, layers: 2, hiddenSizes: [8], seed: 2 });
      // Each estimator's own bound: L_k for "iwae" and "dreg", L_½ for "renyi" (their q need
      // not raise the ELBO).
      const bounded = estimator === "iwae" || estimator === "dreg" || estimator === "renyi";
      const alpha = estimator === "renyi" ? 0.5 : 0;
      const bound = async () =>
        (bounded
          ? await renyiBound(banana, q, { alpha, k: 4, samples: 1000, seed: 5 })
          : await elbo(banana, q, { samples: 4000, seed: 5 })).value;
      const start = await bound();
      const before = tf.memory().numTensors;
      await fitSurrogatePosterior(banana, q, {
        steps: 100,
        samples: 8,
        learningRate: 0.02,
        estimator,
        ...(bounded ? { k: 4 } : {}),
      });
      assert.equal(tf.memory().numTensors, before, `${estimator}, ${flow}: tensors steady`);
      const end = await bound();
      const rise = bounded ? 0.05 : 0.3;
      assert.ok(end > start + rise, `${estimator}, ${flow}: the bound rose (${start} → ${end})`);
      q.dispose();
    }
  }
  assert.equal(tf.memory().numTensors, 0);
});

Deno.test("flowSurrogate: a bijector onto the support, and refusals by name", async () => {
  await useBackend("cpu");
  const positive = new Softplus();
  const q = flowSurrogate(3, { bijector: positive, layers: 2, seed: 1 });
  const z = q.sample(50, 1);
  assert.ok(z.dataSync().every((v) => v > 0));
  const lp = q.logProb(z);
  assert.ok(lp.dataSync().every(Number.isFinite));
  tf.dispose([z, lp]);
  q.dispose();
  positive.dispose();
  assert.throws(() => flowSurrogate(0), /eventSize/);
  assert.throws(() => flowSurrogate(1, { flow: "realnvp" }), /needs at least 2 latents/);
  assert.throws(() => flowSurrogate(2, { flow: "maf" as never }), /options.flow/);
  assert.throws(() => flowSurrogate(2, { layers: 0 }), /options.layers/);
  assert.throws(() => flowSurrogate(2, { bijector: {} as never }), /must be a tensor bijector/);
  assert.equal(tf.memory().numTensors, 0);
});
