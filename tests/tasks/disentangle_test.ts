// `deno task disentangle` as a user runs it: the smoke sweep, two shards at
// once merged into the unsharded result, resume, and every way the folder,
// its files or the command line can be wrong.
import assert from "node:assert/strict";
import { PERMISSIONS, ROOT, runTask, unwritableFolder } from "./_run.ts";
import { CELLS } from "../../lib/tasks/_sweep.ts";
import { SCORE_KEYS } from "../../lib/train/scores.ts";
import { sha256Hex } from "../../lib/io/checksum.ts";

const TASK = "lib/tasks/disentangle.ts";

/** results.jsonl's runs by objective and seed, without their timings and folders. */
async function results(dir: string): Promise<Map<string, unknown>> {
  const lines = (await Deno.readTextFile(`${dir}/results.jsonl`)).trim().split("\n");
  return new Map(lines.map((l) => {
    const { seconds: _s, run: _r, ...rest } = JSON.parse(l);
    return [`${rest.cell} ${rest.seed}`, rest];
  }));
}

/** A one-line error, no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp) {
  const first = stderr.trim().split("\n")[0]!;
  assert.match(first, /^error: /, stderr);
  assert.match(first, pattern);
  assert.ok(!stderr.includes("    at "), `a stack trace:\n${stderr}`);
}

Deno.test("deno task disentangle", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "elbo-disentangle-test-" });
  const smoke = `${root}/runs/disentangle-smoke`;

  await t.step(
    "the smoke preset: every objective is a train run folder, scored, reported",
    async () => {
      // One thread, as the shards below: with BLAS a thread count rounds its own way.
      const r = await runTask(TASK, ["--preset", "smoke", "--threads", "1"], { cwd: root });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /7 runs \(7 objectives × 1 seed\) of 20 steps/);
      assert.match(r.stdout, /Measured [\d.]+ ms a step here: about [\d.]+ s of training/);
      const runs = (await Deno.readTextFile(`${smoke}/results.jsonl`)).trim().split("\n")
        .map((l) => JSON.parse(l));
      assert.deepEqual(runs.map((x) => x.cell), CELLS.map((c) => c.name));
      for (const x of runs) {
        assert.deepEqual(Object.keys(x.scores).sort(), [...SCORE_KEYS].sort());
        for (const v of Object.values(x.scores) as number[]) assert.ok(v >= 0 && v <= 1, x.cell);
        assert.equal(x.klPerLatent.length, 4);
        // Each run is a `deno task train` run folder with its own report.
        const marker = JSON.parse(await Deno.readTextFile(`${smoke}/${x.run}/elbo-task.json`));
        assert.equal(marker.task, "train");
        assert.match(
          await Deno.readTextFile(`${smoke}/${x.run}/report.md`),
          /deno task train --model beta-vae .*--dataset dsprites:16 .*--out runs\/disentangle-smoke\/runs\/[a-z0-9-]+`/,
        );
        await Deno.stat(`${smoke}/${x.run}/traversals.png`);
      }
      const report = await Deno.readTextFile(`${smoke}/report.md`);
      for (const c of CELLS) assert.ok(report.includes(`| ${c.name} | 1 |`), c.name);
      await Deno.stat(`${smoke}/scores-vs-beta.svg`);
      await Deno.stat(`${smoke}/kl-per-latent.svg`);
    },
  );

  await t.step(
    "two shards in two processes at once, merged, give the unsharded results",
    async () => {
      const [a, b] = await Promise.all(
        ["0/2", "1/2"].map((s, i) =>
          runTask(TASK, [
            "--preset",
            "smoke",
            "--threads",
            "1",
            "--shard",
            s,
            "--out",
            `${root}/s${i}`,
          ])
        ),
      );
      assert.equal(a!.code, 0, a!.stderr);
      assert.equal(b!.code, 0, b!.stderr);
      assert.match(a!.stdout, /shard 0\/2: 4 of 7 runs/);
      assert.match(b!.stdout, /Shard 1\/2 is done; 3 of 7 runs are finished/);
      const alone = await runTask(TASK, ["--merge", `${root}/s0`, "--out", `${root}/m`]);
      assert.equal(alone.code, 1);
      assertOneLine(
        alone.stderr,
        /3 of 7 runs are not finished in .*s0 \(beta-2-seed1, beta-8-seed1,/,
      );
      const m = await runTask(TASK, ["--merge", `${root}/s0`, `${root}/s1`, "--out", `${root}/m`]);
      assert.equal(m.code, 0, m.stderr);
      assert.deepEqual(await results(`${root}/m`), await results(smoke));
      // The merged report links each run's folder where it is.
      assert.match(
        await Deno.readTextFile(`${root}/m/report.md`),
        /\.\.\/s1\/runs\/beta-2-seed1\/traversals\.png/,
      );
      // A shard started again finds its runs finished.
      const again = await runTask(TASK, [
        "--preset",
        "smoke",
        "--shard",
        "0/2",
        "--out",
        `${root}/s0`,
      ]);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout.match(/finished before/g)?.length, 4);
      // Shards of another sweep are not merged.
      const other = await runTask(TASK, [
        "--preset",
        "smoke",
        "--seeds",
        "2",
        "--shard",
        "0/14",
        "--out",
        `${root}/o`,
      ]);
      assert.equal(other.code, 0, other.stderr);
      const mixed = await runTask(TASK, [
        "--merge",
        `${root}/s0`,
        `${root}/o`,
        "--out",
        `${root}/m`,
      ]);
      assert.equal(mixed.code, 1);
      assertOneLine(
        mixed.stderr,
        /o is another sweep \(--preset smoke --seeds 2 .*merge only the shards of one sweep/,
      );
    },
  );

  await t.step(
    "--resume without --out continues the newest sweep; a damaged results.jsonl is rewritten",
    async () => {
      const before = await results(smoke);
      await Deno.writeTextFile(`${smoke}/results.jsonl`, "hello\n");
      const r = await runTask(TASK, ["--resume", "--threads", "1"], { cwd: root });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /→ runs\/disentangle-smoke/);
      assert.equal(r.stdout.match(/finished before/g)?.length, 7);
      assert.deepEqual(await results(smoke), before);
    },
  );

  await t.step("an --out that cannot be a sweep folder: one line, nothing written", async () => {
    await Deno.writeTextFile(`${root}/afile`, "mine");
    const cases: [string, number, RegExp][] = [
      [`${root}/afile`, 1, /afile is a file, not a folder/],
      [`${root}/afile/sub`, 1, /a part of its path is a file/],
      ["", 2, /--out must name a folder: got ""/],
    ];
    const locked = `${root}/immutable`;
    const undo = await unwritableFolder(locked);
    if (undo) {
      cases.push(
        [locked, 1, /cannot write in ".*immutable": permission denied; choose another --out/],
        [`${locked}/sub`, 1, /cannot write in ".*immutable\/sub": permission denied/],
      );
    }
    try {
      for (const [out, code, pattern] of cases) {
        const r = await runTask(TASK, ["--preset", "smoke", "--out", out]);
        assert.equal(r.code, code, `${out}: ${r.stderr}`);
        assertOneLine(r.stderr, pattern);
      }
    } finally {
      await undo?.();
    }
    assert.deepEqual([...Deno.readDirSync(locked)], []);
    assert.equal(await Deno.readTextFile(`${root}/afile`), "mine");
  });

  await t.step(
    "a train run's folder, or one holding other files, is refused and left as it was",
    async () => {
      const trainRun = `${root}/a-train-run`;
      await Deno.mkdir(trainRun);
      await Deno.writeTextFile(`${trainRun}/elbo-task.json`, '{"task":"train"}\n');
      await Deno.writeTextFile(`${trainRun}/report.md`, "my report");
      const r = await runTask(TASK, ["--preset", "smoke", "--out", trainRun]);
      assert.equal(r.code, 1);
      assertOneLine(r.stderr, /holds a train run, not a disentangle run: choose another --out/);
      assert.equal(await Deno.readTextFile(`${trainRun}/report.md`), "my report");
      const notes = `${root}/notes`;
      await Deno.mkdir(notes);
      await Deno.writeTextFile(`${notes}/thesis.tex`, "mine");
      const n = await runTask(TASK, ["--preset", "smoke", "--out", notes]);
      assert.equal(n.code, 1);
      assertOneLine(n.stderr, /holds "thesis\.tex", which no disentangle run writes/);
      assert.deepEqual([...Deno.readDirSync(notes)].map((e) => e.name), ["thesis.tex"]);
    },
  );

  await t.step(
    "a damaged sweep.json stops --resume with one line, before anything runs",
    async () => {
      const saved = JSON.parse(await Deno.readTextFile(`${smoke}/sweep.json`));
      const edited = structuredClone(saved);
      edited.state.settings.steps = "abc";
      const signed = {
        ...edited,
        sha256: await sha256Hex(new TextEncoder().encode(JSON.stringify(edited.state))),
      };
      const cases: [string, RegExp][] = [
        ["{}", /sweep\.json is not an elbo state file/],
        ["{ not json", /sweep\.json is not JSON/],
        [JSON.stringify(edited), /sweep\.json fails its checksum: it was edited or damaged/],
        [
          JSON.stringify(signed),
          /sweep\.json holds a bad state: steps must be an integer ≥ 1: it is "abc"/,
        ],
      ];
      for (const [i, [text, pattern]] of cases.entries()) {
        const dir = `${root}/damaged-${i}`;
        await Deno.mkdir(dir);
        await Deno.writeTextFile(`${dir}/elbo-task.json`, '{"task":"disentangle"}\n');
        await Deno.writeTextFile(`${dir}/sweep.json`, text);
        const r = await runTask(TASK, ["--resume", "--out", dir]);
        assert.equal(r.code, 1, r.stderr);
        assertOneLine(r.stderr, pattern);
        assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
          "elbo-task.json",
          "sweep.json",
        ]);
      }
    },
  );

  await t.step("bad options: one line and the usage, exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--preset", "huge"], /--preset must be one of smoke, quick, paper: got "huge"/],
      [["--network", "rnn"], /--network must be one of mlp, conv/],
      [["--seeds", "0"], /--seeds must be an integer in \[1, 100\]/],
      [["--threads", "9"], /--threads must be at most 8: got "9"/],
      [["--shard", "2/2"], /--shard's index must be in 0…1: got 2 of 2/],
      [["--shard", "auto"], /--shard auto needs the number of shards/],
      [["extra"], /"extra" is not an option \(folders follow --merge\)/],
      [
        ["--merge", "a", "--preset", "smoke"],
        /--merge reads the settings from the sweeps: drop --preset/,
      ],
      [["--merge", "--resume"], /--merge and --resume do not go together/],
      [["--merge"], /--merge needs the sweep folders/],
      [
        ["--resume", "--out", "x", "--steps", "40"],
        /--resume keeps the run's configuration: drop --steps/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = await runTask(TASK, args, { cwd: root, env: { JOB_COMPLETION_INDEX: "0" } });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assertOneLine(r.stderr, pattern);
      assert.match(r.stderr, /Usage: deno task disentangle/);
    }
  });

  await t.step("SIGTERM stops the sweep with the line that continues it, exit 143", async () => {
    const out = `${root}/killed`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...PERMISSIONS,
        `${ROOT}${TASK}`,
        "--preset",
        "smoke",
        "--steps",
        "100000",
        "--out",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const reader = child.stdout.getReader();
    let seen = "";
    while (!seen.includes("Measured")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    // Into the first run's first epoch.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill("SIGTERM");
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
      child.stdout.cancel(),
    ]);
    assert.equal(status.code, 143, stderr);
    assertOneLine(
      stderr,
      /^error: SIGTERM: stopped; the finished runs are in .*killed\/runs, and .*killed\/runs\/beta-1-seed1 is checkpointed every epoch: continue with deno task disentangle --resume --out=.*killed$/,
    );
  });

  await Deno.remove(root, { recursive: true });
});
