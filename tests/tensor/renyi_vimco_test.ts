// The Rényi bound and VIMCO. Rényi: its two limits (α = 1 the ELBO, α = 0 the
// importance-weighted bound), its fall in α, and a fit that finds the exact
// posterior, on z ~ N(0, 1), x | z ~ N(z, 1), x = 1 (log p(x) = log N(1; 0, 2)).
// VIMCO: on a discrete latent of 8 states, its gradient matches the exact ∇L_k
// by enumeration within Monte Carlo error, with less variance than the
// score-function estimator with a leave-one-out baseline at the same k.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  Categorical,
  elbo,
  fitSurrogatePosterior,
  importanceWeightedBound,
  meanFieldSurrogate,
  Normal,
  renyiBound,
  TrainableSurrogate,
  useBackend,
} from "../../tensor.ts";
import { objective, type Plan } from "../../lib/tensor/inference/_objective.ts";
import { taped } from "../../lib/tensor/inference/_taped.ts";

await useBackend("cpu");

const prior = new Normal(0, 1);
const target = (z: tf.Tensor) =>
  tf.tidy(() => tf.add(prior.logProb(z), new Normal(z, 1).logProb(1)));
const LOG_EVIDENCE = -0.5 * Math.log(4 * Math.PI) - 0.25;

Deno.test("renyiBound: the ELBO at α = 1, L_k at α = 0, and falling in α", async () => {
  const q = new Normal(0, 1); // the prior: a poor q, so the bounds differ
  const at = (alpha: number) => renyiBound(target, q, { alpha, k: 5, samples: 200, seed: 3 });
  const iw = await importanceWeightedBound(target, q, { k: 5, samples: 200, seed: 3 });
  assert.ok(Math.abs((await at(0)).value - iw.value) < 1e-12, "α = 0 is L_k");
  const e = await elbo(target, q, { samples: 1000, seed: 3 });
  assert.ok(Math.abs((await at(1)).value - e.value) < 1e-9, "α = 1 is the ELBO (same draws)");
  assert.ok(Math.abs((await at(1 - 1e-6)).value - e.value) < 1e-4, "and its limit");
  const alphas = [-2, -1, -0.5, 0, 0.25, 0.5, 0.9, 1];
  const values = await Promise.all(alphas.map(async (a) => (await at(a)).value));
  for (let i = 1; i < alphas.length; i++) {
    assert.ok(
      values[i]! <= values[i - 1]! + 1e-12,
      `L_${alphas[i]} ≤ L_${alphas[i - 1]}: ${values}`,
    );
  }
  assert.ok(values[alphas.indexOf(0)]! < LOG_EVIDENCE + 3 * iw.standardError, "L_k ≤ log p(x)");
  assert.ok(values[0]! > values.at(-1)! + 0.05, `the bounds differ: ${values}`);
  console.log(
    alphas.map((a, i) => `L_${a} = ${values[i]!.toFixed(4)}`).join(", "),
    `; log p(x) = ${LOG_EVIDENCE.toFixed(4)}`,
  );
  q.dispose();
  await assert.rejects(() => renyiBound(target, prior, { alpha: NaN }), /options.alpha/);
});

