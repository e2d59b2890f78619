import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Autoencoder, Batches, loadEmbeddedMnist } from "../../models.ts";
import { useBackend } from "../../tensor.ts";

Deno.test("Autoencoder", async (t) => {
  await useBackend("wasm");
  const { train, test } = loadEmbeddedMnist();
  await t.step("training lowers the test reconstruction error", async () => {
    const ae = new Autoencoder({ inputSize: 784, hiddenSizes: [128], latentSize: 16, seed: 1 });
    const before = (await ae.evaluate(test.images)).reconstruction;
    const b = new Batches(train, { batchSize: 100, seed: 1 });
    for (let i = 0; i < b.perEpoch; i++) await ae.trainStep(b.batch(0, i));
    const after = (await ae.evaluate(test.images)).reconstruction;
    assert.ok(after < before / 2, `${before} → ${after}`);
    ae.dispose();
  });
  await t.step("its one term is the squared error, and its report says so", async () => {
    const ae = new Autoencoder({ inputSize: 784, hiddenSizes: [16], latentSize: 4, seed: 3 });
    const batch = test.images.subarray(0, 10 * 784);
    const x = tf.tensor2d(batch, [10, 784]);
    const rec = ae.reconstruct(x);
    const want = (await tf.sum(tf.square(tf.sub(x, rec))).data())[0]! / 10;
    const r = await ae.trainStep(batch);
    assert.deepEqual(Object.keys(r.terms), ["reconstruction"]);
    assert.ok(Math.abs(r.terms.reconstruction! - want) < 1e-3 * want, `${r.terms.reconstruction}`);
    assert.equal(r.loss, r.terms.reconstruction);
    assert.deepEqual(ae.report.terms.map((q) => q.key), ["reconstruction"]);
    assert.equal(ae.report.generative, false);
    assert.equal(ae.sample, undefined);
    tf.dispose([x, rec]);
    ae.dispose();
  });
  await t.step("save then load gives identical outputs", async () => {
    const dir = await Deno.makeTempDir();
    const ae = new Autoencoder({ inputSize: 784, hiddenSizes: [32], latentSize: 4, seed: 2 });
    await ae.save(dir);
    const back = await Autoencoder.load(dir);
    const x = tf.tensor2d(test.images.subarray(0, 5 * 784), [5, 784]);
    assert.deepEqual(ae.reconstruct(x).dataSync(), back.reconstruct(x).dataSync());
    ae.dispose();
    back.dispose();
    await Deno.remove(dir, { recursive: true });
  });
});
