import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Autoencoder, CheckpointError, VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { sha256Hex } from "../../lib/io/checksum.ts";

await useBackend("cpu");

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** A saved model's three files, to break one at a time and put back. */
class Folder {
  constructor(readonly dir: string, readonly files: Record<string, Uint8Array>) {}
  static async of(dir: string): Promise<Folder> {
    const files: Record<string, Uint8Array> = {};
    for (const f of ["model.json", "weights.bin", "optimizer.bin"]) {
      files[f] = await Deno.readFile(join(dir, f));
    }
    return new Folder(dir, files);
  }
  json(): Json {
    return JSON.parse(new TextDecoder().decode(this.files["model.json"]));
  }
  async reset(): Promise<void> {
    for (const [f, b] of Object.entries(this.files)) await Deno.writeFile(join(this.dir, f), b);
  }
  async writeJson(edit: (j: Json) => void): Promise<void> {
    const j = this.json();
    edit(j);
    await Deno.writeTextFile(join(this.dir, "model.json"), JSON.stringify(j));
  }
  /** Replaces a binary file, with its checksum updated, so only the content is wrong. */
  async writeBinary(file: string, bytes: Uint8Array, checksum = true): Promise<void> {
    await Deno.writeFile(join(this.dir, file), bytes);
    const hex = await sha256Hex(bytes);
    if (checksum) await this.writeJson((j) => (j.checksums[file] = hex));
  }
  floats(file: string): Float32Array {
    return new Float32Array(this.files[file]!.slice().buffer);
  }
}

/** Asserts that loading fails with a CheckpointError whose message names every fragment, and allocates nothing. */
async function assertRefused(dir: string, ...fragments: string[]): Promise<void> {
  const before = tf.memory().numTensors;
  await assert.rejects(
    () => VAE.load(dir),
    (e: unknown) => {
      assert.ok(e instanceof CheckpointError, `expected a CheckpointError, got ${e}`);
      for (const f of fragments) {
        assert.ok(e.message.includes(f), `"${e.message}" does not mention "${f}"`);
      }
      return true;
    },
  );
  assert.equal(tf.memory().numTensors, before, "a refused load leaves no tensor behind");
}

