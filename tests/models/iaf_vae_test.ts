// The VAE with an inverse autoregressive flow posterior (Kingma et al. 2016):
// its options, its density against independent computations (the inverse
// pass, and the log-determinant of an autodiff Jacobian), its gradients
// against autodiff and central differences, the evaluation's use of the
// flow's density, training, checkpoints and tensor hygiene on cpu and wasm.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  Batches,
  binarizeOnce,
  FlowPosterior,
  loadEmbeddedMnist,
  type Objective,
  VAE,
  type VAEOptions,
} from "../../models.ts";
import { DiagNormal, useBackend } from "../../tensor.ts";
import { deriveSeed } from "../../lib/math/rng.ts";
import { assertAllClose, assertClose, assertThrowsNaming } from "../_tolerance.ts";

const X = [[1, 0, 1, 0], [0, 1, 1, 0], [1, 1, 0, 0]];
const TINY: VAEOptions = {
  inputSize: 4,
  hiddenSizes: [6],
  latentSize: 3,
  seed: 5,
  posterior: { flow: "iaf", layers: 2, hiddenSizes: [5], contextSize: 2 },
};

/** Moves the flow's weights (the variables after the networks') off the identity they start at. */
function perturbFlow(vae: VAE, seed: number): void {
  for (const [i, v] of vae.variables().entries()) {
    if (!/posterior\/iaf/.test(v.name)) continue;
    tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.3, "float32", seed + i)));
  }
}

/** −ELBO of rows x at draws from `seed`, from the public distributions: log q from the flow's pass. */
function negativeElbo(vae: VAE, x: tf.Tensor2D, seed: number): tf.Scalar {
  return tf.tidy(() => {
    const q = vae.encode(x) as FlowPosterior;
    const { sample: z, logProb: logQ } = q.sampleAndLogProb(1, seed);
    const p = vae.decode(tf.reshape(z, [-1, vae.latentSize]) as tf.Tensor2D);
    const logPx = tf.reshape(p.logProb(x), [1, -1]);
    const logPz = tf.sum(vae.prior.logProb(z), -1);
    const loss = tf.neg(tf.mean(tf.sub(tf.add(logPx, logPz), logQ))) as tf.Scalar;
    q.dispose();
    p.dispose();
    return loss;
  });
}

Deno.test("the IAF posterior's options", async (t) => {
  await useBackend("cpu");
  await t.step("defaults: 2 layers, MADEs of [2K], a context of K, a Monte Carlo KL", () => {
    const vae = new VAE({
      inputSize: 4,
      hiddenSizes: [6],
      latentSize: 3,
      posterior: { flow: "iaf" },
    });
    assert.deepEqual(vae.config.posterior, {
      flow: "iaf",
      layers: 2,
      hiddenSizes: [6],
      contextSize: 3,
    });
    assert.equal(vae.config.klEstimator, "monteCarlo");
    assert.equal(vae.report.perLatent, undefined, "no KL per coordinate");
    vae.dispose();
    // The diagonal Gaussian: no posterior in the configuration (model.json unchanged).
    for (const posterior of [undefined, { flow: "none" as const }]) {
      const plain = new VAE({ inputSize: 4, hiddenSizes: [6], latentSize: 3, posterior });
      assert.ok(!("posterior" in plain.config));
      assert.equal(plain.config.klEstimator, "analytic");
      plain.dispose();
    }
  });

  await t.step("bad options are refused, naming the option and its value", () => {
    const make = (posterior: unknown, extra: Record<string, unknown> = {}) => () =>
      new VAE({ inputSize: 4, latentSize: 3, posterior, ...extra } as never);
    const cases: [() => unknown, ErrorConstructor, ...string[]][] = [
      [make({ flow: "maf" }), TypeError, "options.posterior.flow", '"maf"'],
      [make({}), TypeError, "options.posterior.flow"],
      [make("iaf"), TypeError, "options.posterior", "iaf"],
      [make({ flow: "iaf", layers: 0 }), RangeError, "options.posterior.layers", "0"],
      [make({ flow: "iaf", layers: 2.5 }), RangeError, "options.posterior.layers", "2.5"],
      [make({ flow: "iaf", layers: 33 }), RangeError, "options.posterior.layers", "33"],
      [make({ flow: "iaf", hiddenSizes: [] }), RangeError, "options.posterior.hiddenSizes", "[]"],
      [make({ flow: "iaf", hiddenSizes: [0] }), RangeError, "options.posterior.hiddenSizes"],
      [make({ flow: "iaf", contextSize: 0 }), RangeError, "options.posterior.contextSize", "0"],
      [make({ flow: "iaf", ctx: 3 }), TypeError, "options.posterior.ctx is not an option"],
      [make({ flow: "none", layers: 2 }), TypeError, "options.posterior.layers", 'flow "iaf"'],
      [
        make({ flow: "iaf" }, { klEstimator: "analytic" }),
        RangeError,
        'options.klEstimator "analytic"',
        "options.posterior",
        "monteCarlo",
      ],
    ];
    for (const [fn, type, ...fragments] of cases) assertThrowsNaming(fn, type, ...fragments);
  });
});

