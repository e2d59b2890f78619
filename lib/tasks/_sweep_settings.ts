// The settings of `deno task disentangle`, declared once for the task kit
// (parser, --help, docs table, resume rules), its run folder, and the shard
// a process runs: `I/N`, or `auto` from a Kubernetes Indexed Job or a Slurm
// array.
import type { ConfigOf, TaskSpec } from "../kit/settings.ts";
import type { FolderSpec } from "../kit/run_folder.ts";
import { UsageError } from "../kit/rules.ts";
import { BLAS, THREADS } from "../train/settings_run.ts";
import { PRESET_NAMES } from "./_sweep.ts";

/** The settings of a sweep, in the order of `--help`. */
export const SWEEP_SETTINGS = [
  {
    key: "preset",
    flag: "preset",
    rule: { kind: "choice", choices: PRESET_NAMES },
    metavar: "P",
    default: "quick",
    help: "smoke (checks the pipeline), quick (a small machine) or paper (a cluster)",
    doc:
      "`smoke`: 16×16 images, 20 steps, one seed — checks the pipeline in seconds, its scores mean nothing. `quick`: 32×32 images, a 400-unit MLP, 2,000 steps, 2 seeds — about 20 minutes on 2 cores. `paper`: 64×64 images, Burgess et al. 2018's convolutional network, 300,000 steps, 5 seeds, Locatello et al. 2019's scoring sizes — for a cluster (`--shard`)",
    group: "Sweep",
    onResume: "no",
  },
  {
    key: "seeds",
    flag: "seeds",
    rule: { kind: "integer", min: 1, max: 100 },
    metavar: "N",
    optional: true,
    defaultText: "the preset's",
    help: "seeds per objective",
    group: "Sweep",
    onResume: "no",
  },
  {
    key: "steps",
    flag: "steps",
    rule: { kind: "integer", min: 10, max: 100_000_000 },
    metavar: "N",
    optional: true,
    defaultText: "the preset's",
    help: "Adam steps per run (rounded up to whole epochs)",
    doc:
      "Adam steps per run, rounded up to whole epochs of fresh dSprites draws (the preset's: 10, or 100 for `paper`), each ending in a checkpoint; capacity annealing ends after 80% of them",
    group: "Sweep",
    onResume: "no",
  },
  {
    key: "network",
    flag: "network",
    rule: { kind: "choice", choices: ["mlp", "conv"] },
    metavar: "N",
    optional: true,
    defaultText: "the preset's",
    help: "mlp or conv",
    doc:
      "`mlp` (dense layers) or `conv` (Burgess et al. 2018: four 4×4 stride-2 convolutions, then dense 256-256); changing it takes the other preset's dense layers",
    group: "Sweep",
    onResume: "no",
  },
  { ...THREADS, group: "Machine" },
  { ...BLAS, group: "Machine" },
  {
    key: "shard",
    flag: "shard",
    rule: { kind: "text", maxLength: 64 },
    metavar: "I/N",
    optional: true,
    defaultText: "–",
    help: "run only shard I of N (I in 0…N−1); auto[/N] reads the job's index",
    doc:
      "run only the grid points of shard I of N, I in 0…N−1: point p belongs to shard p mod N. `auto` takes I from `JOB_COMPLETION_INDEX` (a Kubernetes Indexed Job) or `SLURM_ARRAY_TASK_ID` (a Slurm array), and N from `auto/N`, `SLURM_ARRAY_TASK_COUNT` or `ELBO_SHARD_COUNT`. Shards share `--out` on a network file system (each run has its own folder and lock) or write apart and are combined with `--merge`; a shard started again continues its unfinished runs",
    group: "Machine",
    onResume: "yes",
  },
] as const;

/** A sweep's command line: the preset, the changes to it, the machine's share. */
export type SweepArgs = ConfigOf<typeof SWEEP_SETTINGS>;

