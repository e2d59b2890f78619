// `deno task demo` as a user runs it: it serves the page and everything the
// page loads from 127.0.0.1, and refuses bad options, a missing model and a
// taken port with one line each. (The page itself is tested in Chromium:
// tests/browser/demo_test.ts.)
import assert from "node:assert/strict";
import { permissionsOf, ROOT, runTask } from "./_run.ts";

const demo = (args: string[]) => runTask("lib/tasks/demo.ts", args, { permissionsOf: "demo" });

Deno.test("deno task demo serves the page, the digits and tfjs-wasm's binaries", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissionsOf("demo"), `${ROOT}lib/tasks/demo.ts`, "--port", "0"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  try {
    // The address line, once the page is bundled.
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const deadline = Date.now() + 120_000;
    while (!/elbo demo: (\S+)/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const url = text.match(/elbo demo: (http:\/\/127\.0\.0\.1:\d+\/)/)?.[1];
    assert.ok(url, `no address printed: ${text}`);
    const get = async (path: string) => {
      const r = await fetch(url + path);
      assert.equal(r.status, 200, path);
      return {
        type: r.headers.get("content-type") ?? "",
        body: new Uint8Array(await r.arrayBuffer()),
      };
    };
    const page = new TextDecoder().decode((await get("")).body);
    assert.match(page, /<script type="module" src="app.js">/);
    assert.match(page, /"mnist":".\/no-digits.js"/);
    const app = await get("app.js");
    assert.ok(
      app.body.length > 500_000 && app.body.length < 5_000_000,
      `app.js is ${app.body.length} bytes`,
    );
    const train = await get("digits-train.bin"), test = await get("digits-test.bin");
    const count = (b: Uint8Array) => new DataView(b.buffer).getUint32(0, true);
    assert.deepEqual([count(train.body), count(test.body)], [9000, 1000]);
    assert.equal(test.body.length, 4 + 1000 + 1000 * 784);
    assert.equal((await get("tfjs-backend-wasm-simd.wasm")).type, "application/wasm");
    assert.deepEqual(JSON.parse(new TextDecoder().decode((await get("config.json")).body)), {
      model: null,
    });
    assert.equal((await fetch(url + "../../etc/passwd")).status, 404);
    await reader.cancel();
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stderr.cancel();
  }
});

Deno.test("deno task demo refuses what it cannot serve, in one line", async (t) => {
  await t.step("--help lists --port and --model, and no --out", async () => {
    const r = await demo(["--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--port N/);
    assert.match(r.stdout, /--model DIR/);
    assert.doesNotMatch(r.stdout, /--out/);
  });
  await t.step("a bad option is a usage error", async () => {
    for (const args of [["--port", "70000"], ["--out", "x"], ["--port=-1"]]) {
      const r = await demo(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.stderr, /^error: /);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    }
  });
  await t.step("a missing model, or a folder without one, is named", async () => {
    const dir = await Deno.makeTempDir();
    const missing = await demo(["--model", `${dir}/nothing`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: --model .*nothing: no such folder\n$/);
    const empty = await demo(["--model", dir]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no model\.json in it or in its model\/ folder/);
    await Deno.writeTextFile(`${dir}/model.json`, "{ not json");
    const broken = await demo(["--model", dir]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /^error: --model /);
    assert.doesNotMatch(broken.stderr, /at .*\.ts:\d+/);
    await Deno.remove(dir, { recursive: true });
  });
  await t.step("a taken port is named, with the option that picks another", async () => {
    const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const r = await demo(["--port", String(taken.addr.port)]);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`port ${taken.addr.port} on 127.0.0.1 is in use: pick another with --port N`),
      );
    } finally {
      taken.close();
    }
  });
});