Deno.test("the IAF posterior's density", async (t) => {
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    await t.step(
      `${backend}: a new flow is the identity: the same loss as the diagonal Gaussian`,
      async () => {
        const batch = new Float32Array(X.flat());
        const flow = new VAE(TINY);
        const plain = new VAE({ ...TINY, posterior: undefined, klEstimator: "monteCarlo" });
        // The encoder's and decoder's weights are the same: the flow's seeds are its own.
        const n = plain.variables().length;
        for (const [i, v] of plain.variables().entries()) {
          assert.deepEqual(v.dataSync(), flow.variables()[i]!.dataSync(), v.name);
        }
        assert.ok(flow.variables().length > n);
        const [a, b] = [await flow.trainStep(batch), await plain.trainStep(batch)];
        assertClose(a.loss, b.loss, { abs: 1e-5, rel: 1e-5 });
        flow.dispose();
        plain.dispose();
      },
    );

    await t.step(
      `${backend}: log q(z|x) from the draw's pass = by inversion = by an autodiff Jacobian`,
      async () => {
        const vae = new VAE(TINY);
        perturbFlow(vae, 11);
        const x = tf.tensor2d(X);
        const q = vae.encode(x);
        assert.ok(q instanceof FlowPosterior);
        assert.deepEqual([q.batchShape, q.eventShape], [[3], [3]]);
        const { sample, logProb } = q.sampleAndLogProb(4, 7);
        assert.deepEqual([sample.shape, logProb.shape], [[4, 3, 3], [4, 3]]);
        // 1. The inverse pass: D network passes per step.
        const inverted = q.logProb(sample);
        assertAllClose(await inverted.data(), await logProb.data(), { abs: 1e-4, rel: 1e-4 });
        // 2. log N(z₀; μ, σ) − log |det ∂z/∂z₀|, the Jacobian by tfjs's autodiff of the map
        // (not the flow's own log-scale sum), its determinant in float64.
        const base = q.base as DiagNormal;
        const z0 = base.sample(4, 7);
        const f = (t0: tf.Tensor) => q.bijector.forward(t0);
        assertAllClose(await f(z0).data(), await sample.data(), { abs: 1e-5, rel: 1e-5 });
        const K = 3, rows = 12;
        const jac = Array.from(
          { length: K },
          (_, i) =>
            tf.grad((t0: tf.Tensor) =>
              tf.sum(tf.slice(tf.reshape(f(t0), [rows, K]), [0, i], [-1, 1]))
            )(
              z0,
            ).reshape([rows, K]).arraySync() as number[][],
        );
        const det3 = (m: number[][]) =>
          m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
          m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
          m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
        const baseLp = base.logProb(z0).dataSync(); // the event's sum already
        const expected = Array.from({ length: rows }, (_, r) => {
          const J = Array.from({ length: K }, (_, i) => jac[i]![r]!); // row i: ∂z_i/∂z₀
          return baseLp[r]! - Math.log(Math.abs(det3(J)));
        });
        assertAllClose(await logProb.data(), expected, { abs: 1e-3, rel: 1e-4 });
        // The flow moved q: its density is not the base's at z.
        const baseAtZ = base.logProb(sample).dataSync();
        assert.ok(baseAtZ.some((v, i) => Math.abs(v - logProb.dataSync()[i]!) > 0.05));
        tf.dispose([x, sample, logProb, inverted, z0]);
        q.dispose();
        vae.dispose();
      },
    );
  }
  await useBackend("cpu");
});