/** `deno task disentangle`, for the task kit. */
export const SWEEP_TASK: TaskSpec = {
  name: "disentangle",
  summary: [
    "Trains β-VAEs on dSprites — β = 1, 2, 4, 8, 16, capacity annealing and a KL budget,",
    "several seeds each — as runs of `deno task train`, scores every run (BetaVAE,",
    "FactorVAE, MIG, SAP, DCI) and writes results.jsonl, report.md and figures.",
  ],
  settings: SWEEP_SETTINGS,
  groups: ["Sweep", "Machine"],
  outDefault: "runs/disentangle-<preset>",
  resumes: "the sweep in --out (default: the newest in runs/) from its unfinished runs",
  extraFlags: [{
    flag: "merge",
    metavar: "DIR…",
    help: "combine the finished runs of the sweep folders DIR… into --out",
    doc:
      "`--merge DIR… [--out OUT]`: check the sweeps in the folders DIR… (the same settings; every grid point finished in one of them, and the same result where two hold one) and write OUT/results.jsonl and OUT/report.md (OUT defaults to the first DIR)",
  }],
  positionalsAfter: "merge",
};

/** What a sweep writes at the top of its folder. */
export const SWEEP_FOLDER: FolderSpec = {
  task: "disentangle",
  entries: [
    "sweep.json",
    "runs",
    "results.jsonl",
    "report.md",
    "report.html",
    "scores-vs-beta.svg",
    "kl-per-latent.svg",
  ],
  subfolders: ["runs"],
  holdsRun: async (dir) => {
    try {
      return (await Deno.stat(`${dir}/sweep.json`)).isFile;
    } catch {
      return false;
    }
  },
};

/** A shard: the `index`-th of `count`. */
export interface Shard {
  index: number;
  count: number;
}

const WHOLE = /^(0|[1-9][0-9]{0,8})$/;

/**
 * The shard `--shard` names: `I/N`, or `auto` / `auto/N`, which takes I from
 * `JOB_COMPLETION_INDEX` or `SLURM_ARRAY_TASK_ID` and N, unless given, from
 * `SLURM_ARRAY_TASK_COUNT` or `ELBO_SHARD_COUNT`.
 *
 * @param text The flag's value.
 * @param env Reads an environment variable.
 * @throws {UsageError} Naming the value and what was expected.
 */
export function parseShard(text: string, env: (name: string) => string | undefined): Shard {
  const bad = () =>
    new UsageError(`--shard must be I/N (I in 0…N−1), auto or auto/N: got ${JSON.stringify(text)}`);
  const fromEnv = (names: string[], missing: string) => {
    const found = names.map((n) => [n, env(n)] as const).find(([, v]) => v !== undefined);
    if (!found) throw new UsageError(missing);
    if (!WHOLE.test(found[1]!)) {
      throw new UsageError(`${found[0]} must be a whole number: it is ${JSON.stringify(found[1])}`);
    }
    return { value: Number(found[1]), name: found[0] };
  };
  const [left, right, ...rest] = text.split("/");
  if (rest.length || left === undefined) throw bad();
  const sources: string[] = [];
  let count: number, index: number;
  if (right !== undefined) {
    if (!WHOLE.test(right)) throw bad();
    count = Number(right);
  } else if (left === "auto") {
    const n = fromEnv(
      ["SLURM_ARRAY_TASK_COUNT", "ELBO_SHARD_COUNT"],
      "--shard auto needs the number of shards: write --shard auto/N, or set SLURM_ARRAY_TASK_COUNT or ELBO_SHARD_COUNT",
    );
    count = n.value;
    sources.push(`N from ${n.name}`);
  } else throw bad();
  if (count < 1) {
    throw new UsageError(`--shard needs at least 1 shard: got ${JSON.stringify(text)}`);
  }
  if (left === "auto") {
    const i = fromEnv(
      ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"],
      "--shard auto reads the shard's index from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (a Slurm array), and neither is set: write --shard I/N",
    );
    index = i.value;
    sources.unshift(`I from ${i.name}`);
  } else {
    if (!WHOLE.test(left)) throw bad();
    index = Number(left);
  }
  if (index >= count) {
    throw new UsageError(
      `--shard's index must be in 0…${count - 1}: got ${index} of ${count}${
        sources.length ? ` (${sources.join(", ")})` : ""
      }`,
    );
  }
  return { index, count };
}
