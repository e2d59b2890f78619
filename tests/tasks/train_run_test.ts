// train() in this process: what it checks before using a checkpoint, and what
// it keeps when the end of a run fails.
import assert from "node:assert/strict";
import {
  CheckpointError,
  DEFAULT_CONFIG,
  LockHeldError,
  train,
  type TrainConfig,
  UnfinishedRunError,
} from "../../train.ts";
import { writeTinyData } from "../data/_idx_files.ts";

/** Copies a folder and everything in it. */
async function copyFolder(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyFolder(`${from}/${e.name}`, `${to}/${e.name}`);
    else await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

/** The metrics of a result without their timings. */
function untimed(r: { metrics: object[]; final: object }): unknown {
  const drop = (m: object) => ({ ...m, seconds: 0, trainSeconds: 0, evalSeconds: 0 });
  return { metrics: r.metrics.map(drop), final: drop(r.final) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("train()", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "elbo-train-run-test-" });
  const config: TrainConfig = {
    ...DEFAULT_CONFIG,
    dataset: await writeTinyData(`${root}/data`),
    backend: "cpu",
    hiddenSizes: [16],
    latentSize: 2,
    batchSize: 20,
    epochs: 2,
    evalSamples: 3,
    seed: 3,
  };
  const out = `${root}/run`;

  await t.step("checks the configuration and out before touching the disk", async () => {
    await assert.rejects(
      () => train({ ...config, batchSize: 0 }, { out }),
      (e) =>
        e instanceof RangeError &&
        /config\.batchSize must be an integer in \[1, 1000000\]: current value is 0/.test(
          e.message,
        ),
    );
    await assert.rejects(
      () => train({ ...config, epochs: "3" as unknown as number }, { out }),
      (e) => e instanceof TypeError && /config\.epochs must be an integer/.test(e.message),
    );
    await assert.rejects(
      () => train({ ...config, backend: "toString" as "cpu" }, { out }),
      /config\.backend must be one of wasm, cpu, webgpu/,
    );
    await assert.rejects(() => train(config, { out: "" }), /out must name a folder/);
    assert.equal(await exists(out), false);
  });

  await t.step(
    "a failed final evaluation keeps the trained model; resuming evaluates it",
    async () => {
      const e = await train(config, {
        out,
        onProgress: (event) => {
          if (event.kind === "log" && event.line.startsWith("Evaluating")) {
            throw new Error("out of memory (simulated)");
          }
        },
      }).catch((e) => e);
      assert.ok(e instanceof UnfinishedRunError, String(e));
      assert.match(e.message, /out of memory \(simulated\) — training is complete and saved in/);
      assert.equal(e.checkpoint, `${out}/checkpoints/epoch-0002`);
      assert.equal(await exists(`${out}/run.lock`), false, "the lock is released");
      let epochs = 0;
      const r = await train(config, {
        out,
        resume: true,
        onProgress: (event) => void (event.kind === "epoch" && epochs++),
      });
      assert.equal(epochs, 0, "no epoch is trained again");
      assert.equal(r.model.step, 2 * 12);
      assert.equal(r.final.importanceSamples, 3);
      r.model.dispose();
    },
  );

  await t.step("a second train() on a folder in use is refused with the holder's pid", async () => {
    let second: Promise<unknown> | undefined;
    const r = await train({ ...config, epochs: 3 }, {
      out: `${root}/busy`,
      onProgress: (event) => {
        if (event.kind !== "epoch") return;
        second ??= train(config, { out: `${root}/busy`, resume: true }).catch((e) => e);
      },
    });
    r.model.dispose();
    const refused = await second;
    assert.ok(refused instanceof LockHeldError, String(refused));
    assert.match(refused.message, new RegExp(`pid ${Deno.pid}\\).*busy/run\\.lock`));
  });

  await t.step("a trainer.json that does not match its model is refused, naming both", async () => {
    const file = `${out}/checkpoints/epoch-0002/trainer.json`;
    const good = JSON.parse(await Deno.readTextFile(file));
    const metrics = await Deno.readTextFile(`${out}/metrics.jsonl`);
    const cases: [(s: Record<string, unknown>) => void, RegExp][] = [
      [
        (s) => (s.config as TrainConfig).latentSize = 20,
        /trainer\.json does not match .*model\.json: latentSize is 20 in trainer\.json but 2 in model\.json/,
      ],
      [
        (s) => (s.config as TrainConfig).hiddenSizes = [16, 16],
        /hiddenSizes is \[16,16\] in trainer\.json but \[16\]/,
      ],
      [(s) => (s.config as TrainConfig).model = "ae", /the model is "Autoencoder" in trainer/],
      [(s) => s.epoch = 9, /says epoch 9 is done, beyond the run's 2 epochs/],
      [(s) => s.metrics = "x", /metrics is not an array of 2/],
      [
        (s) => (s.metrics as Record<string, unknown>[])[1]!.trainLoss = "NaN",
        /metrics\[1\]\.trainLoss is not a finite number/,
      ],
      [
        (s) => (s.config as Record<string, unknown>).model = "gan",
        /invalid configuration: .*config\.model must be one of ae, vae, beta-vae/,
      ],
      [
        (s) => (s.config as Record<string, unknown>).epochs = "2",
        /invalid configuration: .*config\.epochs must be an integer/,
      ],
      [
        (s) => (s.config as Record<string, unknown>).extra = 1,
        /config\.extra is not an option \(choose from model, .*\): current value is 1/,
      ],
      [(s) => s.seconds = -1, /seconds is -1/],
      [(s) => (s.config as TrainConfig).batchSize = 10, /the step count is 48 in trainer/],
    ];
    for (const [edit, message] of cases) {
      const s = structuredClone(good);
      edit(s);
      await Deno.writeTextFile(file, JSON.stringify(s));
      const e = await train(config, { out, resume: true }).catch((e) => e);
      assert.ok(e instanceof CheckpointError, `${message}: ${e}`);
      assert.match(e.message, message);
      assert.ok(e.message.includes(file), e.message);
    }
    await Deno.writeTextFile(file, JSON.stringify(good));
    assert.equal(await Deno.readTextFile(`${out}/metrics.jsonl`), metrics, "nothing rewritten");
  });

  await t.step(
    "a trainer.json an earlier version wrote, without the settings added since, resumes as they had it",
    async () => {
      // The configuration's keys as trainer.json held them, in their order: before --network
      // (and --blas, --score-points, --score-trees), and before --posterior and --flow-layers.
      const common = ["model", "latentSize", "hiddenSizes"];
      const older: Record<string, string[]> = {
        "before-network": [
          ...common,
          ...["likelihood", "klEstimator", "importanceSamples", "beta", "dualStepSize", "epochs"],
          ...["batchSize", "learningRate", "backend", "threads", "seed", "dataset", "trainSize"],
          "evalSamples",
        ],
        "before-posterior": [
          ...common,
          ...["network", "likelihood", "klEstimator", "importanceSamples", "beta"],
          ...["dualStepSize", "epochs", "batchSize", "learningRate", "backend", "threads"],
          ...["blas", "seed", "dataset", "trainSize", "evalSamples", "scorePoints", "scoreTrees"],
        ],
      };
      const good = JSON.parse(
        await Deno.readTextFile(`${out}/checkpoints/epoch-0002/trainer.json`),
      );
      // What a third epoch gives from this version's trainer.json.
      await copyFolder(out, `${root}/now`);
      const want = await train({ ...config, epochs: 3 }, { out: `${root}/now`, resume: true });
      want.model.dispose();
      for (const [version, keys] of Object.entries(older)) {
        const dir = `${root}/${version}`;
        await copyFolder(out, dir);
        const config0 = Object.fromEntries(keys.map((k) => [k, good.config[k]]));
        await Deno.writeTextFile(
          `${dir}/checkpoints/epoch-0002/trainer.json`,
          JSON.stringify({ ...good, config: config0 }),
        );
        const got = await train({ ...config, epochs: 3 }, { out: dir, resume: true });
        got.model.dispose();
        assert.deepEqual(untimed(got), untimed(want), version);
        const saved = JSON.parse(
          await Deno.readTextFile(`${dir}/checkpoints/epoch-0003/trainer.json`),
        ).config;
        assert.deepEqual(
          [saved.network, saved.posterior, saved.flowLayers, saved.flowHidden],
          ["mlp", "diagonal", 2, undefined],
          version,
        );
      }
      // A field that was always written is still required.
      const third = `${root}/now/checkpoints/epoch-0003/trainer.json`;
      const state = JSON.parse(await Deno.readTextFile(third));
      delete state.config.latentSize;
      await Deno.writeTextFile(third, JSON.stringify(state));
      await assert.rejects(
        () => train({ ...config, epochs: 3 }, { out: `${root}/now`, resume: true }),
        (e) =>
          e instanceof CheckpointError &&
          /config\.latentSize must be an integer .*: current value is undefined/.test(e.message),
      );
    },
  );

  await Deno.remove(root, { recursive: true });
});