Deno.test("the IAF posterior's gradients", async (t) => {
  await useBackend("cpu");
  const x = tf.tensor2d(X);
  const seed = 3;
  await t.step(
    "a step's loss is −ELBO with the flow's density; hand-written dense = autodiff",
    async () => {
      const custom = new VAE(TINY), auto = new VAE({ ...TINY, denseGradient: "autodiff" });
      perturbFlow(custom, 21);
      perturbFlow(auto, 21);
      // The first step's loss, recomputed from the public distributions at the step's seed.
      const ours = negativeElbo(custom, x, deriveSeed(TINY.seed!, 1001));
      const { loss } = await custom.trainStep(new Float32Array(X.flat()));
      assertClose(loss, ours.dataSync()[0]!, { abs: 1e-5, rel: 1e-5 });
      ours.dispose();
      // Gradients of the same loss: the hand-written dense layers (with the context head) against
      // autodiff, at the same weights.
      custom.variables().forEach((v, i) => auto.variables()[i]!.assign(v));
      const gradsOf = (vae: VAE) => {
        const { value, grads } = tf.variableGrads(
          () => negativeElbo(vae, x, seed),
          vae.variables(),
        );
        const out = vae.variables().map((v) => Array.from(grads[v.name]!.dataSync()));
        tf.dispose([value, ...Object.values(grads)]);
        return out;
      };
      const [a, b] = [gradsOf(custom), gradsOf(auto)];
      a.forEach((g, i) => assertAllClose(g, b[i]!, { abs: 1e-5, rel: 1e-4 }));
      // Every flow variable and the context head get a gradient.
      custom.variables().forEach((v, i) => {
        if (/posterior|context/.test(v.name)) assert.ok(a[i]!.some((g) => g !== 0), v.name);
      });
      custom.dispose();
      auto.dispose();
    },
  );

  await t.step("the gradient matches central differences of the loss", () => {
    const vae = new VAE(TINY);
    perturbFlow(vae, 31);
    const vars = vae.variables();
    const { value, grads } = tf.variableGrads(() => negativeElbo(vae, x, seed), vars);
    value.dispose();
    const h = 1e-2;
    let checked = 0;
    for (const v of vars) {
      if (!/context|iaf1\/0\/kernel|iaf0\/1\/kernel/.test(v.name)) continue;
      const g = grads[v.name]!.dataSync(), w = v.dataSync().slice();
      // The three largest entries of the gradient (masked weights have none).
      const idx = Array.from(g.keys()).sort((i, j) => Math.abs(g[j]!) - Math.abs(g[i]!)).slice(
        0,
        3,
      );
      for (const i of idx) {
        const at = (d: number) => {
          const moved = w.slice();
          moved[i] = w[i]! + d;
          v.assign(tf.tensor(moved, v.shape));
          return tf.tidy(() => negativeElbo(vae, x, seed).dataSync()[0]!);
        };
        const fd = (at(h) - at(-h)) / (2 * h);
        v.assign(tf.tensor(w, v.shape));
        assertClose(g[i]!, fd, { abs: 2e-3, rel: 2e-2 });
        checked++;
      }
    }
    assert.ok(checked >= 9, `${checked} entries checked`);
    tf.dispose(Object.values(grads));
    vae.dispose();
  });
  x.dispose();
});

