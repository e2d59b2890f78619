import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  Batches,
  binarizeOnce,
  type Evaluation,
  loadEmbeddedMnist,
  NonFiniteError,
  type Objective,
  type StepResult,
  VAE,
} from "../../models.ts";
import { Bernoulli, ContinuousBernoulli, DiagNormal, Normal, useBackend } from "../../tensor.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

const { train, test } = loadEmbeddedMnist();
const testX = binarizeOnce(test, 7).subarray(0, 300 * 784);

function snapshot(vae: VAE): Float32Array[] {
  return vae.variables().map((v) => v.dataSync().slice() as Float32Array);
}

Deno.test("VAE training", async (t) => {
  await useBackend("wasm");

  await t.step("the number of live tensors is the same after step 10 and step 200", async () => {
    const vae = new VAE({ inputSize: 784, seed: 1 }); // the 784-400-20 model
    const batches = new Batches(train, { batchSize: 100, seed: 1, binarize: true });
    let after10 = 0;
    for (let s = 0; s < 200; s++) {
      await vae.trainStep(batches.batch(Math.floor(s / batches.perEpoch), s % batches.perEpoch));
      if (s === 9) after10 = tf.memory().numTensors;
    }
    assert.equal(tf.memory().numTensors, after10);
    // evaluate, reconstruct-and-dispose and sample leave nothing behind either.
    await vae.evaluate(testX.subarray(0, 200 * 784), { importanceSamples: 3 });
    const zeros = tf.zeros([2, 784]) as tf.Tensor2D;
    tf.dispose([vae.sample(4), vae.reconstruct(zeros), zeros]);
    assert.equal(tf.memory().numTensors, after10);
    assert.throws(
      () => vae.sample(0),
      /VAE.sample as n must be an integer ≥ 1: current value is 0/,
    );
    vae.dispose();
  });

  await t.step(
    "a few epochs improve the test ELBO; the importance-sampled log p(x) is at least the ELBO",
    async () => {
      const vae = new VAE({ inputSize: 784, hiddenSizes: [200], latentSize: 10, seed: 2 });
      const before = await vae.evaluate(testX, { importanceSamples: 20 });
      const batches = new Batches(train, { batchSize: 100, seed: 2, binarize: true });
      for (let e = 0; e < 2; e++) {
        for (let b = 0; b < batches.perEpoch; b++) await vae.trainStep(batches.batch(e, b));
      }
      const after = await vae.evaluate(testX, { importanceSamples: 20 });
      assert.ok(after.elbo > before.elbo + 100, `ELBO ${before.elbo} → ${after.elbo}`);
      assert.ok(after.elbo > -200, `test ELBO after two epochs: ${after.elbo}`);
      assert.ok(
        after.logLikelihood >= after.elbo,
        `log p(x) ${after.logLikelihood} < ELBO ${after.elbo}`,
      );
      assert.equal(after.klPerDimension.length, 10);
      assert.ok(after.activeUnits >= 1 && after.activeUnits <= 10);
      vae.dispose();
    },
  );

  await t.step("save then load gives identical outputs, optimiser state and step", async () => {
    const dir = await Deno.makeTempDir();
    const vae = new VAE({
      inputSize: 784,
      hiddenSizes: [64],
      latentSize: 5,
      seed: 3,
      objective: { kind: "constrained", budget: 5 },
    });
    const batches = new Batches(train, { batchSize: 50, seed: 3, binarize: true });
    for (let b = 0; b < 5; b++) await vae.trainStep(batches.batch(0, b));
    await vae.save(dir);
    const loaded = await VAE.load(dir);
    assert.equal(loaded.step, 5);
    assert.equal(loaded.beta, vae.beta);
    const x = tf.tensor2d(testX.subarray(0, 10 * 784), [10, 784]);
    const a = vae.reconstruct(x), b = loaded.reconstruct(x);
    assert.deepEqual(a.dataSync(), b.dataSync());
    // The next step is the same too: Adam's moments came back with the weights.
    const sa = await vae.trainStep(batches.batch(0, 5)),
      sb = await loaded.trainStep(batches.batch(0, 5));
    assert.deepEqual(sa, sb);
    tf.dispose([x, a, b]);
    vae.dispose();
    loaded.dispose();
    await Deno.remove(dir, { recursive: true });
  });

  await t.step("a corrupt or missing checkpoint gives a clear error", async () => {
    const dir = await Deno.makeTempDir();
    await assert.rejects(() => VAE.load(dir), /model\.json cannot be read/);
    const vae = new VAE({ inputSize: 784, hiddenSizes: [16], latentSize: 2 });
    await vae.save(dir);
    const bin = await Deno.readFile(`${dir}/weights.bin`);
    await Deno.writeFile(`${dir}/weights.bin`, bin.subarray(0, 100));
    await assert.rejects(() => VAE.load(dir), /corrupt or incomplete/);
    await Deno.writeTextFile(`${dir}/model.json`, "{ not json");
    await assert.rejects(() => VAE.load(dir), /not valid JSON/);
    vae.dispose();
    await Deno.remove(dir, { recursive: true });
  });

  await t.step(
    "a non-finite batch or loss names the term and the step and leaves the weights",
    async () => {
      const vae = new VAE({ inputSize: 784, hiddenSizes: [32], latentSize: 4, seed: 4 });
      const batches = new Batches(train, { batchSize: 20, seed: 4, binarize: true });
      await vae.trainStep(batches.batch(0, 0));
      const bad = batches.batch(0, 1).slice();
      bad[3 * 784 + 5] = NaN;
      let before = snapshot(vae);
      await assert.rejects(
        () => vae.trainStep(bad),
        (e: unknown) =>
          e instanceof NonFiniteError && e.term === "batch" && e.step === 2 &&
          /row 3, column 5/.test(e.message),
      );
      assert.deepEqual(snapshot(vae), before);
      // log σ² = 100 overflows exp in float32: the analytic KL is infinite.
      const logVarBias = vae.variables()[5]!;
      logVarBias.assign(tf.fill([4], 100));
      before = snapshot(vae);
      await assert.rejects(
        () => vae.trainStep(batches.batch(0, 1)),
        (e: unknown) => e instanceof NonFiniteError && e.term === "kl" && e.step === 2,
      );
      assert.deepEqual(snapshot(vae), before);
      logVarBias.assign(tf.zeros([4]));
      const outBias = vae.variables().at(-1)!;
      outBias.assign(tf.fill([784], NaN));
      before = snapshot(vae);
      await assert.rejects(
        () => vae.trainStep(batches.batch(0, 1)),
        (e: unknown) =>
          e instanceof NonFiniteError && e.term === "reconstruction" && /unchanged/.test(e.message),
      );
      assert.deepEqual(
        snapshot(vae).map((a) => Array.from(a).map(String)),
        before.map((a) => Array.from(a).map(String)),
      );
      assert.equal(vae.step, 1);
      vae.dispose();
    },
  );

  await t.step(
    "the objectives: β scales the KL, capacity tracks C, dual ascent moves β towards the budget, IWAE runs",
    async () => {
      const x = new Batches(train, { batchSize: 50, seed: 5, binarize: true });
      const made: VAE[] = [];
      const make = (objective: Objective, klEstimator: "analytic" | "monteCarlo" = "analytic") => {
        const vae = new VAE({
          inputSize: 784,
          hiddenSizes: [64],
          latentSize: 5,
          seed: 5,
          objective,
          klEstimator,
        });
        made.push(vae);
        return vae;
      };
      const plain = await make({ kind: "elbo" }).trainStep(x.batch(0, 0));
      const beta = await make({ kind: "beta", beta: 4 }).trainStep(x.batch(0, 0));
      assert.equal(beta.terms.beta, 4);
      const { reconstruction: r, kl } = beta.terms as Record<string, number>;
      assert.ok(Math.abs(beta.loss - (r! + 4 * kl!)) < 1e-3 * Math.abs(beta.loss));
      const p = plain.terms as Record<string, number>;
      assert.ok(Math.abs(plain.loss - (p.reconstruction! + p.kl!)) < 1e-3 * Math.abs(plain.loss));
      const cap = make({ kind: "capacity", gamma: 10, maxCapacity: 20, annealSteps: 4 });
      const caps: number[] = [];
      for (let i = 0; i < 6; i++) caps.push((await cap.trainStep(x.batch(0, i))).terms.capacity!);
      assert.deepEqual(caps, [0, 5, 10, 15, 20, 20]);
      assert.deepEqual(cap.report.terms.map((t) => t.key), [
        "reconstruction",
        "kl",
        "beta",
        "capacity",
      ]);
      const con = make({ kind: "constrained", budget: 2, dualStepSize: 0.05, initialBeta: 1 });
      const steps: StepResult[] = [];
      for (let i = 0; i < 8; i++) steps.push(await con.trainStep(x.batch(0, i)));
      // β ← max(0, β + η (KL − δ)) after every step, starting from 1.
      assert.equal(steps[0]!.terms.beta, 1);
      steps.forEach((s, i) => {
        const next = i + 1 < steps.length ? steps[i + 1]!.terms.beta! : con.beta;
        assert.ok(
          Math.abs(next - Math.max(0, s.terms.beta! + 0.05 * (s.terms.kl! - 2))) < 1e-12,
          `β at step ${i + 2}`,
        );
      });
      const iwae = make({ kind: "iwae", k: 5 });
      const iw = await iwae.trainStep(x.batch(0, 0));
      assert.deepEqual(Object.keys(iw.terms), ["reconstruction", "kl"]);
      assert.deepEqual(iwae.report.terms.map((t) => t.key), ["reconstruction", "kl"]);
      assert.ok(
        Number.isFinite(iw.loss) && iw.loss <= iw.terms.reconstruction! + iw.terms.kl! + 1e-3,
      );
      const mc = await make({ kind: "elbo" }, "monteCarlo").trainStep(x.batch(0, 0));
      assert.ok(
        Math.abs(mc.terms.kl! - p.kl!) < 0.5 * p.kl! + 1,
        `MC KL ${mc.terms.kl} vs analytic ${p.kl}`,
      );
      assert.throws(
        () => make({ kind: "beta", beta: -1 }),
        /objective\.beta must be ≥ 0: current value is -1/,
      );
      assert.throws(
        () => new VAE({ inputSize: 784, likelihood: "poisson" as never }),
        /options\.likelihood must be one of "bernoulli", "gaussian", "continuous-bernoulli": current value is "poisson"/,
      );
      made.forEach((m) => m.dispose());
    },
  );

  await t.step("the same seed gives identical metrics on the cpu backend", async () => {
    await useBackend("cpu");
    const run = async () => {
      const vae = new VAE({ inputSize: 784, hiddenSizes: [32], latentSize: 3, seed: 9 });
      const b = new Batches(train, { batchSize: 25, seed: 9, binarize: true });
      const steps: StepResult[] = [];
      for (let i = 0; i < 5; i++) steps.push(await vae.trainStep(b.batch(0, i)));
      const ev = await vae.evaluate(testX.subarray(0, 50 * 784), { importanceSamples: 5 });
      vae.dispose();
      return { steps, ev };
    };
    assert.deepEqual(await run(), await run());
    await useBackend("wasm");
  });
});

