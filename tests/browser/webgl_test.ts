// A model saved by Deno loads in a browser, and trains there on WebGL:
// headless Chromium (Debian's `chromium`, WebGL2 through SwiftShader) opens a
// page served from localhost that loads the bundled library, fetches the
// saved model, reconstructs fixed inputs and takes three training steps; the
// numbers must match the same work done in Deno on wasm.
import assert from "node:assert/strict";
import { binarizeOnce, loadEmbeddedMnist, useBackend, VAE } from "../../models.ts";
import { tf } from "../../lib/tensor/_tf.ts";
import { assertAllClose } from "../_tolerance.ts";

const CHROMIUM = "/usr/bin/chromium";

Deno.test("a saved VAE loads and trains in headless Chromium on the webgl backend", async () => {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  }
  const dir = await Deno.makeTempDir();
  const { test } = loadEmbeddedMnist();
  const bits = binarizeOnce(test, 3);
  const x = Array.from(test.images.subarray(0, 3 * 784));
  const batch = Array.from(bits.subarray(0, 20 * 784));

  // Deno, wasm: save the untrained model, then do the page's work on a copy.
  await useBackend("wasm");
  const saved = new VAE({ inputSize: 784, hiddenSizes: [32], latentSize: 2, seed: 5 });
  await saved.save(`${dir}/model`);
  saved.dispose();
  const here = await VAE.load(`${dir}/model`);
  const xr = tf.tensor2d(x, [3, 784]);
  const want = Array.from(await here.reconstruct(xr).data());
  const wantLosses: number[] = [];
  for (let i = 0; i < 3; i++) wantLosses.push((await here.trainStep(new Float32Array(batch))).loss);
  here.dispose();
  xr.dispose();

  // The page.
  const bundle = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--platform",
      "browser",
      "-o",
      `${dir}/app.js`,
      "tests/browser/webgl_entry.ts",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
  await Deno.writeTextFile(`${dir}/input.json`, JSON.stringify({ x, batch }));
  await Deno.writeTextFile(
    `${dir}/index.html`,
    '<!doctype html><meta charset="utf-8"><pre id="result">pending</pre><script type="module" src="app.js"></script>',
  );

  let deliver: (text: string) => void = () => {};
  const posted = new Promise<string>((resolve) => deliver = resolve);
  const types: Record<string, string> = {
    html: "text/html",
    js: "text/javascript",
    json: "application/json",
    bin: "application/octet-stream",
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "") || "index.html";
    if (req.method === "POST" && path === "result") {
      deliver(await req.text());
      return new Response("ok");
    }
    if (path.includes("..")) return new Response("no", { status: 400 });
    try {
      return new Response(await Deno.readFile(`${dir}/${path}`), {
        headers: { "content-type": types[path.split(".").pop()!] ?? "text/plain" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  const url = `http://127.0.0.1:${server.addr.port}/index.html`;
  const profile = await Deno.makeTempDir();
  const browser = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      `--user-data-dir=${profile}`,
      url,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const text = await Promise.race([
    posted,
    new Promise<string>((resolve) => timer = setTimeout(() => resolve("timeout"), 180_000)),
  ]);
  clearTimeout(timer);
  browser.kill("SIGKILL");
  const stderr = new TextDecoder().decode((await browser.output()).stderr);
  await server.shutdown();
  assert.ok(
    text.startsWith("{"),
    `the page did not report within 3 minutes:\n${stderr.slice(-2000)}`,
  );
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
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(profile, { recursive: true });
});
