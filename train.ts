/**
 * Training from code: {@linkcode train} trains an autoencoder, VAE or β-VAE
 * on real data and writes a run folder with checkpoints, metrics and a
 * report, as `deno task train` does from the command line.
 *
 * Every setting is declared once ({@linkcode SETTINGS}): the configuration
 * ({@linkcode TrainConfig}, defaults in {@linkcode DEFAULT_CONFIG}) is checked
 * by {@linkcode validateConfig}, and the command line is read by
 * {@linkcode parseTrainArgs} from the same declaration. The command itself is
 * `@elbo/elbo/train/cli`:
 *
 *     deno task train --help                            # in a clone of the repository
 *     deno run -A jsr:@elbo/elbo/train/cli --help       # from JSR
 *
 * @example Train a small VAE from code and follow its progress
 * ```ts
 * import { DEFAULT_CONFIG, train } from "@elbo/elbo/train";
 * import assert from "node:assert/strict";
 *
 * const out = await Deno.makeTempDir();
 * let steps = 0;
 * const config = {
 *   ...DEFAULT_CONFIG,
 *   backend: "cpu" as const,
 *   hiddenSizes: [32],
 *   latentSize: 2,
 *   epochs: 1,
 *   trainSize: 300,
 *   evalSamples: 2,
 * };
 * const r = await train(config, {
 *   out,
 *   onProgress: (e) => void (e.kind === "step" && steps++),
 * });
 * assert.equal(steps, 3);
 * assert.ok(Number.isFinite(r.final.elbo as number));
 * r.model.dispose();
 * await Deno.remove(out, { recursive: true });
 * ```
 *
 * @module
 */

// the loop
export {
  CheckpointError,
  type EpochMetrics,
  type EpochSummary,
  type FinalMetrics,
  type Progress,
  train,
  type TrainEvent,
  type TrainOptions,
  type TrainResult,
  UnfinishedRunError,
} from "./lib/train/trainer.ts";
export type { ModelReport, StepResult, Term } from "./lib/models/report.ts";

// the configuration and its settings
export { DEFAULT_CONFIG, type TrainConfig, validateConfig } from "./lib/train/config.ts";
export {
  type Applicability,
  GROUPS,
  type Rule,
  type Setting,
  SETTINGS,
  TRAIN_SETTINGS,
} from "./lib/train/settings.ts";
export type { ConfigOf } from "./lib/kit/settings.ts";
export type { Part, PartsRule, ScalarRule, ValueOf } from "./lib/kit/rules.ts";

// the command line
export {
  parseTrainArgs,
  type ResumeChanges,
  TRAIN_USAGE,
  type TrainArgs,
} from "./lib/train/args.ts";

// the run folder
export { RunFolderError } from "./lib/train/run_folder.ts";
export { LockHeldError } from "./lib/io/run_lock.ts";
