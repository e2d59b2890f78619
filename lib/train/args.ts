// The command line of `deno task train`, parsed by a pure function from the
// settings declaration (the task kit's parser): the arguments in, a
// configuration or a usage error out (no exit, no I/O).
import { parseTaskArgs } from "../kit/parse.ts";
import { shellWord, UsageError } from "../kit/rules.ts";
import { usageOf } from "../kit/views.ts";
import { TRAIN_TASK, type TrainConfig } from "./settings.ts";

export { oneLine, parseDecimal, parseWholeNumber, quote, shellWord } from "../kit/rules.ts";

/** The usage text of `deno task train` (its `--help`), generated from `SETTINGS`. */
export const TRAIN_USAGE: string = usageOf(TRAIN_TASK);

/** The settings `--resume` may change. */
export type ResumeChanges = Partial<
  Pick<TrainConfig, "epochs" | "backend" | "threads" | "evalSamples">
>;

/** What the command line asks for. */
export type TrainArgs =
  | { kind: "help"; usage: string }
  | { kind: "train"; config: TrainConfig; out?: string }
  | { kind: "resume"; changes: ResumeChanges; out?: string }
  | { kind: "error"; message: string };

/** `--out=DIR` as a shell word a user can paste. */
export function outOption(dir: string): string {
  return shellWord(`--out=${dir}`);
}

/** The objectives of a β-VAE are one at a time. */
function checkObjectives(c: Record<string, unknown>): void {
  if (c.capacity !== undefined && c.klBudget !== undefined) {
    throw new UsageError("--capacity and --kl-budget are two different objectives: choose one");
  }
}

/**
 * Parses the command line of `deno task train` without side effects.
 *
 * Every option is checked by the rule of its setting (see `SETTINGS`): whole
 * numbers in plain digits within their bounds, numbers finite, names from
 * their list, each option at most once, and combinations that would silently
 * ignore an option refused.
 *
 * @param args The arguments (as `Deno.args`).
 * @returns `help`, a new run's configuration, a resume with the settings it
 *   changes, or a one-line usage error naming the option and the value.
 *
 * @example
 * ```ts
 * import { parseTrainArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const r = parseTrainArgs(["--epochs", "3", "--out", "runs/a#b"]);
 * assert.equal(r.kind, "train");
 * assert.equal(r.kind === "train" && r.config.epochs, 3);
 * const bad = parseTrainArgs(["--seed", "1e20"]);
 * assert.equal(bad.kind, "error");
 * assert.match(bad.kind === "error" ? bad.message : "", /--seed must be an integer ≥ 0/);
 * ```
 */
export function parseTrainArgs(args: readonly string[]): TrainArgs {
  const r = parseTaskArgs<TrainConfig>(TRAIN_TASK, args, checkObjectives);
  const place = (out?: string) => (out === undefined ? {} : { out });
  switch (r.kind) {
    case "run":
      return { kind: "train", config: r.config, ...place(r.out) };
    case "resume":
      return { kind: "resume", changes: r.changes as ResumeChanges, ...place(r.out) };
    default:
      return r;
  }
}