Deno.test("the evaluation uses the flow's density", async () => {
  await useBackend("cpu");
  const vae = new VAE(TINY);
  perturbFlow(vae, 41);
  const data = new Float32Array(X.flat());
  const k = 8;
  const ev = await vae.evaluate(data, { importanceSamples: k, seed: 2 });
  // The same draws (batch 0, block 0 of the evaluation's seeds), scored independently: log q by
  // inverting the flow, log p(x|z) and log p(z) from the model's distributions.
  const [elbo, logPx] = tf.tidy(() => {
    const x = tf.tensor2d(X);
    const q = vae.encode(x);
    const z = tf.slice(q.sample(64, deriveSeed(deriveSeed(2, 0), 0)), [0, 0, 0], [k, 3, 3]);
    const logW = tf.sub(
      tf.add(
        tf.reshape(vae.decode(tf.reshape(z, [-1, 3]) as tf.Tensor2D).logProb(tf.tile(x, [k, 1])), [
          k,
          3,
        ]),
        tf.sum(vae.prior.logProb(z), -1),
      ),
      q.logProb(z),
    );
    return [tf.mean(logW), tf.mean(tf.sub(tf.logSumExp(logW, 0), Math.log(k)))];
  });
  assertClose(ev.elbo, elbo.dataSync()[0]!, { abs: 1e-4, rel: 1e-5 });
  assertClose(ev.logLikelihood, logPx.dataSync()[0]!, { abs: 1e-4, rel: 1e-5 });
  assert.ok(Number.isFinite(ev.elbo) && ev.logLikelihood >= ev.elbo);
  assertClose(ev.elbo, -ev.reconstruction - ev.kl, { abs: 1e-4, rel: 1e-6 });
  assert.deepEqual(ev.klPerDimension, []);
  tf.dispose([elbo, logPx]);
  vae.dispose();
});

Deno.test("an IAF-VAE trains on MNIST digits, steadily in tensors, on cpu and wasm", async (t) => {
  const { train, test } = loadEmbeddedMnist();
  const testX = binarizeOnce(test, 7).subarray(0, 200 * 784);
  for (const backend of ["cpu", "wasm"] as const) {
    await useBackend(backend);
    await t.step(backend, async () => {
      const start = tf.memory().numTensors;
      const options = {
        inputSize: 784,
        hiddenSizes: [64],
        latentSize: 4,
        seed: 9,
        posterior: { flow: "iaf" as const },
      };
      const vae = new VAE(options);
      const batches = new Batches(train, { batchSize: 50, seed: 9, binarize: true });
      const before = await vae.evaluate(testX, { importanceSamples: 5 });
      const steps = backend === "cpu" ? 40 : 150;
      let after3 = 0;
      const losses: number[] = [];
      for (let s = 0; s < steps; s++) {
        losses.push((await vae.trainStep(batches.batch(0, s))).loss);
        if (s === 2) after3 = tf.memory().numTensors;
      }
      assert.equal(tf.memory().numTensors, after3, "the same tensors after step 3 and the last");
      const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
      assert.ok(
        mean(losses.slice(-10)) < mean(losses.slice(0, 10)) - 20,
        `${losses.slice(0, 3)} → ${losses.slice(-3)}`,
      );
      const ev = await vae.evaluate(testX, { importanceSamples: 5 });
      assert.ok(ev.elbo > before.elbo, `test ELBO ${before.elbo} → ${ev.elbo}`);
      assert.ok(Number.isFinite(ev.logLikelihood) && ev.logLikelihood >= ev.elbo);
      // embed, reconstruct and sample leave nothing behind.
      const x = tf.tensor2d(testX.subarray(0, 3 * 784), [3, 784]);
      const z = vae.embed(x);
      assert.deepEqual(z.shape, [3, 4]);
      tf.dispose([z, vae.reconstruct(x), vae.sample(2), x]);
      assert.equal(tf.memory().numTensors, after3);
      vae.dispose();
      assert.equal(tf.memory().numTensors, start, "dispose frees every tensor");
    });
  }
  await useBackend("cpu");
});

