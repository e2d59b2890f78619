// A disentanglement sweep as runs of `train`: the grid (five fixed β,
// capacity annealing, a KL budget, several seeds), the presets that size it,
// the training configuration of each grid point, the shard a point belongs
// to, and the results a finished run leaves in its folder.
import { DEFAULT_CONFIG, type TrainConfig } from "../train/config.ts";
import { SCORE_KEYS } from "../train/scores.ts";
import { field } from "../kit/state.ts";

/** A preset: the sizes of a sweep. */
export interface Preset {
  /** `dsprites` (64 × 64) or `dsprites:SIDE`. */
  dataset: string;
  network: "mlp" | "conv";
  hiddenSizes: number[];
  latentSize: number;
  batchSize: number;
  learningRate: number;
  /** Adam steps per run. */
  steps: number;
  /** Epochs a run's steps are split into: a checkpoint after each (capacity annealing ends after 80% of them). */
  epochs: number;
  /** Seeds per cell. */
  seeds: number;
  /** Points of the scores (codes, classifier points) and DCI's trees. */
  scorePoints: number;
  scoreTrees: number;
}

/** The presets' names. */
export const PRESET_NAMES = ["smoke", "quick", "paper"] as const;
/** A preset's name. */
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * The presets: a check of the pipeline in seconds, a look at the shape of
 * the results on a small machine (the default), and the papers' setting —
 * Burgess et al. 2018's network, Locatello et al. 2019's scoring sizes — for
 * a cluster.
 */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  // Checks that the whole pipeline runs (its scores mean nothing).
  smoke: {
    dataset: "dsprites:16",
    network: "mlp",
    hiddenSizes: [32],
    latentSize: 4,
    batchSize: 16,
    learningRate: 1e-3,
    steps: 20,
    epochs: 10,
    seeds: 1,
    scorePoints: 50,
    scoreTrees: 5,
  },
  // 32×32 images and a fully connected network as Higgins et al. 2017 used
  // for dSprites (one layer of 400 instead of two of 1,200).
  quick: {
    dataset: "dsprites:32",
    network: "mlp",
    hiddenSizes: [400],
    latentSize: 10,
    batchSize: 64,
    learningRate: 5e-4,
    steps: 2000,
    epochs: 10,
    seeds: 2,
    scorePoints: 1000,
    scoreTrees: 20,
  },
  paper: {
    dataset: "dsprites",
    network: "conv",
    hiddenSizes: [256, 256],
    latentSize: 10,
    batchSize: 64,
    learningRate: 5e-4,
    steps: 300_000,
    // An epoch of 3,000 steps: a preempted pod loses minutes, not hours.
    epochs: 100,
    seeds: 5,
    scorePoints: 10_000,
    scoreTrees: 50,
  },
};

/** One cell of the grid: its name, its folder name, β for plots (if fixed), and the objective's settings for a preset. */
export interface Cell {
  name: string;
  slug: string;
  beta?: number;
  objective: (s: Preset) => Partial<TrainConfig>;
}

/** The grid: five fixed β, capacity annealing to 25 nats (γ = 1000), and a 15-nat KL budget. */
export const CELLS: readonly Cell[] = [
  ...[1, 2, 4, 8, 16].map((beta): Cell => ({
    name: `β = ${beta}`,
    slug: `beta-${beta}`,
    beta,
    objective: () => ({ beta }),
  })),
  {
    name: "capacity",
    slug: "capacity",
    objective: (s) => ({ capacity: { max: 25, epochs: 0.8 * s.epochs, gamma: 1000 } }),
  },
  {
    name: "constrained",
    slug: "constrained",
    objective: () => ({ klBudget: 15, dualStepSize: 0.01 }),
  },
];

/** What a sweep is: its preset, and the preset's sizes with the changes asked for. */
export interface Sweep {
  preset: PresetName;
  settings: Preset;
}

/** A grid point: a cell and a seed, its index in the grid, and its run's folder name. */
export interface Point {
  cell: Cell;
  seed: number;
  index: number;
  id: string;
}

/**
 * A sweep from a preset and the changes asked for: another number of seeds,
 * of steps (rounded up to whole epochs), or another
 * network (which takes the dense layers of the preset that uses it).
 */
