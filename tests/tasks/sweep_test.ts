// The pieces of a sweep that need no training: the grid, the shards, the
// configurations of its runs, the presets, --shard, and the docs table.
import assert from "node:assert/strict";
import { docOptionTable } from "../docs/_docs.ts";
import { CELLS, configOf, gridOf, PRESET_NAMES, shardOf, sweepOf } from "../../lib/tasks/_sweep.ts";
import { parseShard, SWEEP_TASK } from "../../lib/tasks/_sweep_settings.ts";
import { checkSweep, sameSweep } from "../../lib/tasks/_sweep_folder.ts";
import { validateConfig } from "../../lib/train/config.ts";
import { optionTableRows } from "../../lib/kit/views.ts";
import { parseTaskArgs } from "../../lib/kit/parse.ts";

Deno.test("a sweep's grid, shards and runs", async (t) => {
  await t.step("every grid point of every preset is a valid training run", () => {
    for (const preset of PRESET_NAMES) {
      const s = sweepOf({ preset });
      const grid = gridOf(s);
      assert.equal(grid.length, CELLS.length * s.settings.seeds);
      assert.equal(new Set(grid.map((p) => p.id)).size, grid.length, "folder names are unique");
      for (const p of grid) {
        const c = validateConfig(configOf(s, p, { threads: 0, blas: "auto" }));
        assert.equal(c.epochs, s.settings.epochs);
        // The steps of a run are the preset's: epochs × batches per epoch.
        assert.equal(c.epochs * (c.trainSize / c.batchSize), s.settings.steps);
        assert.equal(c.seed, p.seed);
      }
    }
  });

  await t.step("--steps is rounded up to whole epochs; --network takes its layers", () => {
    assert.equal(sweepOf({ preset: "smoke", steps: 25 }).settings.steps, 30);
    assert.equal(sweepOf({ preset: "smoke", steps: 30 }).settings.steps, 30);
    const conv = sweepOf({ preset: "quick", network: "conv" }).settings;
    assert.deepEqual([conv.network, conv.hiddenSizes], ["conv", [256, 256]]);
    assert.deepEqual(sweepOf({ preset: "paper", network: "mlp" }).settings.hiddenSizes, [400]);
  });

  await t.step("the shards of N partition the grid, each point in exactly one", () => {
    const grid = gridOf(sweepOf({ preset: "paper" }));
    for (const n of [1, 2, 3, 7, 35, 50]) {
      const seen = Array.from({ length: n }, (_, i) => shardOf(grid, i, n)).flat()
        .map((p) => p.index).sort((a, b) => a - b);
      assert.deepEqual(seen, grid.map((p) => p.index), `N = ${n}`);
    }
    // A fixed assignment: point p to shard p mod N.
    assert.deepEqual(shardOf(grid, 1, 3).slice(0, 3).map((p) => p.index), [1, 4, 7]);
  });

  await t.step("--shard: I/N, auto from a Kubernetes or Slurm index, one-line errors", () => {
    const env = (vars: Record<string, string>) => (n: string) => vars[n];
    assert.deepEqual(parseShard("2/5", env({})), { index: 2, count: 5 });
    assert.deepEqual(parseShard("auto/4", env({ JOB_COMPLETION_INDEX: "3" })), {
      index: 3,
      count: 4,
    });
    assert.deepEqual(
      parseShard("auto", env({ SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "6" })),
      { index: 0, count: 6 },
    );
    assert.deepEqual(
      parseShard("auto", env({ JOB_COMPLETION_INDEX: "1", ELBO_SHARD_COUNT: "2" })),
      {
        index: 1,
        count: 2,
      },
    );
    for (
      const [text, vars, pattern] of [
        ["5/5", {}, /index must be in 0…4: got 5 of 5/],
        ["1/0", {}, /at least 1 shard/],
        ["-1/3", {}, /must be I\/N/],
        ["1.5/3", {}, /must be I\/N/],
        ["1/2/3", {}, /must be I\/N/],
        ["auto/3", {}, /neither is set: write --shard I\/N/],
        ["auto", { JOB_COMPLETION_INDEX: "0" }, /needs the number of shards/],
        ["auto/2", { JOB_COMPLETION_INDEX: "x" }, /JOB_COMPLETION_INDEX must be a whole number/],
        ["auto", { SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "4" }, /I from SLURM/],
      ] as const
    ) {
      assert.throws(() => parseShard(text, env(vars)), pattern, text);
    }
  });

  await t.step("sweep.json's check names the field; equal settings are one sweep", () => {
    const s = sweepOf({ preset: "smoke" });
    assert.deepEqual(checkSweep(structuredClone(s)), s);
    assert.ok(sameSweep(s, structuredClone(s)));
    assert.ok(!sameSweep(s, sweepOf({ preset: "smoke", seeds: 2 })));
    assert.throws(() => checkSweep({}), /preset must be one of smoke, quick, paper/);
    const bad = structuredClone(s) as unknown as { settings: Record<string, unknown> };
    bad.settings.steps = "abc";
    assert.throws(() => checkSweep(bad), /steps must be an integer ≥ 1: it is "abc"/);
  });

  await t.step("the command line: --merge takes folders; elsewhere a stray word is refused", () => {
    const m = parseTaskArgs(SWEEP_TASK, ["--merge", "a", "b", "--out", "c"]);
    assert.equal(m.kind, "run");
    assert.deepEqual(m.kind === "run" && [m.positionals, m.out], [["a", "b"], "c"]);
    const stray = parseTaskArgs(SWEEP_TASK, ["--preset", "smoke", "extra"]);
    assert.equal(stray.kind, "error");
    assert.match(stray.kind === "error" ? stray.message : "", /"extra" is not an option/);
  });

  await t.step("docs/disentanglement.md's option table is the one generated", async () => {
    const docs = await Deno.readTextFile(new URL("../../docs/disentanglement.md", import.meta.url));
    const rows = docOptionTable(docs, "### Options");
    const want = optionTableRows(SWEEP_TASK);
    assert.deepEqual(
      rows,
      want,
      `regenerate the table:\n${want.map((r) => `| ${r.join(" | ")} |`).join("\n")}`,
    );
  });
});