Deno.test("the IAF posterior with the other objectives and the convolutional networks", async () => {
  await useBackend("cpu");
  const batch = new Float32Array(X.flat());
  const objectives: Objective[] = [
    { kind: "beta", beta: 4 },
    { kind: "capacity", gamma: 10, maxCapacity: 5, annealSteps: 10 },
    { kind: "constrained", budget: 1 },
    { kind: "iwae", k: 3 },
  ];
  for (const objective of objectives) {
    const vae = new VAE({ ...TINY, objective });
    perturbFlow(vae, 51);
    for (let s = 0; s < 3; s++) {
      const r = await vae.trainStep(batch);
      assert.ok(Number.isFinite(r.loss), objective.kind);
      if (objective.kind !== "iwae") assert.ok(Number.isFinite(r.terms.kl!), objective.kind);
    }
    vae.dispose();
  }
  const conv = new VAE({
    inputSize: 256,
    network: "conv",
    hiddenSizes: [16],
    latentSize: 2,
    posterior: { flow: "iaf", layers: 1 },
  });
  const images = new Float32Array(2 * 256).map((_, i) => (i % 7 < 3 ? 1 : 0));
  const r = await conv.trainStep(images);
  assert.ok(Number.isFinite(r.loss));
  const zero = tf.zeros([1, 256]) as tf.Tensor2D, q = conv.encode(zero);
  assert.ok(q instanceof FlowPosterior);
  tf.dispose(zero);
  q.dispose();
  conv.dispose();
});

Deno.test("an IAF-VAE's checkpoint round-trips its flow; one without a flow still loads", async () => {
  await useBackend("cpu");
  const dir = await Deno.makeTempDir();
  const batch = new Float32Array(X.flat());
  const vae = new VAE(TINY);
  for (let s = 0; s < 3; s++) await vae.trainStep(batch);
  perturbFlow(vae, 61);
  await vae.save(`${dir}/iaf`);
  const json = JSON.parse(await Deno.readTextFile(`${dir}/iaf/model.json`));
  assert.deepEqual(json.modelTopology.config.posterior, vae.config.posterior);
  const names = json.weightsManifest[0].weights.map((w: { name: string }) => w.name);
  assert.ok(
    names.includes("posterior/iaf1/context/kernel") && names.includes("encoder/context/bias"),
  );
  const back = await VAE.load(`${dir}/iaf`);
  assert.deepEqual(back.config, vae.config);
  assert.equal(back.step, 3);
  const x = tf.tensor2d(X);
  const draw = (m: VAE) =>
    tf.tidy(() => {
      const q = m.encode(x) as FlowPosterior;
      const r = q.sampleAndLogProb(2, 4);
      return [...r.sample.dataSync(), ...r.logProb.dataSync()];
    });
  assert.deepEqual(draw(back), draw(vae));
  // Training on continues identically (Adam's state came back too).
  assert.equal((await back.trainStep(batch)).loss, (await vae.trainStep(batch)).loss);
  // A model without a flow: no posterior in model.json, and it loads.
  const plain = new VAE({ ...TINY, posterior: undefined });
  await plain.save(`${dir}/plain`);
  const plainJson = JSON.parse(await Deno.readTextFile(`${dir}/plain/model.json`));
  assert.ok(!("posterior" in plainJson.modelTopology.config));
  const plainBack = await VAE.load(`${dir}/plain`);
  const q = plainBack.encode(x);
  assert.ok(q instanceof DiagNormal);
  q.dispose();
  [vae, back, plain, plainBack].forEach((m) => m.dispose());
  x.dispose();
  await Deno.remove(dir, { recursive: true });
});
