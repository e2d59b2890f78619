import assert from "node:assert/strict";
import { tf } from "../../lib/tensor/_tf.ts";
import { VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { dsprites, sampleFactors } from "../../disentanglement.ts";
import { createRng } from "../../mod.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

Deno.test("the convolutional VAE (Burgess et al. 2018) trains on wasm", async (t) => {
  await useBackend("wasm");
  const data = dsprites({ imageSize: 32 });
  const batch = data.render(sampleFactors(data, 32, createRng(3)));

  await t.step(
    "steps lower the loss; tensors steady; save and load give the same model",
    async () => {
      const start = tf.memory().numTensors;
      const vae = new VAE({ inputSize: 1024, network: "conv", latentSize: 10, seed: 2 });
      // Encoder: 4 convolutions, 1 dense layer of 256, two heads; the decoder mirrors it.
      const shapes = vae.variables().map((v) => v.shape);
      assert.deepEqual(shapes.slice(0, 8), [
        [4, 4, 1, 32],
        [32],
        [4, 4, 32, 32],
        [32],
        [4, 4, 32, 32],
        [32],
        [4, 4, 32, 32],
        [32],
      ]);
      assert.deepEqual(shapes.at(-2), [4, 4, 1, 32]); // the last transposed convolution, to 1 channel
      const losses: number[] = [];
      let count = 0;
      for (let i = 0; i < 12; i++) {
        losses.push((await vae.trainStep(batch)).loss);
        if (i === 2) count = tf.memory().numTensors;
      }
      assert.equal(tf.memory().numTensors, count);
      assert.ok(losses.every(Number.isFinite));
      assert.ok(losses.at(-1)! < 0.8 * losses[0]!, `${losses[0]} → ${losses.at(-1)}`);
      const dir = await Deno.makeTempDir();
      await vae.save(`${dir}/m`);
      const back = await VAE.load(`${dir}/m`);
      const x = tf.tensor2d(batch.subarray(0, 4 * 1024), [4, 1024]);
      const [a, b] = [vae.reconstruct(x), back.reconstruct(x)];
      assert.deepEqual(await a.data(), await b.data());
      tf.dispose([a, b, x]);
      vae.dispose();
      back.dispose();
      assert.equal(tf.memory().numTensors, start);
      await Deno.remove(dir, { recursive: true });
    },
  );

  await t.step("it needs square images whose side is a multiple of 16", () => {
    for (const inputSize of [784, 1000, 400]) {
      assertThrowsNaming(
        () => new VAE({ inputSize, network: "conv" }),
        RangeError,
        "inputSize must be the pixels of a square image whose side is a multiple of 16 (256, 1024",
      );
    }
    assertThrowsNaming(
      () => new VAE({ inputSize: 1024, network: "cnn" as "conv" }),
      TypeError,
      'options.network must be one of "mlp", "conv": current value is "cnn"',
    );
  });
});
