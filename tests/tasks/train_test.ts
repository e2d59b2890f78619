import assert from "node:assert/strict";
import { binarizeOnce, loadEmbeddedMnist, VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { writeTinyData } from "../data/_idx_files.ts";
import { runTask } from "./_run.ts";
import { assertRuntimeError, exists, finalLine, TASK, tiny } from "./_train.ts";

Deno.test("deno task train", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "elbo-train-test-" });
  const data = await writeTinyData(`${root}/data`);

  await t.step("--help describes every option with its default", async () => {
    const r = await runTask(TASK, ["--help"]);
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
        "--eval-samples",
        "--out",
        "--resume",
      ]
    ) {
      assert.ok(r.stdout.includes(o), o);
    }
    assert.match(r.stdout, /default 30/);
  });

  await t.step(
    "a usage error prints one line and the usage, exit 2, no stack trace",
    async () => {
      const cases = [
        [["--epoch", "3"], /Unknown option '--epoch'/],
        [
          ["--epochs", "three"],
          /--epochs must be an integer in \[1, 1000000\]: got "three"/,
        ],
        [["--model", "gan"], /--model must be one of ae, vae, beta-vae: got "gan"/],
        [["--capacity", "25"], /--capacity must be C,E or C,E,G/],
        [["--kl-budget", "5"], /--kl-budget applies only to --model beta-vae/],
        [["--backend", "tpu"], /--backend must be one of wasm, cpu, webgpu/],
        [
          ["--learning-rate", "-1"],
          /--learning-rate needs a value; write a value that starts with "-" as --learning-rate=VALUE/,
        ],
        [["--learning-rate=-1"], /--learning-rate must be a finite number > 0: got "-1"/],
        [
          ["--seed", "1e20"],
          /--seed must be an integer ≥ 0: got "1e20" \(whole numbers are written with the digits 0–9\)/,
        ],
        [["--out", ""], /--out must name a folder: got ""/],
        [
          ["--resume", "--eval-samples", "0"],
          /--eval-samples must be an integer in \[1, 100000\]: got "0"/,
        ],
        [["--resume", "--latent", "3"], /--resume keeps the run's configuration: drop --latent/],
      ] as const;
      await Promise.all(cases.map(async ([args, msg]) => {
        const full: string[] = (args as readonly string[]).includes("--out")
          ? [...args]
          : [...args, "--out", `${root}/bad`];
        const r = await runTask(TASK, full);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        const [first, blank, usage] = r.stderr.split("\n");
        assert.match(first!, /^error: /);
        assert.match(first!, msg);
        assert.equal(blank, "");
        assert.match(usage!, /^Usage: deno task train/);
        assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/);
      }));
      assert.equal(await exists(`${root}/bad`), false, "a refused run creates nothing");
    },
  );

  await t.step("a runtime error prints one line, exit 1, and creates no folder", async () => {
    await Deno.writeTextFile(`${root}/a-file`, "not a folder");
    const odd = await writeTinyData(`${root}/odd`, { testSize: [9, 8] });
    const short = await writeTinyData(`${root}/short`, { trainLabels: 239 });
    const cases: [string[], RegExp][] = [
      [tiny(data, "--out", `${root}/a-file`), /a-file is a file, not a folder/],
      [tiny(data, "--out", `${root}/a-file/run`), /a-file/],
      [tiny(`${root}/nowhere`, "--out", `${root}/r1`), /Cannot find train-images-idx3-ubyte/],
      [
        tiny(odd, "--out", `${root}/r2`),
        /differ in size: .*train-images-idx3-ubyte holds 8 × 8 images but .*t10k-images-idx3-ubyte holds 9 × 8/,
      ],
      [tiny(short, "--out", `${root}/r3`), /240 images but 239 labels/],
      [
        tiny(data, "--batch-size", "500", "--out", `${root}/r4`),
        /batchSize must be at most the 240 training images in use: current value is 500/,
      ],
      [
        tiny(data, "--train-size", "1000", "--out", `${root}/r5`),
        /trainSize must be at most the 240 training images/,
      ],
      [
        tiny(data, "--importance-samples", "100000", "--out", `${root}/r6`),
        /importanceSamples 100000: .*needs activations of/,
      ],
    ];
    await Promise.all(cases.map(async ([args, message]) => {
      assertRuntimeError(await runTask(TASK, args), message);
    }));
    for (const r of ["r1", "r2", "r3", "r4", "r5", "r6"]) {
      assert.equal(await exists(`${root}/${r}`), false, r);
    }
    await Deno.mkdir(`${root}/home`);
    await Deno.writeTextFile(`${root}/home/notes.txt`, "mine");
    assertRuntimeError(
      await runTask(TASK, tiny(data, "--out", `${root}/home`)),
      /home holds "notes.txt", which no train run writes/,
    );
  });

  await t.step("the report's numbers match model.evaluate on the saved model", async () => {
    const dir = `${root}/mnist`;
    const r = await runTask(TASK, [
      "--backend",
      "cpu",
      "--hidden",
      "48",
      "--latent",
      "2",
      "--epochs",
      "1",
      "--train-size",
      "600",
      "--eval-samples",
      "5",
      "--out",
      dir,
    ]);
    assert.equal(r.code, 0, r.stderr);
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
    "a test set smaller than the report's grids, and many latent dimensions",
    async () => {
      const few = await writeTinyData(`${root}/few`, { test: 7 });
      const dir = `${root}/few-run`;
      const r = await runTask(TASK, tiny(few, "--latent", "20", "--epochs", "1", "--out", dir));
      assert.equal(r.code, 0, r.stderr);
      const report = await Deno.readTextFile(`${dir}/report.md`);
      assert.match(report, /The 16 dimensions with the most KL/);
      for (const f of ["reconstructions.png", "traversals.png"]) {
        assert.ok(
          await exists(`${dir}/${f}`),
        );
      }
    },
  );

  await t.step("a non-finite step names the real checkpoint, or says there is none", async () => {
    const r = await runTask(
      TASK,
      tiny(data, "--learning-rate", "1e30", "--out", `${root}/nan`),
    );
    assertRuntimeError(r, /Training step \d+: .*; no epoch was completed, so nothing was saved/);
    // A checkpoint whose learning rate was raised (in both of its files) fails after epoch 1.
    const dir = `${root}/nan-later`;
    const first = await runTask(TASK, tiny(data, "--epochs", "1", "--out", dir));
    assert.equal(first.code, 0, first.stderr);
    for (const file of ["trainer.json", "model.json"]) {
      const path = `${dir}/checkpoints/epoch-0001/${file}`;
      const json = JSON.parse(await Deno.readTextFile(path));
      const config = file === "model.json" ? json.modelTopology.config : json.config;
      config.learningRate = 100;
      if (file === "trainer.json") config.epochs = 3;
      await Deno.writeTextFile(path, JSON.stringify(json));
    }
    assertRuntimeError(
      await runTask(TASK, ["--resume", "--out", dir]),
      /became NaN.*the last complete epoch is saved in .*nan-later\/checkpoints\/epoch-0001; resuming it/,
    );
  });

  await t.step(
    "any folder name the OS accepts round-trips through train, --resume and VAE.load",
    async () => {
      // A decoy beside each name: with URLs built by concatenation, "a#b" was "a".
      const base = `${root}/names`;
      await Deno.mkdir(base);
      const decoy = await runTask(TASK, tiny(data, "--latent", "3", "--out", "a"), { cwd: base });
      assert.equal(decoy.code, 0, decoy.stderr);
      const names = ["a#b?c=1 100% a%20b ünï ☃", "-x"];
      await Promise.all(names.map(async (name) => {
        const first = await runTask(TASK, tiny(data, "--epochs", "1", `--out=${name}`), {
          cwd: base,
        });
        assert.equal(first.code, 0, `${name}: ${first.stderr}`);
        const resumed = await runTask(TASK, ["--resume", `--out=${name}`, "--epochs", "2"], {
          cwd: base,
        });
        assert.equal(resumed.code, 0, `${name}: ${resumed.stderr}`);
        assert.match(resumed.stdout, /Resuming .* from the end of epoch 1/);
      }));
      await useBackend("cpu");
      for (const name of names) {
        const vae = await VAE.load(`${base}/${name}/model`);
        assert.equal(vae.latentSize, 2, name);
        assert.equal(vae.step, 2 * 12, name);
        vae.dispose();
      }
    },
  );

  await Deno.remove(root, { recursive: true });
});
