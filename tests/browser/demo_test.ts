// The page of `deno task demo`, used as a person would in headless Chromium:
// it trains on webgl and the loss falls; a latent slider moved with the
// keyboard changes the decoded digit; a fit of the banana raises the ELBO.
// Screenshots of the three views go to $ELBO_SCREENSHOTS (docs/figures for
// the docs) or a temporary folder, and the steps per second on webgl are
// printed beside those of the same model on wasm in Deno.
import assert from "node:assert/strict";
import { serveDemo } from "../../lib/tasks/demo.ts";
import { Batches, loadEmbeddedMnist, VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { HAS_CHROMIUM } from "./_chromium.ts";
import { openBrowser } from "./_cdp.ts";

/** Steps per second of the page's default model (784-256-2, batch 64) on wasm in Deno. */
async function wasmStepsPerSecond(): Promise<number> {
  await useBackend("wasm", { threads: 1 });
  const { train } = loadEmbeddedMnist();
  const batches = new Batches(train, { batchSize: 64, seed: 1, binarize: true });
  const vae = new VAE({ inputSize: 784, hiddenSizes: [256], latentSize: 2, seed: 1 });
  try {
    for (let i = 0; i < 10; i++) await vae.trainStep(batches.batch(0, i));
    const t0 = performance.now();
    for (let i = 10; i < 110; i++) await vae.trainStep(batches.batch(0, i));
    return 100_000 / (performance.now() - t0);
  } finally {
    vae.dispose();
    await useBackend("cpu");
  }
}

Deno.test({
  name: "deno task demo: train on webgl, explore with the keyboard, fit a posterior, in Chromium",
  ignore: !HAS_CHROMIUM,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const server = await serveDemo({ port: 0 });
    const shots = Deno.env.get("ELBO_SCREENSHOTS") ??
      await Deno.makeTempDir({ prefix: "elbo-demo-shots-" });
    const browser = await openBrowser(`${server.url}?train`);
    try {
      const data = <T = string>(key: string) =>
        browser.evaluate<T>(`document.body.dataset[${JSON.stringify(key)}]`);
      // Train: webgl, a falling loss, a few seconds of page time.
      await browser.waitFor("document.body.dataset.ready", 60_000, "the page to start");
      assert.equal(await data("backend"), "webgl");
      await browser.waitFor("Number(document.body.dataset.step) >= 40", 120_000, "40 steps");
      const [first, loss] = [Number(await data("firstLoss")), Number(await data("loss"))];
      assert.ok(loss < first - 20, `the loss fell from ${first} to ${loss} nats per digit`);
      const webgl = Number(await data("stepsPerSecond"));
      await Deno.writeFile(`${shots}/demo-train.png`, await browser.screenshot());

      // Explore: the first slider moved by the arrow keys changes the decoded digit.
      await browser.evaluate("document.getElementById('tab-explore').click()");
      await browser.waitFor("document.body.dataset.latent", 10_000, "the decoded digit");
      const image = () =>
        browser.evaluate<string>("document.getElementById('decoded').toDataURL()");
      const before = await image();
      await browser.evaluate("document.querySelector('#explore input[type=range]').focus()");
      for (let i = 0; i < 30; i++) await browser.press("ArrowRight", 39);
      await browser.waitFor(
        "document.body.dataset.latent.startsWith('1.50,')",
        10_000,
        "the slider at 1.5 (30 steps of 0.05)",
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.notEqual(await image(), before, "the decoded digit changed with the slider");
      await Deno.writeFile(`${shots}/demo-explore.png`, await browser.screenshot());

      // Fit: the full-rank surrogate's ELBO on the banana climbs towards −0.61.
      await browser.navigate(`${server.url}?fit=banana`);
      await browser.waitFor(
        "Number(document.body.dataset.fitStep) >= 300",
        120_000,
        "300 fit steps",
      );
      const [elbo0, elbo] = [Number(await data("firstFitElbo")), Number(await data("fitElbo"))];
      assert.ok(elbo > elbo0 + 1, `the ELBO rose from ${elbo0} to ${elbo}`);
      assert.ok(elbo > -1.2 && elbo < 0, `the ELBO ${elbo} is near full rank's −0.61`);
      await Deno.writeFile(`${shots}/demo-fit.png`, await browser.screenshot());

      // A flow in the playground: the IAF surrogate's ELBO climbs too.
      await browser.evaluate(`(() => {
        document.getElementById("fit-stop").click();
        document.getElementById("surrogate").value = "iaf";
        document.getElementById("fit-start").click();
      })()`);
      await browser.waitFor(
        "Number(document.body.dataset.fitStep) < 100",
        20_000,
        "the IAF fit to start",
      );
      await browser.waitFor(
        "Number(document.body.dataset.fitStep) >= 100",
        120_000,
        "100 IAF steps",
      );
      const [flow0, flowElbo] = [Number(await data("firstFitElbo")), Number(await data("fitElbo"))];
      assert.ok(flowElbo > flow0 + 1, `the IAF's ELBO rose from ${flow0} to ${flowElbo}`);
      await Deno.writeFile(`${shots}/demo-fit-flow.png`, await browser.screenshot());

      // The fallback: wasm in the page, asked for with ?backend=wasm, trains too.
      await browser.navigate(`${server.url}?train&backend=wasm`);
      await browser.waitFor("Number(document.body.dataset.step) >= 40", 60_000, "40 steps on wasm");
      assert.equal(await data("backend"), "wasm");
      assert.match(
        await browser.evaluate<string>("document.getElementById('backend').textContent"),
        /wasm/,
      );
      assert.ok(Number(await data("loss")) < Number(await data("firstLoss")) - 20);
      const pageWasm = Number(await data("stepsPerSecond"));
      console.log(
        `demo: ${webgl.toFixed(1)} steps/s on webgl in headless Chromium (SwiftShader), ${
          pageWasm.toFixed(1)
        } on wasm in the page, ${
          (await wasmStepsPerSecond()).toFixed(1)
        } on wasm in Deno (1 thread, no frames to yield to); loss ${first.toFixed(1)} → ${
          loss.toFixed(1)
        }; banana ELBO ${elbo0.toFixed(2)} → ${elbo.toFixed(3)} (full rank), ${
          flow0.toFixed(2)
        } → ${flowElbo.toFixed(3)} (IAF, 100 steps); screenshots in ${shots}`,
      );
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});

Deno.test({
  name: "deno task demo --model: a saved VAE opens in the Explore view",
  ignore: !HAS_CHROMIUM,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await useBackend("cpu");
    const dir = await Deno.makeTempDir({ prefix: "elbo-demo-model-" });
    const vae = new VAE({ inputSize: 784, hiddenSizes: [16], latentSize: 3, seed: 2 });
    await vae.save(`${dir}/model`);
    vae.dispose();
    // A run folder of train (model/ inside) is accepted as well as the model folder.
    const server = await serveDemo({ port: 0, model: dir });
    const browser = await openBrowser(server.url);
    try {
      await browser.waitFor("document.body.dataset.ready", 60_000, "the page to start");
      assert.equal(await browser.evaluate("document.body.dataset.view"), "explore");
      assert.equal(await browser.evaluate("document.body.dataset.latent"), "0.00,0.00,0.00");
      assert.equal(
        await browser.evaluate("document.querySelectorAll('#explore input[type=range]').length"),
        3,
      );
    } finally {
      await browser.close();
      await server.shutdown();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
