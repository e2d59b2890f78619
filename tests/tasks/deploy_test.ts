// The cluster files in deploy/ run commands the task accepts, over exactly
// the grid: a flag renamed in the task breaks this test, not a cluster job.
import assert from "node:assert/strict";
import { parseTaskArgs } from "../../lib/kit/parse.ts";
import { gridOf, sweepOf } from "../../lib/tasks/_sweep.ts";
import { parseShard, SWEEP_TASK, type SweepArgs } from "../../lib/tasks/_sweep_settings.ts";

const read = (path: string) => Deno.readTextFile(new URL(`../../deploy/${path}`, import.meta.url));

/** The task's arguments as the job gives them, with its shard count. */
function checkCommand(args: string[], env: Record<string, string>, shards: number) {
  const parsed = parseTaskArgs<SweepArgs>(SWEEP_TASK, args);
  assert.equal(parsed.kind, "run", JSON.stringify(parsed));
  if (parsed.kind !== "run") return;
  const points = gridOf(sweepOf(parsed.config)).length;
  assert.equal(shards, points, "one shard per grid point");
  for (const i of [0, shards - 1]) {
    const shard = parseShard(
      parsed.config.shard!,
      (n) => n.endsWith("_ID") || n.endsWith("INDEX") ? String(i) : env[n],
    );
    assert.deepEqual(shard, { index: i, count: shards });
  }
}

Deno.test("deploy/: the Kubernetes Indexed Job and the Slurm array run the sweep's grid", async () => {
  const job = await read("kubernetes/disentangle-job.yaml");
  const completions = Number(job.match(/^\s+completions: (\d+)$/m)![1]);
  assert.equal(Number(job.match(/^\s+parallelism: (\d+)$/m)![1]), completions);
  assert.match(job, /completionMode: Indexed/);
  const block = job.slice(job.indexOf("args:")).split("\n").slice(1);
  const args = block.filter((_, i) => block.slice(0, i + 1).every((l) => /^\s+- /.test(l)))
    .map((l) => l.replace(/^\s+- /, "").replace(/^"(.*)"$/, "$1"));
  assert.equal(args[0], "disentangle");
  checkCommand(args.slice(1), {}, completions);

  const sbatch = await read("slurm/disentangle.sbatch");
  const [, from, to] = sbatch.match(/^#SBATCH --array=(\d+)-(\d+)$/m)!;
  assert.equal(Number(from), 0, "the array starts at 0");
  const command = sbatch.slice(sbatch.search(/^deno task disentangle/m)).split("\n")
    .map((l) => l.replace(/\\$/, "").trim()).join(" ");
  // The shell's words, its expansions as Slurm would make them (8 CPUs, OUT unset).
  const words = command.replace('"$((cpus < 8 ? cpus : 8))"', "8")
    .replace(/"\$\{OUT:-([^}]*)\}"/, "$1").split(/\s+/).slice(3).filter((w) => w !== "");
  const count = Number(to) + 1;
  checkCommand(words, { SLURM_ARRAY_TASK_COUNT: String(count) }, count);
});
