// A model saved by Deno loads in a browser, and trains there on WebGL:
// headless Chromium (Debian's `chromium`, WebGL2 through SwiftShader) opens a
// page served from localhost that loads the bundled library, fetches the
// saved model, reconstructs fixed inputs and takes three training steps; the
// numbers must match the same work done in Deno on wasm.
import assert from "node:assert/strict";
import { binarizeOnce, loadEmbeddedMnist, VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { assertAllClose } from "../_tolerance.ts";
import { HAS_CHROMIUM, runPage } from "./_chromium.ts";

Deno.test({
  name: "a saved VAE loads and trains in headless Chromium on the webgl backend",
  ignore: !HAS_CHROMIUM,
  fn: async () => {
    const { test } = loadEmbeddedMnist();
    const bits = binarizeOnce(test, 3);
    const x = Array.from(test.images.subarray(0, 3 * 784));
    const batch = Array.from(bits.subarray(0, 20 * 784));

    // Deno, wasm: save the untrained model, then do the page's work on a copy.
    await useBackend("wasm");
    const saved = new VAE({ inputSize: 784, hiddenSizes: [32], latentSize: 2, seed: 5 });
    const dir = await Deno.makeTempDir();
    await saved.save(`${dir}/model`);
    saved.dispose();
    const here = await VAE.load(`${dir}/model`);
    const xr = tf.tensor2d(x, [3, 784]);
    const want = Array.from(await here.reconstruct(xr).data());
    const wantLosses: number[] = [];
    for (let i = 0; i < 3; i++) {
      wantLosses.push((await here.trainStep(new Float32Array(batch))).loss);
    }
    here.dispose();
    xr.dispose();

    // The page: the saved model's files and the inputs, served next to it.
    const files: Record<string, Uint8Array | string> = {
      "input.json": JSON.stringify({ x, batch }),
    };
    for await (const f of Deno.readDir(`${dir}/model`)) {
      files[`model/${f.name}`] = await Deno.readFile(`${dir}/model/${f.name}`);
    }
    await Deno.remove(dir, { recursive: true });
    const text = await runPage({ entry: "tests/browser/webgl_entry.ts", files });
    const page = JSON.parse(text);
    assert.ok(!page.error, page.error);
    assert.equal(page.backend, "webgl");
    console.log(
      `webgl renderer: ${page.renderer}; losses ${
        page.losses.map((l: number) => l.toFixed(4)).join(", ")
      } (wasm: ${wantLosses.map((l) => l.toFixed(4)).join(", ")})`,
    );
    assertAllClose(
      page.reconstruction,
      want,
      { abs: 2e-3, rel: 1e-3 },
      "reconstruction on webgl vs wasm",
    );
    assertAllClose(
      page.losses,
      wantLosses,
      { abs: 1e-2, rel: 1e-3 },
      "training losses on webgl vs wasm",
    );
  },
});
