/**
 * The disentanglement sweep: β-VAEs trained on dSprites over a grid of
 * objectives (β = 1, 2, 4, 8, 16, capacity annealing, a KL budget) and seeds,
 * each scored with BetaVAE, FactorVAE, MIG, SAP and DCI.
 *
 *     deno task disentangle [--preset paper|quick|smoke] [--seeds N] [--steps N] [--network mlp|conv] [--threads N] [--out DIR] [--resume]
 *
 * The sweep's settings go to `sweep.json` when it starts, and each finished
 * run to `results.jsonl` (with its traversal PNG) before the next starts, so
 * `--resume` continues a killed sweep, with the same settings, from the
 * first run not finished. At the end: `report.md` with one table of every
 * score per objective (mean ± standard deviation over seeds) and per run,
 * the scores against β, the KL of each latent over training and the latent
 * traversals.
 *
 * @module
 */
import { dsprites } from "../data/dsprites.ts";
import { MAX_WASM_THREADS, useBackend } from "../tensor/backend.ts";
import { writeAtomic } from "../io/write_atomic.ts";
import { intOption, parseOptions, runtimeError, usageError } from "./_cli.ts";
import { runCell, type RunResult, type SweepCell, type SweepSettings } from "./_disentangle_run.ts";
import { summaryTable, writeSweepReport, writeTraversal } from "./_disentangle_report.ts";

/** The presets' names. */
export type Preset = "smoke" | "quick" | "paper";

/** The presets: a check of the pipeline, a quick look on 2 cores, and the papers' setting for a bigger machine. */
export const PRESETS: Record<Preset, SweepSettings & { seeds: number }> = {
  // A check that the whole pipeline runs, in seconds (its scores mean nothing).
  smoke: {
    imageSize: 16,
    network: "mlp",
    hiddenSizes: [32],
    latentSize: 4,
    steps: 20,
    batchSize: 16,
    learningRate: 1e-3,
    klEvery: 10,
    seeds: 1,
    metrics: {
      codes: 300,
      trees: 5,
      betaVae: { numTrain: 30, numEval: 20 },
      factorVae: { numTrain: 30, numEval: 20, numVarianceEstimate: 300 },
    },
  },
  // About 15 minutes on 2 cores: 32×32 images, a fully connected network as
  // Higgins et al. 2017 used for dSprites (one layer of 400 instead of two
  // of 1,200), fewer steps and scoring points than the papers.
  quick: {
    imageSize: 32,
    network: "mlp",
    hiddenSizes: [400],
    latentSize: 10,
    steps: 2000,
    batchSize: 64,
    learningRate: 5e-4,
    klEvery: 100,
    seeds: 2,
    metrics: {
      codes: 3000,
      trees: 20,
      betaVae: { numTrain: 500, numEval: 300 },
      factorVae: { numTrain: 500, numEval: 300, numVarianceEstimate: 3000 },
    },
  },
  // Burgess et al. 2018's network and Locatello et al. 2019's scoring sizes.
  paper: {
    imageSize: 64,
    network: "conv",
    hiddenSizes: [256, 256],
    latentSize: 10,
    steps: 300_000,
    batchSize: 64,
    learningRate: 5e-4,
    klEvery: 5000,
    seeds: 5,
    metrics: {
      codes: 10_000,
      trees: 50,
      betaVae: { numTrain: 10_000, numEval: 5_000 },
      factorVae: { numTrain: 10_000, numEval: 5_000, numVarianceEstimate: 10_000 },
    },
  },
};

/** The grid: five fixed β, capacity annealing to 25 nats (γ = 1000), and a 15-nat KL budget. */
export const CELLS: SweepCell[] = [
  ...[1, 2, 4, 8, 16].map((beta): SweepCell => ({
    name: `β = ${beta}`,
    beta,
    objective: () => ({ kind: "beta", beta }),
  })),
  {
    name: "capacity",
    objective: (s) => ({
      kind: "capacity",
      gamma: 1000,
      maxCapacity: 25,
      annealSteps: Math.round(0.8 * s.steps),
    }),
  },
  {
    name: "constrained",
    objective: () => ({ kind: "constrained", budget: 15, dualStepSize: 0.01, initialBeta: 1 }),
  },
];

/** Milliseconds as "12 min" or "3 h 05 min". */
function formatMinutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

const USAGE = `Usage: deno task disentangle [options]

Trains β-VAEs on dSprites over β = 1, 2, 4, 8, 16, capacity annealing and a KL
budget, several seeds each, and scores every run (BetaVAE, FactorVAE, MIG, SAP,
DCI). Writes results.jsonl, report.md and figures.

Options:
  --preset P     paper (64×64, convolutional, 300,000 steps, 5 seeds: the papers'
                 setting, for a bigger machine; default), quick (32×32, MLP, 2,000
                 steps, 2 seeds: ~15 min on 2 cores) or smoke (16×16, seconds:
                 checks the pipeline, its scores mean nothing)
  --seeds N      seeds per objective (default: the preset's)
  --steps N      Adam steps per run (default: the preset's)
  --network N    mlp or conv (default: the preset's)
  --threads N    threads of the wasm backend (default: one per core, at most 8)
  --out DIR      output folder (default runs/disentangle-<preset>)
  --resume       continue the sweep in --out from its first unfinished run
  --help         this text`;

