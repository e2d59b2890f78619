import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  Batches,
  binarizeOnce,
  loadEmbeddedMnist,
  NonFiniteError,
  type Objective,
  type StepResult,
  useBackend,
  VAE,
} from "../../models.ts";

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
      assert.equal(beta.beta, 4);
      assert.ok(
        Math.abs(beta.loss - (beta.reconstruction + 4 * beta.kl)) < 1e-3 * Math.abs(beta.loss),
      );
      assert.ok(
        Math.abs(plain.loss - (plain.reconstruction + plain.kl)) < 1e-3 * Math.abs(plain.loss),
      );
      const cap = make({ kind: "capacity", gamma: 10, maxCapacity: 20, annealSteps: 4 });
      const caps: number[] = [];
      for (let i = 0; i < 6; i++) caps.push((await cap.trainStep(x.batch(0, i))).capacity);
      assert.deepEqual(caps, [0, 5, 10, 15, 20, 20]);
      const con = make({ kind: "constrained", budget: 2, dualStepSize: 0.05, initialBeta: 1 });
      const steps: StepResult[] = [];
      for (let i = 0; i < 8; i++) steps.push(await con.trainStep(x.batch(0, i)));
      // β ← max(0, β + η (KL − δ)) after every step, starting from 1.
      assert.equal(steps[0]!.beta, 1);
      steps.forEach((s, i) => {
        const next = i + 1 < steps.length ? steps[i + 1]!.beta : con.beta;
        assert.ok(
          Math.abs(next - Math.max(0, s.beta + 0.05 * (s.kl - 2))) < 1e-12,
          `β at step ${i + 2}`,
        );
      });
      const iw = await make({ kind: "iwae", k: 5 }).trainStep(x.batch(0, 0));
      assert.ok(Number.isFinite(iw.loss) && iw.loss <= iw.reconstruction + iw.kl + 1e-3);
      const mc = await make({ kind: "elbo" }, "monteCarlo").trainStep(x.batch(0, 0));
      assert.ok(
        Math.abs(mc.kl - plain.kl) < 0.5 * plain.kl + 1,
        `MC KL ${mc.kl} vs analytic ${plain.kl}`,
      );
      assert.throws(
        () => make({ kind: "beta", beta: -1 }),
        /objective\.beta must be ≥ 0: current value is -1/,
      );
      assert.throws(
        () => new VAE({ inputSize: 784, likelihood: "poisson" as never }),
        /likelihood must be "bernoulli" or "gaussian"/,
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