Deno.test("VAE.load checks a checkpoint completely before using any of it", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "ckpt #" });
  const vae = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 4 });
  for (let i = 0; i < 2; i++) await vae.trainStep(new Float32Array([1, 0, 1, 0, 0, 1, 0, 1]));
  await vae.save(dir);
  const folder = await Folder.of(dir);
  const model = join(dir, "model.json"), weights = join(dir, "weights.bin");
  const optimizer = join(dir, "optimizer.bin");
  const step = async (name: string, run: () => Promise<void>) => {
    await t.step(name, async () => {
      try {
        await run();
      } finally {
        await folder.reset();
      }
    });
  };

  await step("the files as saved load, and model.json carries a SHA-256 of each", async () => {
    const j = folder.json();
    assert.equal(j.checksums["weights.bin"], await sha256Hex(folder.files["weights.bin"]!));
    assert.equal(j.checksums["optimizer.bin"], await sha256Hex(folder.files["optimizer.bin"]!));
    (await VAE.load(dir)).dispose();
  });
  await step("a model.json without checksums (an older save) still loads", async () => {
    await folder.writeJson((j) => delete j.checksums);
    const back = await VAE.load(dir);
    assert.equal(back.step, 2);
    back.dispose();
  });
  await step("a truncated or missing optimizer.bin or weights.bin", async () => {
    await Deno.writeFile(optimizer, folder.files["optimizer.bin"]!.subarray(0, 10));
    await assertRefused(dir, optimizer, "holds 10 bytes", "corrupt or incomplete");
    await Deno.remove(optimizer);
    await assertRefused(dir, optimizer, "cannot be read");
    await folder.reset();
    await Deno.writeFile(weights, new Uint8Array(0));
    await assertRefused(dir, weights, "holds 0 bytes");
  });
  await step("a corrupt byte in optimizer.bin or weights.bin fails its checksum", async () => {
    for (const [file, path] of [["optimizer.bin", optimizer], ["weights.bin", weights]]) {
      const bytes = folder.files[file!]!.slice();
      bytes[bytes.length - 3]! ^= 0x10;
      await Deno.writeFile(path!, bytes);
      await assertRefused(dir, path!, "does not match its checksum");
      await folder.reset();
    }
  });
  await step("another model's weights.bin of the same shapes fails the checksum", async () => {
    const other = new VAE({ inputSize: 4, hiddenSizes: [3], latentSize: 2, seed: 5 });
    const otherDir = await Deno.makeTempDir();
    await other.save(otherDir);
    await Deno.copyFile(join(otherDir, "weights.bin"), weights);
    await assertRefused(dir, weights, "checksum");
    other.dispose();
    await Deno.remove(otherDir, { recursive: true });
  });
  await step("a weight file of the wrong dtype (float64) is too long", async () => {
    const f64 = new Float64Array(folder.floats("weights.bin"));
    await folder.writeBinary("weights.bin", new Uint8Array(f64.buffer));
    await assertRefused(dir, weights, "more than", "bytes");
  });
  await step("NaN or ∞ in a weight or an Adam moment, or a negative second moment", async () => {
    const w = folder.floats("weights.bin");
    w[3] = NaN;
    await folder.writeBinary("weights.bin", new Uint8Array(w.buffer));
    await assertRefused(dir, weights, "holds NaN", "encoder/0/kernel");
    await folder.reset();
    const o = folder.floats("optimizer.bin");
    o[5] = Infinity;
    await folder.writeBinary("optimizer.bin", new Uint8Array(o.buffer));
    await assertRefused(dir, optimizer, "Infinity");
    await folder.reset();
    const o2 = folder.floats("optimizer.bin");
    o2[o2.length - 1] = -1;
    await folder.writeBinary("optimizer.bin", new Uint8Array(o2.buffer));
    await assertRefused(dir, optimizer, "negative second moment");
  });
  await step("a manifest that lies about a dtype, a shape, a name or the count", async () => {
    const edits: [(j: Json) => void, string][] = [
      [(j) => (j.weightsManifest[0].weights[0].dtype = "int32"), "dtype"],
      [(j) => (j.weightsManifest[0].weights[1].shape = [4]), "weightsManifest[0].weights[1].shape"],
      [(j) => (j.weightsManifest[0].weights[0].name = "decoder/9/kernel"), "decoder/9/kernel"],
      [(j) => j.weightsManifest[0].weights.pop(), "entries"],
      [(j) => (j.weightsManifest[0].weights[0].quantization = { dtype: "uint8" }), "quantized"],
      [(j) => (j.weightsManifest = [j.weightsManifest[0], j.weightsManifest[0]]), "one group"],
      [(j) => (j.weightsManifest[0].paths = ["weights.bin", "weights.bin"]), "one file name"],
      [(j) => (j.optimizerManifest[0].weights[0].dtype = "float32"), "optimizerManifest"],
      [(j) => j.optimizerManifest[0].weights.pop(), "optimizerManifest"],
      [
        (j) => (j.optimizerManifest[0].weights[3].shape = [1, 1]),
        "optimizerManifest[0].weights[3]",
      ],
    ];
    for (const [edit, fragment] of edits) {
      await folder.writeJson(edit);
      await assertRefused(dir, model, fragment);
      await folder.reset();
    }
  });
  await step("a weight path that leaves the folder is refused", async () => {
    for (
      const path of [
        "../weights.bin",
        "/etc/passwd",
        "file:///etc/passwd",
        "http://127.0.0.1:9/weights.bin",
        "%2e%2e/weights.bin",
        "sub/weights.bin",
        "..",
        "",
      ]
    ) {
      await folder.writeJson((j) => (j.weightsManifest[0].paths = [path]));
      await assertRefused(dir, model, JSON.stringify(path), "may not leave");
      await folder.writeJson((j) => (j.optimizerManifest[0].paths = [path]));
      await assertRefused(dir, model, "optimizerManifest[0].paths[0]");
    }
  });
  await step("model.json: not JSON, not a model, another class, a bad configuration", async () => {
    const bad: [string, string][] = [
      ["{ not json", "not valid JSON"],
      ["[1, 2]", "not a saved model"],
      ['{"format": "layers-model"}', 'its format is "layers-model"'],
    ];
    for (const [text, fragment] of bad) {
      await Deno.writeTextFile(model, text);
      await assertRefused(dir, model, fragment);
    }
    await folder.reset();
    const edits: [(j: Json) => void, string][] = [
      [(j) => (j.modelTopology.class = "Autoencoder"), 'holds a "Autoencoder", not a VAE'],
      [(j) => (j.modelTopology.config.latentSize = -1), "latentSize"],
      [(j) => (j.modelTopology.config.latentSize = 3), "shape"],
      [(j) => (j.modelTopology.config.typo = 1), "options.typo is not an option"],
      [(j) => (j.modelTopology.config.objective = { kind: "iwae", k: 0 }), "objective.k"],
      [(j) => (j.trainingState.step = -1), "trainingState.step"],
      [(j) => (j.trainingState.step = "7"), "trainingState.step"],
      [(j) => (j.trainingState.beta = -2), "trainingState.beta"],
      [(j) => (j.trainingState.adamBeta1Power = 2), "adamBeta1Power"],
      [(j) => (j.checksums["weights.bin"] = "abc"), "SHA-256"],
      [(j) => delete j.checksums["optimizer.bin"], "none for optimizer.bin"],
    ];
    for (const [edit, fragment] of edits) {
      await folder.writeJson(edit);
      await assertRefused(dir, model, fragment);
      await folder.reset();
    }
  });
  await step("a missing folder, and the class check of Autoencoder.load", async () => {
    await assertRefused(join(dir, "nowhere"), "cannot be read");
    await assert.rejects(
      () => Autoencoder.load(dir),
      (e: unknown) => e instanceof CheckpointError && /not a Autoencoder/.test(e.message),
    );
  });
  vae.dispose();
  await Deno.remove(dir, { recursive: true });
});