if (import.meta.main) {
  const o = parseOptions(Deno.args, {
    preset: { type: "string" },
    seeds: { type: "string" },
    steps: { type: "string" },
    network: { type: "string" },
    threads: { type: "string" },
    out: { type: "string" },
    resume: { type: "boolean" },
    help: { type: "boolean" },
  }, USAGE);
  const presetName = o.preset ?? "paper";
  if (!Object.hasOwn(PRESETS, presetName)) {
    usageError(`--preset must be quick, paper or smoke: current value is ${presetName}`, USAGE);
  }
  const presetKey = presetName as Preset;
  const network = o.network ?? PRESETS[presetKey].network;
  if (network !== "mlp" && network !== "conv") {
    usageError(`--network must be mlp or conv: current value is ${network}`, USAGE);
  }
  const { seeds: presetSeeds, ...preset } = PRESETS[presetKey];
  let settings: SweepSettings = {
    ...preset,
    network,
    hiddenSizes: network === preset.network
      ? preset.hiddenSizes
      : PRESETS[network === "conv" ? "paper" : "quick"].hiddenSizes,
    steps: intOption("steps", o.steps, preset.steps, 1, 100_000_000),
  };
  let seeds = intOption("seeds", o.seeds, presetSeeds, 1, 100);
  let sweepPreset: string = presetName;
  const threads = intOption(
    "threads",
    o.threads,
    Math.min(navigator.hardwareConcurrency, MAX_WASM_THREADS),
    1,
    MAX_WASM_THREADS,
  );
  const out = o.out ?? `runs/disentangle-${presetName}`;
  const resultsFile = `${out}/results.jsonl`, sweepFile = `${out}/sweep.json`;
  const done: RunResult[] = [];
  const fileExists = (path: string) => Deno.stat(path).then(() => true, () => false);
  if (o.resume) {
    // The sweep continues as it started: its settings come from sweep.json,
    // and a flag that would change them is refused.
    if (!(await fileExists(resultsFile)) || !(await fileExists(sweepFile))) {
      runtimeError(`--resume found no sweep in ${out} (results.jsonl and sweep.json)`);
    }
    let saved: { preset: string; seeds: number; settings: SweepSettings };
    try {
      saved = JSON.parse(await Deno.readTextFile(sweepFile));
      for (const line of (await Deno.readTextFile(resultsFile)).split("\n")) {
        if (line.trim()) done.push(JSON.parse(line));
      }
    } catch (e) {
      runtimeError(`--resume cannot read the sweep in ${out}: ${(e as Error).message}`);
    }
    const given: [string, unknown, unknown][] = [
      ["preset", o.preset, saved.preset],
      ["seeds", o.seeds && seeds, saved.seeds],
      ["steps", o.steps && settings.steps, saved.settings.steps],
      ["network", o.network, saved.settings.network],
    ];
    for (const [flag, value, was] of given) {
      if (value !== undefined && value !== was) {
        usageError(
          `--resume continues the sweep in ${out} as it started: drop --${flag} (it was ${was})`,
          USAGE,
        );
      }
    }
    ({ preset: sweepPreset, seeds, settings } = saved);
  } else {
    if (await fileExists(resultsFile)) {
      runtimeError(`${out} already holds a sweep: pass --resume to continue it, or another --out`);
    }
    await Deno.mkdir(out, { recursive: true });
    await writeAtomic(sweepFile, JSON.stringify({ preset: presetName, seeds, settings }, null, 1));
    await writeAtomic(resultsFile, "");
  }
  await useBackend("wasm", { threads });
  const data = dsprites({ imageSize: settings.imageSize });
  const plan = CELLS.flatMap((cell) =>
    Array.from({ length: seeds }, (_, i) => ({ cell, seed: i + 1 }))
  );
  const started = performance.now();
  const isDone = (p: { cell: SweepCell; seed: number }) =>
    done.some((r) => r.cell === p.cell.name && r.seed === p.seed);
  let index = 0, ranHere = 0;
  for (const { cell, seed } of plan) {
    index++;
    if (isDone({ cell, seed })) continue;
    // The sweep's time left, from the runs this invocation has finished.
    const left = plan.filter((p) => !isDone(p)).length;
    const eta = ranHere
      ? `, sweep ETA ${formatMinutes((performance.now() - started) / ranHere * left)}`
      : "";
    const tag = `run ${index}/${plan.length} (${cell.name}, seed ${seed}${eta})`;
    let r: RunResult, traversal: Float32Array[];
    try {
      ({ result: r, traversal } = await runCell(data, settings, cell, seed, (line, last) => {
        const text = `${tag}  ${line}`;
        if (last || !Deno.stdout.isTerminal()) console.log(text);
        else Deno.stdout.writeSync(new TextEncoder().encode(`\r${text}\x1b[K`));
      }));
    } catch (e) {
      runtimeError(
        `${tag} failed: ${
          (e as Error).message
        }; the ${done.length} finished runs are in ${resultsFile} (--resume continues)`,
      );
    }
    try {
      await writeTraversal(out, r, traversal, settings.imageSize);
      done.push(r);
      ranHere++;
      await writeAtomic(resultsFile, done.map((x) => JSON.stringify(x)).join("\n") + "\n");
    } catch (e) {
      runtimeError(
        `${tag} finished but could not be saved in ${out}: ${
          (e as Error).message
        }; the runs finished before it are in ${resultsFile} (--resume continues)`,
      );
    }
  }
  const command =
    `deno task disentangle --preset ${sweepPreset} --seeds ${seeds} --steps ${settings.steps} --network ${settings.network}`;
  let files: string[] = [];
  try {
    files = await writeSweepReport(out, done, settings, command);
  } catch (e) {
    runtimeError(
      `the ${done.length} runs are in ${resultsFile}, but the report could not be written: ${
        (e as Error).message
      } (--resume writes it again)`,
    );
  }
  console.log(`\n${summaryTable(done)}\n`);
  console.log(
    `${Math.round((performance.now() - started) / 1000)} s. Wrote ${out}/report.md (${
      [...files.filter((f) => f !== "report.md"), "traversal-*.png"].join(", ")
    }) and results.jsonl`,
  );
}
