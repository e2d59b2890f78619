import assert from "node:assert/strict";
import { runTask } from "./_run.ts";
import { CELLS } from "../../lib/tasks/disentangle.ts";
import { slug } from "../../lib/tasks/_disentangle_report.ts";

const TASK = "lib/tasks/disentangle.ts";

Deno.test("deno task disentangle", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "elbo-disentangle-test-" });
  const out = `${root}/sweep`;

  await t.step(
    "the smoke preset runs every objective, scores it and writes the report",
    async () => {
      const r = await runTask(TASK, ["--preset", "smoke", "--out", out, "--threads", "1"]);
      assert.equal(r.code, 0, r.stderr);
      const lines = (await Deno.readTextFile(`${out}/results.jsonl`)).trim().split("\n");
      assert.equal(lines.length, CELLS.length);
      for (const [i, line] of lines.entries()) {
        const run = JSON.parse(line);
        assert.equal(run.cell, CELLS[i]!.name);
        for (const v of Object.values(run.scores) as number[]) assert.ok(v >= 0 && v <= 1, line);
        // The KL of each latent, read at steps 0, 10 and 20.
        assert.deepEqual(run.klHistory.map(([s]: [number]) => s), [0, 10, 20]);
        assert.equal(run.klHistory[0][1].length, 4);
        await Deno.stat(`${out}/traversal-${slug(run.cell)}-seed1.png`);
      }
      const report = await Deno.readTextFile(`${out}/report.md`);
      for (const cell of CELLS) assert.ok(report.includes(`| ${cell.name} | 1 |`), cell.name);
      assert.match(report, /\| objective \| seeds \| BetaVAE \| FactorVAE \| MIG \| SAP \| DCI D/);
      await Deno.stat(`${out}/scores-vs-beta.svg`);
      await Deno.stat(`${out}/kl-capacity.svg`);
      assert.match(r.stdout, /run 7\/7 \(constrained, seed 1[,)]/);
    },
  );

  await t.step("a second sweep into the same folder is refused; --resume finishes it", async () => {
    const again = await runTask(TASK, ["--preset", "smoke", "--out", out]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already holds a sweep: pass --resume/);
    // Drop the last two runs, as if the sweep had been killed, and resume.
    const file = `${out}/results.jsonl`;
    const lines = (await Deno.readTextFile(file)).trim().split("\n");
    await Deno.writeTextFile(file, lines.slice(0, -2).join("\n") + "\n");
    // The sweep continues as it started: a flag that would change it is refused.
    const changed = await runTask(TASK, ["--out", out, "--resume", "--steps", "40"]);
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(
      changed.stderr,
      /--resume continues the sweep in .* as it started: drop --steps \(it was 20\)/,
    );
    const resumed = await runTask(TASK, ["--out", out, "--resume", "--threads", "1"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(!resumed.stdout.includes("run 1/7"), "finished runs are not repeated");
    assert.match(resumed.stdout, /run 6\/7 \(capacity, seed 1[,)]/);
    const after = (await Deno.readTextFile(file)).trim().split("\n");
    assert.equal(after.length, CELLS.length);
    // The same seed and settings give the same scores.
    assert.deepEqual(JSON.parse(after[5]!).scores, JSON.parse(lines[5]!).scores);
  });

  await t.step("bad options: one line, exit 2; --resume without a sweep: exit 1", async () => {
    for (
      const [args, pattern] of [
        [["--preset", "huge"], /--preset must be quick, paper or smoke: current value is huge/],
        [["--network", "rnn"], /--network must be mlp or conv: current value is rnn/],
        [["--seeds", "0"], /--seeds/],
      ] as const
    ) {
      const r = await runTask(TASK, [...args, "--out", `${root}/x`]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.ok(!r.stderr.includes("    at "), "no stack trace");
    }
    const r = await runTask(TASK, ["--resume", "--out", `${root}/none`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--resume found no sweep in .*none \(results\.jsonl and sweep\.json\)/);
  });

  await Deno.remove(root, { recursive: true });
});
