import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { Autoencoder, type DiagNormal, VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";

await useBackend("cpu");

const batch = new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]);
const makers = {
  VAE: () => new VAE({ inputSize: 4, hiddenSizes: [5], latentSize: 2, seed: 3 }),
  Autoencoder: () => new Autoencoder({ inputSize: 4, hiddenSizes: [5], latentSize: 2, seed: 3 }),
};
const loaders = { VAE: VAE.load, Autoencoder: Autoencoder.load };

/** Asserts that `run` leaves tfjs's tensor count and bytes where they were. */
async function assertNoLeak(what: string, run: () => Promise<void> | void): Promise<void> {
  const before = tf.memory();
  await run();
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors, `${what}: tensors`);
  assert.equal(after.numBytes, before.numBytes, `${what}: bytes`);
}

Deno.test("dispose() frees everything a model ever held", async (t) => {
  for (const [name, make] of Object.entries(makers)) {
    await t.step(`${name}: create, train, save, load, evaluate, dispose`, async () => {
      const dir = await Deno.makeTempDir();
      await assertNoLeak(`${name} create/dispose ×20`, () => {
        for (let i = 0; i < 20; i++) make().dispose();
      });
      await assertNoLeak(`${name} train/save/dispose`, async () => {
        const m = make();
        for (let i = 0; i < 3; i++) await m.trainStep(batch);
        await m.save(dir);
        await m.save(dir); // saving twice costs nothing either
        m.dispose();
      });
      await assertNoLeak(`${name} load/train/evaluate/dispose`, async () => {
        const m = await loaders[name as keyof typeof loaders](dir);
        await m.trainStep(batch);
        await m.evaluate(batch);
        const x = tf.tensor2d(batch, [2, 4]);
        tf.dispose([m.reconstruct(x), x]);
        const x1 = tf.zeros([1, 4]) as tf.Tensor2D, z = m.embed(x1);
        tf.dispose([m.decodeMean(z), z]);
        if (m instanceof VAE) {
          const q = m.encode(x1) as DiagNormal;
          const p = m.decode(q.loc as tf.Tensor2D);
          tf.dispose(m.sample(3));
          q.dispose(); // a distribution the model made frees all its tensors
          p.dispose();
          await m.evaluate(batch, { importanceSamples: 7, chunkSize: 3 });
        }
        x1.dispose();
        m.dispose();
      });
      await assertNoLeak(`${name} refused input`, async () => {
        const m = make();
        await assert.rejects(() => m.trainStep(new Float32Array([0, NaN, 0, 0])));
        const wrong = tf.zeros([1, 3]) as tf.Tensor2D;
        assert.throws(() => m.reconstruct(wrong));
        wrong.dispose();
        m.dispose();
      });
      await Deno.remove(dir, { recursive: true });
    });
  }
});

Deno.test("save() and load() take any folder name the system accepts", async (t) => {
  const root = await Deno.makeTempDir();
  const names = ["a#b", "a?b=c", "100%", "a%20b", "a b", "ünï/cödé", "x#y?z%41", "-lead", "%2e%2e"];
  const vae = new VAE({ inputSize: 4, hiddenSizes: [5], latentSize: 2, seed: 9 });
  await vae.trainStep(batch);
  const weights = vae.variables().map((v) => Array.from(v.dataSync()));
  const decoy = new VAE({ inputSize: 4, hiddenSizes: [5], latentSize: 2, seed: 10 });
  await decoy.save(root);
  for (const name of names) {
    await t.step(JSON.stringify(name), async () => {
      const dir = join(root, name);
      // A decoy where a URL built by concatenation points: "a#b/model.json"
      // resolves to the parent's model.json, "a%20b" to the folder "a b".
      if (name.includes("%20")) await decoy.save(join(root, name.replace("%20", " ")));
      await vae.save(dir);
      for (const from of [dir, pathToFileURL(dir), pathToFileURL(dir).href]) {
        const back = await VAE.load(from);
        assert.deepEqual(
          back.variables().map((v) => Array.from(v.dataSync())),
          weights,
          String(from),
        );
        assert.equal(back.step, 1);
        back.dispose();
      }
      // Saving to a file: URL writes the same folder.
      await Deno.remove(dir, { recursive: true });
      await vae.save(pathToFileURL(dir));
      const back = await VAE.load(dir);
      assert.deepEqual(back.variables().map((v) => Array.from(v.dataSync())), weights);
      back.dispose();
    });
  }
  await t.step("a relative path", async () => {
    const rel = relative(Deno.cwd(), join(root, "rel #1"));
    await vae.save(rel);
    const back = await VAE.load(rel);
    assert.deepEqual(back.variables().map((v) => Array.from(v.dataSync())), weights);
    back.dispose();
  });
  await t.step("bad folders: not a string or file: URL, or empty", async () => {
    for (const bad of [undefined, 5, {}, new URL("http://example.com/m")]) {
      await assert.rejects(() => vae.save(bad as never), TypeError);
    }
    await assert.rejects(() => vae.save(""), RangeError);
    await assert.rejects(() => VAE.load(""), RangeError);
    await assert.rejects(() => VAE.load(5 as never), TypeError);
  });
  vae.dispose();
  decoy.dispose();
  await Deno.remove(root, { recursive: true });
});
