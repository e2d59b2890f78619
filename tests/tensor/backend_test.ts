import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { type DiagNormal, VAE } from "../../models.ts";
import { BackendError, MAX_WASM_THREADS, useBackend } from "../../tensor.ts";
import { assertAllClose } from "../_tolerance.ts";

Deno.test("useBackend()", async (t) => {
  await t.step("an unknown backend gets a clear BackendError", async () => {
    await assert.rejects(
      () => useBackend("tpu" as never),
      (e: unknown) =>
        e instanceof BackendError && /Unknown backend "tpu"/.test(e.message) &&
        /wasm/.test(e.message),
    );
  });
  await t.step(
    "only the names in BACKENDS are backends: not prototype keys, not non-strings",
    async () => {
      await useBackend("cpu");
      for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty", "CPU", ""]) {
        await assert.rejects(
          () => useBackend(name as never),
          (e: unknown) =>
            e instanceof BackendError &&
            e.message.includes(`Unknown backend ${JSON.stringify(name)}`),
          name,
        );
      }
      for (const name of [undefined, null, 1, {}, ["cpu"], { toString: () => "cpu" }]) {
        await assert.rejects(
          () => useBackend(name as never),
          (e: unknown) =>
            e instanceof TypeError && /useBackend as name must be a string/.test(e.message),
        );
      }
      assert.equal(tf.getBackend(), "cpu");
    },
  );
  await t.step(
    "wasm threads above MAX_WASM_THREADS (8) are refused, naming the value and the limit",
    async () => {
      assert.equal(MAX_WASM_THREADS, 8);
      for (const threads of [9, 16, 256]) {
        await assert.rejects(
          () => useBackend("wasm", { threads }),
          (e: unknown) =>
            e instanceof RangeError && e.message.includes("in [1, 8]") &&
            e.message.includes("runs at most 8") &&
            e.message.endsWith(`current value is ${threads}`),
          String(threads),
        );
      }
    },
  );
  await t.step("webgpu without WebGPU says how to get it", async () => {
    if ((globalThis.navigator as { gpu?: unknown }).gpu) return; // WebGPU is there: webgpu_test.ts covers it
    await assert.rejects(
      () => useBackend("webgpu"),
      (e: unknown) =>
        e instanceof BackendError && /--unstable-webgpu|--backend wasm/.test(e.message),
    );
  });
  await t.step("webgl outside a browser says so", async () => {
    await assert.rejects(
      () => useBackend("webgl"),
      (e: unknown) => e instanceof BackendError && /browser/.test(e.message),
    );
  });
  await t.step("tfjs prints no banner on start-up", async () => {
    const code =
      'import { VAE } from "./models.ts"; import { useBackend } from "./tensor.ts"; await useBackend("cpu"); const v = new VAE({ inputSize: 4, hiddenSizes: [4], latentSize: 1 }); await v.trainStep(new Float32Array([1, 0, 1, 0])); await useBackend("wasm"); await v.trainStep(new Float32Array([1, 0, 1, 0])); console.log("done");';
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", code],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const all = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, all);
    assert.equal(all.trim(), "done");
  });
  await t.step("wasm starts offline and agrees with cpu on a VAE's forward pass", async () => {
    const x = tf.tensor2d(Array.from({ length: 3 * 784 }, (_, i) => (i % 7) / 7), [3, 784]);
    const run = async (name: "cpu" | "wasm") => {
      assert.equal(await useBackend(name), name);
      const vae = new VAE({ inputSize: 784, hiddenSizes: [64], latentSize: 4, seed: 3 });
      const q = vae.encode(tf.clone(x)) as DiagNormal;
      const mean = vae.decodeMean(q.loc as tf.Tensor2D);
      const out = [...q.loc.dataSync(), ...q.scale.dataSync(), ...mean.dataSync()];
      q.dispose();
      mean.dispose();
      vae.dispose();
      return out;
    };
    const cpu = await run("cpu");
    const wasm = await run("wasm");
    assertAllClose(wasm, cpu, { abs: 1e-5, rel: 1e-4 });
    await useBackend("cpu");
  });
});