Deno.test("VAE methods check their arguments", async (t) => {
  await useBackend("cpu");
  const vae = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 1 });
  const data = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]);
  await t.step(
    "evaluate: batchSize 0, −1, 1.5, NaN and other bad options are refused",
    async () => {
      const bad: [Record<string, unknown>, typeof RangeError | typeof TypeError, string][] = [
        [
          { batchSize: 0 },
          RangeError,
          "options.batchSize must be an integer ≥ 1: current value is 0",
        ],
        [{ batchSize: -1 }, RangeError, "options.batchSize"],
        [{ batchSize: 1.5 }, RangeError, "options.batchSize"],
        [
          { batchSize: NaN },
          RangeError,
          "options.batchSize must be an integer ≥ 1: current value is NaN",
        ],
        [{ batchSize: "10" }, TypeError, "options.batchSize"],
        [{ importanceSamples: 0 }, RangeError, "options.importanceSamples"],
        [
          { importanceSamples: 2 ** 21 },
          RangeError,
          "options.importanceSamples must be an integer in [1, 1048576]",
        ],
        [{ seed: 2 ** 53 }, RangeError, "options.seed"],
        [{ chunkSize: 0 }, RangeError, "options.chunkSize"],
        [{ importanceSample: 5 }, TypeError, "options.importanceSample is not an option"],
      ];
      for (const [options, type, fragment] of bad) {
        await assert.rejects(
          () => vae.evaluate(data, options),
          (e: unknown) => e instanceof type && e.message.includes(fragment),
          JSON.stringify(options),
        );
      }
      await assert.rejects(() => vae.evaluate(data, 5 as never), TypeError);
      for (
        const d of [[1, 0, 1, 0], new Float64Array(4), new Float32Array(3), new Float32Array(0)]
      ) {
        await assert.rejects(() => vae.evaluate(d as never), TypeError);
      }
      await assert.rejects(
        () => vae.evaluate(new Float32Array([1, 0, NaN, 0])),
        (e: unknown) => e instanceof RangeError && /row 0, column 2 is NaN/.test(e.message),
      );
    },
  );
  await t.step("encode, decode, reconstruct: a tensor of the wrong width, rank, type", () => {
    const cases: [() => unknown, string][] = [
      [() => vae.encode(tf.zeros([2, 5]) as tf.Tensor2D), "VAE.encode as x must have 4 columns"],
      [() => vae.encode(tf.zeros([4]) as never), "VAE.encode as x must have rank 2"],
      [() => vae.encode(new Float32Array(4) as never), "VAE.encode as x must be a tf.Tensor"],
      [() => vae.decode(tf.zeros([2, 3]) as tf.Tensor2D), "VAE.decode as z must have 2 columns"],
      [() => vae.decode(tf.zeros([1, 2], "int32") as never), "float32"],
      [() => vae.reconstruct(tf.zeros([1, 3]) as tf.Tensor2D), "VAE.reconstruct as x"],
    ];
    for (const [f, fragment] of cases) assertThrowsNaming(f, TypeError, fragment);
  });
  await t.step("sample: n and seed", () => {
    for (const n of [0, -1, 1.5, NaN, 1e12]) {
      assertThrowsNaming(() => vae.sample(n), RangeError, "VAE.sample as n");
    }
    assertThrowsNaming(() => vae.sample("2" as never), TypeError, "VAE.sample as n");
    assertThrowsNaming(() => vae.sample(1, 2 ** 53), RangeError, "VAE.sample as seed");
  });
  await t.step("trainStep: wrong type, width, dtype, empty, NaN", async () => {
    const bad: [unknown, string][] = [
      [[1, 0, 1, 0], "Float32Array or a 2-D tensor"],
      [new Float32Array(3), "whole rows of 4 values"],
      [new Float32Array(0), "whole rows of 4 values"],
      [tf.zeros([2, 3]), "rows of 4 columns"],
      [tf.zeros([0, 4]), "rows of 4 columns"],
      [tf.zeros([2, 4], "int32"), "float32"],
    ];
    for (const [batch, fragment] of bad) {
      await assert.rejects(
        () => vae.trainStep(batch as never),
        (e: unknown) => e instanceof TypeError && e.message.includes(fragment),
        fragment,
      );
    }
    await assert.rejects(
      () => vae.trainStep(new Float32Array([0, Infinity, 0, 0])),
      (e: unknown) => e instanceof NonFiniteError && e.term === "batch",
    );
    assert.equal(vae.step, 0);
  });
  await t.step(
    "a second step, save or evaluate while one runs is refused; the first completes",
    async () => {
      const dir = await Deno.makeTempDir();
      const first = vae.trainStep(data);
      // Started before the first step has finished: refused, without waiting.
      const others = Promise.allSettled([vae.trainStep(data), vae.evaluate(data), vae.save(dir)]);
      assert.throws(() => vae.dispose(), /cannot run while VAE.trainStep of this model is running/);
      for (const r of await others) {
        assert.ok(
          r.status === "rejected" && r.reason instanceof TypeError &&
            /while VAE.trainStep of this model is running/.test(r.reason.message),
        );
      }
      await Deno.remove(dir, { recursive: true });
      assert.ok(Number.isFinite((await first).loss));
      assert.equal(vae.step, 1);
    },
  );
  await t.step("a disposed model says so", async () => {
    vae.dispose();
    vae.dispose(); // twice is harmless
    await assert.rejects(() => vae.trainStep(data), /disposed/);
    assert.throws(() => vae.sample(1), /VAE.sample cannot run as the model has been disposed/);
    await assert.rejects(() => vae.save("unused"), TypeError);
  });
});