Deno.test('fitSurrogatePosterior with "renyi" finds the exact posterior N(½, ½)', async () => {
  const before = tf.memory().numTensors;
  for (const alpha of [0, 0.5, 2]) {
    const q = meanFieldSurrogate(1, { seed: 1 });
    await fitSurrogatePosterior((z) => tf.tidy(() => tf.squeeze(target(z), [1])), q, {
      steps: 1000,
      samples: 16,
      k: 5,
      estimator: "renyi",
      alpha,
      learningRate: 0.02,
    });
    const [m, v] = tf.tidy(() => [q.mean().dataSync()[0]!, q.variance().dataSync()[0]!]);
    assert.ok(Math.abs(m - 0.5) < 0.12 && Math.abs(v - 0.5) < 0.12, `α = ${alpha}: N(${m}, ${v})`);
    q.dispose();
  }
  const q = meanFieldSurrogate(1);
  const run = (o: object) => fitSurrogatePosterior((z) => tf.squeeze(target(z), [1]), q, o);
  await assert.rejects(
    () => run({ estimator: "elbo", alpha: 0.5 }),
    /alpha applies only to estimator "renyi"/,
  );
  await assert.rejects(() => run({ estimator: "renyi", alpha: Infinity }), /options.alpha/);
  await assert.rejects(
    () => run({ estimator: "vimco", k: 1 }),
    /VIMCO leaves one draw out of k, so k ≥ 2/,
  );
  q.dispose();
  assert.equal(tf.memory().numTensors, before);
});

// A discrete latent: 8 states (three bits b), prior Bern(0.3) per bit, and
// x = 1.2 ~ N(0.5 b₀ + b₁ − 0.7 b₂, 0.5²): log p(z, x) tabulated.
const TABLE = Array.from({ length: 8 }, (_, s) => {
  const b = [s & 1, (s >> 1) & 1, (s >> 2) & 1];
  const prior = b.reduce((a, bit) => a + Math.log(bit ? 0.3 : 0.7), 0);
  const mean = 0.5 * b[0]! + b[1]! - 0.7 * b[2]!;
  return prior - 0.5 * ((1.2 - mean) / 0.5) ** 2 - Math.log(0.5 * Math.sqrt(2 * Math.PI));
});
const THETA = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0, -0.1];
const K = 4;
const discreteTarget = (z: tf.Tensor) =>
  tf.tidy(() => tf.gather(tf.tensor1d(TABLE), tf.cast(z, "int32")));

/** ∇_θ L_k for q = softmax(θ), by enumerating the 8^k draws of one bound. */
function exactGradient(k: number): number[] {
  const m = Math.max(...THETA), e = THETA.map((t) => Math.exp(t - m));
  const sum = e.reduce((a, b) => a + b), q = e.map((v) => v / sum);
  const grad = new Array(8).fill(0);
  const states = new Array(k).fill(0);
  for (let c = 0; c < 8 ** k; c++) {
    for (let j = 0, r = c; j < k; j++, r = Math.floor(r / 8)) states[j] = r % 8;
    const prob = states.reduce((p, s) => p * q[s]!, 1);
    const logW = states.map((s) => TABLE[s]! - Math.log(q[s]!));
    const top = Math.max(...logW), ws = logW.map((l) => Math.exp(l - top));
    const total = ws.reduce((a, b) => a + b), f = top + Math.log(total / k);
    // ∇ E[f] = E[f Σⱼ ∇log q(zⱼ) − Σⱼ w̃ⱼ ∇log q(zⱼ)],  ∇_θ log q(s) = e_s − q.
    states.forEach((s, j) => {
      const coef = prob * (f - ws[j]! / total);
      for (let i = 0; i < 8; i++) grad[i] += coef * ((i === s ? 1 : 0) - q[i]!);
    });
  }
  return grad;
}

/** The estimator's gradient in θ from `samples` bounds (or draws) of one step. */
function gradient(estimator: "vimco" | "elbo", samples: number, k: number, seed: number): number[] {
  const q = new TrainableSurrogate(
    [tf.tidy(() => tf.variable(tf.tensor1d(THETA)))],
    ([logits]) => new Categorical({ logits: logits! }),
  );
  const plan: Plan = { estimator, samples, k, alpha: 0.5, analyticEntropy: false };
  const t = taped(q.trainableVariables, () => objective("test", discreteTarget, q, plan, seed));
  const g = Array.from(t.grads[0]!.dataSync(), (v) => -v); // (the loss is −bound)
  tf.dispose([...t.grads.filter((x) => x !== undefined), t.reported, t.lp]);
  q.dispose();
  return g;
}

