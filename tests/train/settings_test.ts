import assert from "node:assert/strict";
import { DEFAULT_CONFIG, type TrainConfig, validateConfig } from "../../lib/train/config.ts";
import { parseTrainArgs, TRAIN_USAGE } from "../../lib/train/args.ts";
import { SETTINGS, TRAIN_TASK } from "../../lib/train/settings.ts";
import { completeSaved, flagSettings as flagsOf } from "../../lib/kit/settings.ts";
import { checkRule } from "../../lib/kit/rules.ts";
import { docOptionTable } from "../docs/_docs.ts";
import { expectedModel } from "../../lib/train/setup.ts";
import { checkModelMatches } from "../../lib/train/checkpoint.ts";
import { VAE } from "../../models.ts";

const flagSettings = () => flagsOf(TRAIN_TASK);
import {
  appliedSettings,
  defaultText,
  settingsTableRows,
} from "../../lib/train/settings_tables.ts";

Deno.test("the training settings, declared once", async (t) => {
  await t.step("docs/training.md's option table is the one generated from SETTINGS", async () => {
    const docs = await Deno.readTextFile(new URL("../../docs/training.md", import.meta.url));
    const want = settingsTableRows();
    assert.deepEqual(
      docOptionTable(docs, "## Options"),
      want,
      `regenerate the table of docs/training.md from settingsTableRows():\n${
        want.map((r) => `| ${r.join(" | ")} |`).join("\n")
      }`,
    );
  });

  await t.step("--help lists every flag with its placeholder and default", () => {
    for (const s of flagSettings()) {
      const line = TRAIN_USAGE.split("\n").find((l) => l.trim().startsWith(`--${s.flag} `));
      assert.ok(line, `--${s.flag} is missing from --help`);
      assert.ok(line.includes(s.metavar), `--${s.flag}'s placeholder`);
      const d = defaultText(s);
      if (d !== undefined) assert.ok(line.includes(`(default ${d})`), `--${s.flag}'s default`);
    }
  });

  await t.step("every default obeys its own rule, and the defaults are a valid run", () => {
    assert.deepEqual(validateConfig(structuredClone(DEFAULT_CONFIG)), DEFAULT_CONFIG);
    const parsed = parseTrainArgs([]);
    assert.equal(parsed.kind, "train");
    assert.deepEqual(parsed.kind === "train" && parsed.config, DEFAULT_CONFIG);
  });

  await t.step(
    "a saved configuration without the settings added since reads as they had it",
    () => {
      const added = SETTINGS.filter((s) => s.absentMeans !== undefined);
      assert.deepEqual(
        added.map((s) => [s.key, s.absentMeans]),
        [
          ["network", "mlp"],
          ["posterior", "diagonal"],
          ["flowLayers", 2],
          ["blas", "off"],
          ["scorePoints", 10_000],
          ["scoreTrees", 50],
        ],
      );
      for (const s of added) assert.equal(checkRule(s.rule, s.absentMeans), undefined, s.key);
      const saved: Record<string, unknown> = structuredClone(DEFAULT_CONFIG);
      for (const s of added) delete saved[s.key];
      const complete = completeSaved(TRAIN_TASK, saved);
      assert.deepEqual(validateConfig(complete as TrainConfig), { ...DEFAULT_CONFIG, blas: "off" });
      assert.equal(Object.keys(saved).length, Object.keys(DEFAULT_CONFIG).length - added.length);
      // A field saved is kept; one that was always saved stays required.
      const iaf = { ...DEFAULT_CONFIG, posterior: "iaf", flowLayers: 5 };
      assert.equal(completeSaved(TRAIN_TASK, iaf), iaf);
      const { epochs: _, ...noEpochs } = DEFAULT_CONFIG;
      assert.throws(
        () => validateConfig(completeSaved(TRAIN_TASK, noEpochs) as TrainConfig),
        /config\.epochs must be an integer .*: current value is undefined/,
      );
      for (const c of [null, [], "x"]) assert.equal(completeSaved(TRAIN_TASK, c), c);
    },
  );

  await t.step("the parser and validateConfig refuse the same out-of-range values", () => {
    for (const s of SETTINGS) {
      if (s.key.includes(".")) continue;
      const r = s.rule;
      const bad = r.kind === "integer" || r.kind === "integers"
        ? r.max + 1
        : r.kind === "number"
        ? r.min - 1
        : r.kind === "choice"
        ? "nonsense"
        : "";
      const text = String(bad);
      // The flags a setting needs to have an effect (dual-step: a KL budget).
      const needs: string[] = s.appliesTo ? ["--model", "beta-vae"] : [];
      if (s.key === "dualStepSize") needs.push("--kl-budget", "3");
      if (s.key.startsWith("flow")) needs.push("--posterior", "iaf");
      const parsed = parseTrainArgs([...needs, `--${s.flag}=${text}`]);
      assert.equal(parsed.kind, "error", `--${s.flag}=${text}`);
      assert.ok(
        parsed.kind === "error" && parsed.message.includes(`--${s.flag}`),
        `the message names --${s.flag}`,
      );
      const config = {
        ...structuredClone(DEFAULT_CONFIG),
        [s.key]: s.rule.kind === "integers" ? [bad] : bad,
      } as TrainConfig;
      assert.throws(
        () => validateConfig(config),
        (e: Error) =>
          (e instanceof RangeError || e instanceof TypeError) &&
          e.message.includes(`config.${s.key}`),
        s.key,
      );
    }
  });

  await t.step("the report lists only the settings that apply", () => {
    const rows = (c: Partial<TrainConfig>) =>
      new Map(appliedSettings({ ...DEFAULT_CONFIG, ...c } as never));
    const vae = rows({});
    assert.ok(!vae.has("beta") && !vae.has("dual-step") && !vae.has("capacity"));
    assert.equal(vae.get("train-size"), "all");
    const ae = rows({ model: "ae" });
    for (const f of ["likelihood", "kl-estimator", "importance-samples", "eval-samples"]) {
      assert.ok(!ae.has(f), f);
    }
    const fixed = rows({ model: "beta-vae" });
    assert.equal(fixed.get("beta"), "4");
    const budget = rows({ model: "beta-vae", klBudget: 12 });
    assert.equal(budget.get("kl-budget"), "12");
    assert.ok(budget.has("dual-step") && !budget.has("beta"));
    const capacity = rows({ model: "beta-vae", capacity: { max: 25, epochs: 10, gamma: 1000 } });
    assert.equal(capacity.get("capacity"), "25 nats over 10 epochs, γ = 1000");
    // The posterior is always said; the flow's settings only with a flow, the KL estimator without.
    assert.equal(vae.get("posterior"), "diagonal");
    assert.ok(!vae.has("flow-layers") && vae.has("kl-estimator"));
    const iaf = rows({ posterior: "iaf", flowHidden: [30, 30] });
    assert.equal(iaf.get("posterior"), "iaf");
    assert.equal(iaf.get("flow-layers"), "2");
    assert.equal(iaf.get("flow-hidden"), "30,30");
    assert.ok(!iaf.has("kl-estimator"));
  });

  await t.step(
    "--posterior iaf: its flow options, and the options it leaves no effect",
    async () => {
      const ok = parseTrainArgs([
        "--posterior",
        "iaf",
        "--flow-layers",
        "3",
        "--flow-hidden",
        "8,8",
      ]);
      assert.ok(ok.kind === "train", JSON.stringify(ok));
      assert.deepEqual(
        [ok.config.posterior, ok.config.flowLayers, ok.config.flowHidden],
        ["iaf", 3, [8, 8]],
      );
      for (
        const [args, flag] of [
          [["--flow-layers", "3"], "--flow-layers"],
          [["--flow-hidden", "8"], "--flow-hidden"],
          [["--posterior", "iaf", "--kl-estimator", "monteCarlo"], "--kl-estimator"],
          [["--model", "ae", "--posterior", "iaf"], "--posterior"],
        ] as const
      ) {
        const r = parseTrainArgs([...args]);
        assert.ok(
          r.kind === "error" && r.message.includes(`${flag} applies only to`),
          args.join(" "),
        );
      }
      // What model.json must hold (checked on --resume) is what the VAE resolves.
      for (const flowHidden of [undefined, [8, 8]]) {
        const c = { ...DEFAULT_CONFIG, posterior: "iaf", flowHidden, latentSize: 3 } as TrainConfig;
        const { config } = expectedModel(c, 4, 10);
        const vae = new VAE(config as never);
        assert.deepEqual(config.posterior, vae.config.posterior);
        assert.equal(vae.config.klEstimator, "monteCarlo");
        vae.dispose();
      }
      assert.ok(!("posterior" in expectedModel(DEFAULT_CONFIG, 4, 10).config));
      // A diagonal run whose model.json holds a flow does not resume (it expects no posterior key).
      const dir = await Deno.makeTempDir();
      try {
        const iaf = expectedModel({ ...DEFAULT_CONFIG, posterior: "iaf" }, 4, 10).config;
        const { config } = expectedModel(DEFAULT_CONFIG, 4, 10);
        await Deno.writeTextFile(
          `${dir}/model.json`,
          JSON.stringify({
            modelTopology: { class: "VAE", config: { ...config, posterior: iaf.posterior } },
            trainingState: { step: 10 },
          }),
        );
        await assert.rejects(
          () => checkModelMatches(dir, { class: "VAE", config, step: 10 }),
          /posterior is "diagonal" in trainer\.json but \{"flow":"iaf"/,
        );
        // So do conv networks under an mlp run; "mlp" written out is the default, no mismatch.
        for (const [network, ok] of [["conv", false], ["mlp", true]] as const) {
          await Deno.writeTextFile(
            `${dir}/model.json`,
            JSON.stringify({
              modelTopology: { class: "VAE", config: { ...config, network } },
              trainingState: { step: 10 },
            }),
          );
          const check = () => checkModelMatches(dir, { class: "VAE", config, step: 10 });
          if (ok) await check();
          else await assert.rejects(check, /network is "mlp" in trainer\.json but "conv"/);
        }
        await Deno.writeTextFile(
          `${dir}/model.json`,
          JSON.stringify({ modelTopology: { class: "VAE", config }, trainingState: { step: 10 } }),
        );
        await checkModelMatches(dir, { class: "VAE", config, step: 10 });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
      const bad = parseTrainArgs(["--posterior", "maf"]);
      assert.ok(bad.kind === "error" && bad.message.includes("--posterior"));
    },
  );
});