Deno.test("VAE seeds: every safe integer is its own stream", async () => {
  await useBackend("cpu");
  const read = (x: tf.Tensor) => {
    const v = Array.from(x.dataSync());
    x.dispose();
    return v;
  };
  const a = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 1 });
  const b = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 2 ** 32 + 1 });
  assert.notDeepEqual(read(tf.clone(a.variables()[0]!)), read(tf.clone(b.variables()[0]!)));
  // The draws mix the model's seed and the call's seed in all 53 bits.
  assert.notDeepEqual(read(a.sample(2, 3)), read(a.sample(2, 3 + 2 ** 32)));
  const c = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 1 + 0x5a5a * 2 ** 32 });
  for (const l of c.variables()) l.assign(a.variables()[c.variables().indexOf(l)]!);
  assert.notDeepEqual(read(a.sample(2, 7)), read(c.sample(2, 7)));
  assert.deepEqual(read(a.sample(2, 7)), read(a.sample(2, 7)));
  const big = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: -(2 ** 53 - 1) });
  assert.ok(read(big.sample(1, 2 ** 53 - 1)).every(Number.isFinite));
  [a, b, c, big].forEach((m) => m.dispose());
});

Deno.test("VAE.evaluate runs in bounded memory for any k", async (t) => {
  await t.step("the chunks of importance samples give the one-chunk result", async () => {
    await useBackend("cpu");
    const vae = new VAE({ inputSize: 784, hiddenSizes: [16], latentSize: 3, seed: 5 });
    const x = testX.subarray(0, 30 * 784);
    const whole = await vae.evaluate(x, { importanceSamples: 12, chunkSize: 12, batchSize: 30 });
    for (const chunkSize of [1, 5, 7]) {
      const parts = await vae.evaluate(x, { importanceSamples: 12, chunkSize, batchSize: 30 });
      for (const key of ["elbo", "logLikelihood", "reconstruction", "kl"] as const) {
        const tol = 2e-6 * Math.abs(whole[key]) + 1e-5;
        assert.ok(
          Math.abs(parts[key] - whole[key]) <= tol,
          `${key}, chunk ${chunkSize}: ${parts[key]} vs ${whole[key]}`,
        );
      }
    }
    // log p(x) ≥ ELBO on average; both finite.
    assert.ok(whole.logLikelihood >= whole.elbo - 1e-3);
    vae.dispose();
  });
  await t.step("k = 5000 on wasm keeps every tensor small and the peak under 64 MiB", async () => {
    await useBackend("wasm");
    const vae = new VAE({ inputSize: 784, hiddenSizes: [8], latentSize: 2, seed: 6 });
    const x = testX.subarray(0, 4 * 784);
    const before = tf.memory();
    let ev: Evaluation | undefined;
    const info = await tf.profile(async () => {
      ev = await vae.evaluate(x, { importanceSamples: 5000 });
    });
    // Unchunked, one [k·rows, 784] float32 tensor alone would take 60 MiB, and a
    // dozen of them are alive at once.
    assert.ok(info.peakBytes - before.numBytes < 64 * 2 ** 20, `peak ${info.peakBytes}`);
    assert.equal(tf.memory().numTensors, before.numTensors);
    assert.equal(ev!.importanceSamples, 5000);
    assert.ok(Number.isFinite(ev!.logLikelihood) && ev!.logLikelihood >= ev!.elbo - 1e-3);
    vae.dispose();
    await useBackend("cpu");
  });
  await t.step("an IWAE step that would not fit is refused before it allocates", async () => {
    await useBackend("cpu");
    const vae = new VAE({
      inputSize: 784,
      hiddenSizes: [8],
      latentSize: 2,
      objective: { kind: "iwae", k: 50000 },
    });
    const before = tf.memory().numTensors;
    assertThrowsNaming(
      () => vae.assertStepFits(1),
      RangeError,
      "50000 importance samples (objective.k)",
      "lower objective.k",
    );
    await assert.rejects(
      () => vae.trainStep(testX.subarray(0, 784)),
      (e: unknown) => e instanceof RangeError && /more than 33554432/.test(e.message),
    );
    assert.equal(tf.memory().numTensors, before);
    vae.dispose();
    const ok = new VAE({
      inputSize: 784,
      hiddenSizes: [8],
      latentSize: 2,
      objective: { kind: "iwae", k: 400 },
    });
    ok.assertStepFits(100);
    assertThrowsNaming(() => ok.assertStepFits(200), RangeError, "use batches of at most 106 rows");
    ok.dispose();
  });
});