Deno.test("VIMCO: its gradient is ∇L_k by enumeration, with less variance than the score function", () => {
  const before = tf.memory().numTensors;
  const exact = exactGradient(K);
  // 20 estimates of 1000 bounds each: their mean and standard error.
  const batches = Array.from({ length: 20 }, (_, b) => gradient("vimco", 1000, K, 100 + b));
  exact.forEach((want, i) => {
    const xs = batches.map((g) => g[i]!), mean = xs.reduce((a, b) => a + b) / xs.length;
    const se = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) / xs.length);
    assert.ok(Math.abs(mean - want) <= 4 * se + 1e-4, `θ${i}: ${mean} ± ${se} against ${want}`);
  });
  // The variance of one bound's gradient (summed over θ), VIMCO against the
  // score function with a leave-one-out baseline over the same k draws.
  const variance = (estimator: "vimco" | "elbo") => {
    const gs = Array.from(
      { length: 400 },
      (_, r) => estimator === "vimco" ? gradient("vimco", 1, K, r) : gradient("elbo", K, 1, r),
    );
    return exact.reduce((total, _, i) => {
      const xs = gs.map((g) => g[i]!), m = xs.reduce((a, b) => a + b) / xs.length;
      return total + xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
    }, 0);
  };
  const [v, s] = [variance("vimco"), variance("elbo")];
  console.log(
    `VIMCO at k = ${K}: gradient variance ${v.toFixed(4)} against ${
      s.toFixed(4)
    } for the score function with a leave-one-out baseline (${(s / v).toFixed(1)}×)`,
  );
  assert.ok(v < s, `VIMCO's variance ${v} is below the score function's ${s}`);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test('fitSurrogatePosterior with "vimco" raises L_k of a discrete surrogate', async () => {
  const before = tf.memory().numTensors;
  const q = new TrainableSurrogate(
    [tf.tidy(() => tf.variable(tf.zeros([8])))],
    ([logits]) => new Categorical({ logits: logits! }),
  );
  const bound = async () =>
    (await importanceWeightedBound(discreteTarget, q, { k: K, samples: 2000, seed: 9 })).value;
  const start = await bound();
  await fitSurrogatePosterior(discreteTarget, q, {
    steps: 300,
    samples: 8,
    k: K,
    estimator: "vimco",
    learningRate: 0.05,
  });
  const after = await bound();
  assert.ok(after > start + 0.05, `L_${K}: ${start} → ${after}`);
  q.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("renyi and vimco give the same gradient on wasm as on cpu (the same draws)", async () => {
  const grads = async (backend: "cpu" | "wasm") => {
    await (backend === "wasm" ? useBackend("wasm", { threads: 1 }) : useBackend("cpu"));
    const before = tf.memory().numTensors;
    const out: number[][] = [];
    const q = meanFieldSurrogate(1, { seed: 2 });
    const lin = (z: tf.Tensor) => tf.tidy(() => tf.squeeze(target(z), [1]));
    const plan: Plan = { estimator: "renyi", samples: 8, k: 4, alpha: 0.3, analyticEntropy: false };
    const t = taped(q.trainableVariables, () => objective("test", lin, q, plan, 5));
    out.push(t.grads.flatMap((g) => Array.from(g!.dataSync())));
    tf.dispose([...t.grads.filter((g) => g !== undefined), t.reported, t.lp]);
    q.dispose();
    out.push(gradient("vimco", 50, K, 5));
    assert.equal(tf.memory().numTensors, before, `tensors left on ${backend}`);
    return out.flat();
  };
  const [onCpu, onWasm] = [await grads("cpu"), await grads("wasm")];
  onCpu.forEach((v, i) =>
    assert.ok(Math.abs(v - onWasm[i]!) <= 1e-4 * (1 + Math.abs(v)), `${i}: ${v} vs ${onWasm[i]}`)
  );
  await useBackend("cpu");
});
