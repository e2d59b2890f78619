// Kills, locks, full disks and corrupt checkpoints: a run never loses its
// last complete epoch, and --resume reaches what an uninterrupted run does.
import assert from "node:assert/strict";
import { createRng } from "../../lib/math/rng.ts";
import { writeTinyData } from "../data/_idx_files.ts";
import { runTask } from "./_run.ts";
import {
  assertRuntimeError,
  exists,
  finalLine,
  spawnTrain,
  TASK,
  tiny,
  waitFor,
} from "./_train.ts";

Deno.test("deno task train --resume", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "elbo-train-recovery-test-" });
  const data = await writeTinyData(`${root}/data`);

  await t.step("--resume after a kill mid-epoch reaches the same final metrics (cpu)", async () => {
    const straight = `${root}/straight`, killed = `${root}/killed`;
    const a = await runTask(TASK, tiny(data, "--epochs", "6", "--out", straight));
    assert.equal(a.code, 0, a.stderr);
    const child = spawnTrain(tiny(data, "--epochs", "6", "--out", killed));
    await waitFor("the first checkpoint", () => exists(`${killed}/checkpoints/latest`));
    child.kill("SIGKILL");
    assert.equal((await child.status).success, false);
    const before = (await Deno.readTextFile(`${killed}/checkpoints/latest`)).trim();
    assert.notEqual(before, "epoch-0006", "the kill came too late to test a resume");
    assert.ok(await exists(`${killed}/run.lock`), "a killed run leaves its lock");

    const b = await runTask(TASK, ["--resume", "--out", killed]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /Resuming .* from the end of epoch [1-5]/);
    assert.deepEqual(await finalLine(killed), await finalLine(straight));
    assert.equal(await exists(`${killed}/run.lock`), false, "the lock is removed at exit");
  });

  await t.step(
    "kills inside checkpoint writes, then --resume, give a byte-identical model (seeded)",
    async () => {
      // A wider model, so that a checkpoint (~2 MB) takes a few milliseconds to write,
      // on few images, so that an epoch is quick.
      const args = (out: string) =>
        tiny(data, "--hidden", "256,256", "--train-size", "40", "--epochs", "6", "--out", out);
      const straight = `${root}/bytes-straight`, killed = `${root}/bytes-killed`;
      const a = await runTask(TASK, args(straight));
      assert.equal(a.code, 0, a.stderr);
      const seed = 20261123, rng = createRng(seed);
      const seen: string[] = [];
      let inside = 0;
      const pointer = async () => {
        try {
          return (await Deno.readTextFile(`${killed}/checkpoints/latest`)).trim();
        } catch {
          return "none";
        }
      };
      // Up to five kills, each 0–2 ms (seeded) after a write has begun: a
      // 2 MB checkpoint takes longer than that, even on a loaded machine.
      for (let attempt = 0; attempt < 5; attempt++) {
        const before = await pointer();
        const child = spawnTrain(before === "none" ? args(killed) : ["--resume", "--out", killed]);
        let status: Deno.CommandStatus | undefined;
        child.status.then((s) => status = s);
        // A checkpoint write has begun once this process's temporary file appears.
        const tmp = `.tmp-${child.pid}`;
        const writing = async () => {
          try {
            for await (const e of Deno.readDir(`${killed}/checkpoints`)) {
              if (e.name.endsWith(tmp)) return true;
              if (!e.isDirectory) continue;
              for await (const f of Deno.readDir(`${killed}/checkpoints/${e.name}`)) {
                if (f.name.endsWith(tmp)) return true;
              }
            }
          } catch { /* a folder came or went */ }
          return false;
        };
        // The first run is let finish its first checkpoint, so that every
        // resume has one to start from; then each kill aims at the next write.
        const deadline = Date.now() + 60_000;
        while (
          status === undefined && Date.now() < deadline &&
          (!(await writing()) || (before === "none" && (await pointer()) === "none"))
        ) {
          await Promise.resolve();
        }
        const delay = Math.floor(rng.uniform() * 3);
        await new Promise((r) => setTimeout(r, delay));
        if (status === undefined) child.kill("SIGKILL");
        await child.status;
        await child.stderr.cancel();
        if (status?.success) break;
        const after = await pointer();
        if (after === before) inside++;
        seen.push(`kill ${attempt} after ${delay} ms: latest ${before} → ${after}`);
      }
      const b = await runTask(TASK, ["--resume", "--out", killed]);
      assert.equal(b.code, 0, `${b.stderr} (${seen.join("; ")})`);
      const why = `seed ${seed}: ${seen.join("; ")}`;
      assert.ok(inside >= 1, `no kill landed inside a checkpoint write (${why})`);
      for (const f of ["weights.bin", "optimizer.bin"]) {
        assert.deepEqual(
          await Deno.readFile(`${killed}/model/${f}`),
          await Deno.readFile(`${straight}/model/${f}`),
          `${f} (${why})`,
        );
      }
      assert.deepEqual(await finalLine(killed), await finalLine(straight), why);
      for await (const e of Deno.readDir(`${killed}/checkpoints`)) {
        assert.match(e.name, /^(latest|epoch-0006)$/, `left behind: ${e.name} (${why})`);
      }
    },
  );

  await t.step(
    "a corrupt or missing checkpoint gives a clear error and overwrites nothing",
    async () => {
      const dir = `${root}/straight`;
      const metrics = await Deno.readTextFile(`${dir}/metrics.jsonl`);
      await Deno.writeTextFile(`${dir}/checkpoints/latest`, "garbage\u0000");
      assertRuntimeError(
        await runTask(TASK, ["--resume", "--out", dir]),
        /checkpoints\/latest is corrupt/,
      );
      await Deno.writeTextFile(`${dir}/checkpoints/latest`, "epoch-0006");
      const model = await Deno.readTextFile(`${dir}/checkpoints/epoch-0006/model.json`);
      await Deno.writeTextFile(`${dir}/checkpoints/epoch-0006/model.json`, "{");
      assertRuntimeError(
        await runTask(TASK, ["--resume", "--out", dir, "--epochs", "7"]),
        /epoch-0006\/model\.json is missing or corrupt/,
      );
      await Deno.writeTextFile(`${dir}/checkpoints/epoch-0006/model.json`, model);
      assertRuntimeError(
        await runTask(TASK, ["--resume", "--out", `${root}/empty`]),
        /holds no completed checkpoint/,
      );
      assertRuntimeError(
        await runTask(TASK, ["--resume", "--out", dir, "--epochs", "2"]),
        /epochs must be at least the 6 epochs it has trained: current value is 2/,
      );
      assert.equal(await Deno.readTextFile(`${dir}/metrics.jsonl`), metrics);
      assertRuntimeError(
        await runTask(TASK, tiny(data, "--out", dir)),
        /already holds a train run: pass --resume/,
      );
    },
  );

  await t.step(
    "--resume of a finished run goes straight to the final evaluation, with a new --eval-samples",
    async () => {
      const dir = `${root}/straight`;
      const weights = await Deno.readFile(`${dir}/model/weights.bin`);
      const r = await runTask(TASK, ["--resume", "--out", dir, "--eval-samples", "9"]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /^epoch /m);
      assert.match(r.stdout, /k = 9 importance samples/);
      assert.equal((await finalLine(dir)).importanceSamples, 9);
      assert.deepEqual(await Deno.readFile(`${dir}/model/weights.bin`), weights);
    },
  );

  await t.step(
    "two runs on one --out: the second is refused; a dead run's lock is taken over",
    async () => {
      const dir = `${root}/locked`;
      const first = spawnTrain(
        tiny(data, "--hidden", "256,256", "--train-size", "40", "--epochs", "50", "--out", dir),
      );
      await waitFor("the lock", () => exists(`${dir}/run.lock`));
      const second = await runTask(TASK, tiny(data, "--out", dir));
      assertRuntimeError(second, new RegExp(`pid ${first.pid}.*locked/run\\.lock`));
      const resumed = await runTask(TASK, ["--resume", "--out", dir]);
      assertRuntimeError(resumed, /(pid \d+.*run\.lock|holds no completed checkpoint)/);
      // SIGTERM: the lock is removed and the advice names the checkpoint.
      await waitFor("a checkpoint", () => exists(`${dir}/checkpoints/latest`));
      first.kill("SIGTERM");
      const status = await first.status;
      const stderr = await new Response(first.stderr).text();
      assert.equal(status.code, 143);
      assert.match(stderr, /SIGTERM: stopped; the last complete epoch is saved in .*epoch-\d{4}/);
      assert.equal(await exists(`${dir}/run.lock`), false);
      // A lock left by a process that is gone (pid 2**22 + 1 is above Linux's pid_max default).
      await Deno.writeTextFile(`${dir}/run.lock`, JSON.stringify({ pid: 4194305, start: "1" }));
      await Deno.writeTextFile(`${dir}/metrics.jsonl.tmp-4194305`, "half");
      await Deno.mkdir(`${dir}/checkpoints/epoch-9999`);
      const done = (await Deno.readTextFile(`${dir}/checkpoints/latest`)).trim().slice(6);
      const r = await runTask(TASK, ["--resume", "--out", dir, "--epochs", String(Number(done))]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await exists(`${dir}/metrics.jsonl.tmp-4194305`), false, "tmp file cleaned");
      assert.equal(await exists(`${dir}/checkpoints/epoch-9999`), false, "partial checkpoint");
    },
  );

  await t.step({
    name: "a full disk keeps the last checkpoint, and --resume finishes the run (tmpfs)",
    ignore: Deno.build.os !== "linux",
    fn: async () => {
      const mnt = `${root}/full`;
      await Deno.mkdir(mnt);
      const mount = (opts: string) =>
        new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", opts, "tmpfs", mnt] }).output();
      if (!(await mount("size=1000k")).success) {
        console.warn("skipped: mounting a tmpfs needs root");
        return;
      }
      try {
        const args = (out: string) => tiny(data, "--hidden", "128,128", "--out", out);
        const r = await runTask(TASK, args(`${mnt}/run`));
        assertRuntimeError(r, /No space left on device|os error 28/);
        const latest = (await Deno.readTextFile(`${mnt}/run/checkpoints/latest`)).trim();
        assert.match(latest, /^epoch-000[12]$/);
        for await (const e of Deno.readDir(`${mnt}/run/checkpoints/${latest}`)) {
          assert.doesNotMatch(e.name, /tmp/, "a failed write removes its temporary file");
        }
        await new Deno.Command("mount", { args: ["-o", "remount,size=8m", mnt] }).output();
        const b = await runTask(TASK, ["--resume", "--out", `${mnt}/run`]);
        assert.equal(b.code, 0, b.stderr);
        const straight = await runTask(TASK, args(`${root}/full-straight`));
        assert.equal(straight.code, 0, straight.stderr);
        assert.deepEqual(await finalLine(`${mnt}/run`), await finalLine(`${root}/full-straight`));
      } finally {
        await new Deno.Command("umount", { args: [mnt] }).output();
      }
    },
  });

  await Deno.remove(root, { recursive: true });
});