Deno.test("VAE distributions: q(z|x), p(x|z) and p(z)", async (t) => {
  await useBackend("cpu");
  const x = tf.tensor2d([[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 0]]);
  await t.step("encode gives a DiagNormal, decode a Bernoulli, the prior N(0, 1)", async () => {
    const vae = new VAE({ inputSize: 4, hiddenSizes: [5], latentSize: 2, seed: 3 });
    const before = tf.memory().numTensors;
    const q = vae.encode(x);
    assert.ok(q instanceof DiagNormal);
    assert.deepEqual([q.batchShape, q.eventShape], [[3], [2]]);
    const z = vae.embed(x);
    assert.deepEqual(await z.data(), await q.loc.data());
    const p = vae.decode(z);
    assert.ok(p instanceof Bernoulli);
    assert.deepEqual([p.batchShape, p.eventShape], [[3], [4]]);
    const mean = vae.decodeMean(z), rec = vae.reconstruct(x);
    assert.deepEqual(await mean.data(), await p.probs.data());
    assert.deepEqual(await rec.data(), await mean.data());
    assert.ok(vae.prior instanceof Normal);
    // A distribution the model hands out frees every tensor it holds.
    q.dispose();
    p.dispose();
    tf.dispose([z, mean, rec]);
    assert.equal(tf.memory().numTensors, before);
    vae.dispose();
  });
  await t.step("the Gaussian likelihood is a DiagNormal of fixed σ around sigmoid(·)", async () => {
    const vae = new VAE({
      inputSize: 4,
      hiddenSizes: [5],
      latentSize: 2,
      seed: 3,
      likelihood: "gaussian",
      observationScale: 0.5,
    });
    const z = tf.zeros([2, 2]) as tf.Tensor2D;
    const p = vae.decode(z);
    assert.ok(p instanceof DiagNormal);
    assert.deepEqual(Array.from(await p.scale.data()), [0.5]);
    const m = await p.loc.data();
    assert.ok(m.every((v) => v > 0 && v < 1));
    p.dispose();
    z.dispose();
    assert.throws(
      () => new VAE({ inputSize: 4, likelihood: "gaussian", observationScale: 1e39 }),
      /observationScale must be representable in float32/,
    );
    vae.dispose();
  });
  await t.step(
    "the continuous-Bernoulli likelihood: a proper density on grey levels, and it trains",
    async () => {
      const vae = new VAE({
        inputSize: 784,
        hiddenSizes: [64],
        latentSize: 4,
        seed: 3,
        likelihood: "continuous-bernoulli",
      });
      const z = tf.zeros([2, 4]) as tf.Tensor2D;
      const p = vae.decode(z);
      assert.ok(p instanceof ContinuousBernoulli);
      const mean = vae.decodeMean(z);
      assert.ok((await mean.data()).every((v) => v > 0 && v < 1));
      tf.dispose([z, mean]);
      p.dispose();
      // Grey levels, not binarised: the likelihood of the pixels themselves.
      const batches = new Batches(train, { batchSize: 50, seed: 1 });
      const losses: number[] = [];
      for (let i = 0; i < 40; i++) losses.push((await vae.trainStep(batches.batch(0, i))).loss);
      assert.ok(losses.every(Number.isFinite));
      const head = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
      const tail = losses.slice(-5).reduce((a, b) => a + b) / 5;
      assert.ok(tail < head - 50, `the loss fell: ${head} → ${tail}`);
      const e = await vae.evaluate(test.images.subarray(0, 100 * 784), { importanceSamples: 5 });
      assert.ok(Number.isFinite(e.elbo as number), `test ELBO ${e.elbo}`);
      await assert.rejects(
        () => vae.trainStep(new Float32Array(784).fill(2)),
        /continuous Bernoulli likelihood's pixel values/,
      );
      vae.dispose();
    },
  );
  x.dispose();
});