export function sweepOf(
  a: { preset: PresetName; seeds?: number; steps?: number; network?: "mlp" | "conv" },
): Sweep {
  const base = PRESETS[a.preset];
  const network = a.network ?? base.network;
  const hiddenSizes = network === base.network
    ? base.hiddenSizes
    : PRESETS[network === "conv" ? "paper" : "quick"].hiddenSizes;
  return {
    preset: a.preset,
    settings: {
      ...base,
      network,
      hiddenSizes: [...hiddenSizes],
      steps: base.epochs * Math.ceil((a.steps ?? base.steps) / base.epochs),
      seeds: a.seeds ?? base.seeds,
    },
  };
}

/** The grid points of a sweep, cell by cell, seed by seed. */
export function gridOf(s: Sweep): Point[] {
  return CELLS.flatMap((cell, c) =>
    Array.from({ length: s.settings.seeds }, (_, i) => ({
      cell,
      seed: i + 1,
      index: c * s.settings.seeds + i,
      id: `${cell.slug}-seed${i + 1}`,
    }))
  );
}

/** The points of shard `shard` of `of`: every `of`-th point from the `shard`-th (a fixed assignment). */
export function shardOf(points: Point[], shard: number, of: number): Point[] {
  return points.filter((p) => p.index % of === shard);
}

/** How a machine runs a sweep's points (not part of the sweep: shards may differ). */
export interface Machine {
  threads: number;
  blas: "auto" | "on" | "off";
}

/** The training configuration of a grid point. */
export function configOf(s: Sweep, p: Point, machine: Machine): TrainConfig {
  const z = s.settings;
  return {
    ...structuredClone(DEFAULT_CONFIG),
    model: "beta-vae",
    dataset: z.dataset,
    network: z.network,
    hiddenSizes: [...z.hiddenSizes],
    latentSize: z.latentSize,
    batchSize: z.batchSize,
    learningRate: z.learningRate,
    epochs: z.epochs,
    trainSize: (z.steps / z.epochs) * z.batchSize,
    evalSamples: 1,
    scorePoints: z.scorePoints,
    scoreTrees: z.scoreTrees,
    backend: "wasm",
    threads: machine.threads,
    blas: machine.blas,
    seed: p.seed,
    ...p.cell.objective(z),
  };
}

/** What one run leaves in the sweep's results.jsonl. */
export interface RunResult {
  cell: string;
  seed: number;
  beta?: number;
  scores: Record<(typeof SCORE_KEYS)[number], number>;
  /** Reconstruction and KL (nats per image) on the test images at the end. */
  reconstruction: number;
  kl: number;
  /** The KL of each latent at the end. */
  klPerLatent: number[];
  /** Seconds spent training and evaluating (with the scores). */
  seconds: { train: number; score: number };
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isUnit = (v: unknown): v is number => isNumber(v) && v >= 0 && v <= 1;

/**
 * The result of a finished run of the sweep: the last line of its
 * metrics.jsonl, checked (every score a number in [0, 1], the terms finite),
 * or undefined while the run has not finished.
 *
 * @throws {Error} If the run finished but its metrics are not what a run writes.
 */
export async function resultOf(dir: string, p: Point): Promise<RunResult | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/metrics.jsonl`);
  } catch {
    return undefined;
  }
  const last = text.trimEnd().split("\n").at(-1) ?? "";
  let f: unknown;
  try {
    f = JSON.parse(last);
  } catch {
    throw new Error(`${dir}/metrics.jsonl does not end in a JSON line`);
  }
  if ((f as { kind?: unknown })?.kind !== "final") return undefined;
  try {
    const scores = Object.fromEntries(
      SCORE_KEYS.map((k) => [k, field(f, k, isUnit, "a score in [0, 1]")]),
    ) as RunResult["scores"];
    const klPerLatent = field(
      f,
      "klPerDimension",
      (v): v is number[] => Array.isArray(v) && v.every(isNumber),
      "a list of numbers",
    );
    return {
      cell: p.cell.name,
      seed: p.seed,
      ...(p.cell.beta === undefined ? {} : { beta: p.cell.beta }),
      scores,
      reconstruction: field(f, "reconstruction", isNumber, "a number"),
      kl: field(f, "kl", isNumber, "a number"),
      klPerLatent,
      seconds: {
        train: field(f, "trainSeconds", isNumber, "a number"),
        score: field(f, "evalSeconds", isNumber, "a number"),
      },
    };
  } catch (e) {
    throw new Error(
      `${dir}/metrics.jsonl's final line is not a sweep run's: ${(e as Error).message}`,
    );
  }
}
