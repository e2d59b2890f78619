import assert from "node:assert/strict";
import { binarizeOnce, loadEmbeddedMnist, VAE } from "../../models.ts";
import { useBackend } from "../../models.ts";
import { runTask } from "./_run.ts";

const SMALL = [
  "--backend",
  "cpu",
  "--hidden",
  "48",
  "--latent",
  "2",
  "--epochs",
  "3",
  "--train-size",
  "3000",
  "--eval-samples",
  "5",
  "--seed",
  "7",
];

async function finalLine(dir: string): Promise<Record<string, unknown>> {
  const lines = (await Deno.readTextFile(`${dir}/metrics.jsonl`)).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  const final = lines.at(-1);
  assert.equal(final.kind, "final");
  delete final.trainSeconds;
  delete final.evalSeconds;
  return final;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("deno task train", async (t) => {
  const root = await Deno.makeTempDir();

  await t.step("--help describes every option with its default", async () => {
    const r = await runTask("lib/tasks/train.ts", ["--help"]);
    assert.equal(r.code, 0);
    for (
      const o of [
        "--model",
        "--beta",
        "--capacity",
        "--kl-budget",
        "--latent",
        "--hidden",
        "--likelihood",
        "--kl-estimator",
        "--importance-samples",
        "--epochs",
        "--batch-size",
        "--learning-rate",
        "--backend",
        "--dataset",
        "--seed",
        "--out",
        "--resume",
      ]
    ) {
      assert.ok(r.stdout.includes(o), o);
    }
    assert.match(r.stdout, /default 30/);
  });

  await t.step(
    "unknown or malformed options get a message and the usage, no stack trace",
    async () => {
      for (
        const [args, msg] of [
          [["--epoch", "3"], /Unknown option '--epoch'/],
          [["--epochs", "three"], /--epochs must be an integer ≥ 1: got "three"/],
          [["--model", "gan"], /--model must be one of ae, vae, beta-vae: got "gan"/],
          [["--capacity", "25"], /--capacity must be C,E or C,E,G/],
          [["--kl-budget", "5"], /need --model beta-vae/],
          [["--backend", "tpu"], /--backend must be one of wasm, cpu, webgpu/],
          [
            ["--learning-rate", "-1"],
            /--learning-rate needs a value; write a value that starts with "-" as --learning-rate=VALUE/,
          ],
          [["--learning-rate=-1"], /--learning-rate must be a number > 0: got "-1"/],
        ] as const
      ) {
        const r = await runTask("lib/tasks/train.ts", [...args, "--out", `${root}/bad`]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, msg);
        assert.match(r.stderr, /Usage: deno task train/);
        assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
      }
      const r = await runTask("lib/tasks/train.ts", [
        "--dataset",
        `${root}/nowhere`,
        "--out",
        `${root}/bad2`,
        "--backend",
        "cpu",
      ]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /Cannot find train-images-idx3-ubyte/);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    },
  );

  await t.step("--resume after a kill mid-epoch reaches the same final metrics (cpu)", async () => {
    const straight = `${root}/straight`, killed = `${root}/killed`;
    const a = await runTask("lib/tasks/train.ts", [...SMALL, "--out", straight]);
    assert.equal(a.code, 0, a.stderr);

    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "lib/tasks/train.ts",
        ...SMALL,
        "--out",
        killed,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Wait for the first checkpoint, then kill the process inside epoch 2.
    const deadline = Date.now() + 120_000;
    while (!(await exists(`${killed}/checkpoints/latest`)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    const status = await child.status;
    assert.equal(status.success, false);
    const before = (await Deno.readTextFile(`${killed}/checkpoints/latest`)).trim();
    assert.notEqual(before, "epoch-0003", "the kill came too late to test a resume");
    assert.ok(!(await Deno.readTextFile(`${killed}/metrics.jsonl`)).includes('"final"'));

    const b = await runTask("lib/tasks/train.ts", ["--resume", "--out", killed]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /Resuming .* from the end of epoch [12]/);
    assert.deepEqual(await finalLine(killed), await finalLine(straight));
  });

  await t.step("the report's numbers match model.evaluate on the saved model", async () => {
    const dir = `${root}/straight`;
    const final = await finalLine(dir);
    const report = await Deno.readTextFile(`${dir}/report.md`);
    assert.ok(report.includes((final.elbo as number).toFixed(2)));
    assert.ok(report.includes((final.logLikelihood as number).toFixed(2)));
    for (
      const f of [
        "report.html",
        "loss.svg",
        "kl.svg",
        "reconstructions.png",
        "samples.png",
        "traversals.png",
        "latent.svg",
        "model/model.json",
      ]
    ) {
      assert.ok(await exists(`${dir}/${f}`), f);
    }
    await useBackend("cpu");
    const vae = await VAE.load(`${dir}/model`);
    const ev = await vae.evaluate(binarizeOnce(loadEmbeddedMnist().test, 0), {
      importanceSamples: 5,
    });
    assert.equal(ev.elbo, final.elbo);
    assert.equal(ev.logLikelihood, final.logLikelihood);
    assert.deepEqual(ev.klPerDimension, final.klPerDimension);
    vae.dispose();
  });

  await t.step(
    "a corrupt or missing checkpoint gives a clear error and overwrites nothing",
    async () => {
      const dir = `${root}/straight`;
      const metrics = await Deno.readTextFile(`${dir}/metrics.jsonl`);
      await Deno.writeTextFile(`${dir}/checkpoints/latest`, "garbage\u0000");
      let r = await runTask("lib/tasks/train.ts", ["--resume", "--out", dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /checkpoints\/latest is corrupt/);
      await Deno.writeTextFile(`${dir}/checkpoints/latest`, "epoch-0003");
      await Deno.writeTextFile(`${dir}/checkpoints/epoch-0003/model.json`, "{");
      r = await runTask("lib/tasks/train.ts", ["--resume", "--out", dir, "--epochs", "4"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not valid JSON.*corrupt/);
      r = await runTask("lib/tasks/train.ts", ["--resume", "--out", `${root}/empty`]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /holds no completed checkpoint/);
      assert.equal(await Deno.readTextFile(`${dir}/metrics.jsonl`), metrics);
      r = await runTask("lib/tasks/train.ts", [...SMALL, "--out", dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /already holds a run: pass --resume/);
    },
  );

  await Deno.remove(root, { recursive: true });
});
