// Every training setting, declared once: its configuration key, flag, rule,
// default, help, the models and objectives it applies to, and whether it may
// change on --resume. The configuration's type, its defaults and validation,
// the command-line parser, --help, the option table of docs/training.md and
// the report's configuration table all come from this table, through the
// task kit (lib/kit/). The entries are in settings_model.ts and
// settings_run.ts, by group.
import {
  applies,
  type ConfigOf,
  defaultsOf,
  type Setting,
  type TaskSpec,
} from "../kit/settings.ts";
import { MODEL_SETTINGS } from "./settings_model.ts";
import { RUN_SETTINGS } from "./settings_run.ts";

export { applies, MODEL_SETTINGS, RUN_SETTINGS, type Setting };
export type { Rule } from "../kit/rules.ts";
export { hasFactors } from "./_applies.ts";

/** The groups of `--help` and of the docs' option table, in order. */
export const GROUPS = ["Model", "β-VAE", "Training", "Data", "Evaluation and output"] as const;

/** The fields a setting's applicability is decided by (a configuration, or part of one). */
export type Applicability = Readonly<Record<string, unknown>>;

/**
 * The training settings, in the order of `--help`: the one declaration of
 * each, from which {@linkcode TrainConfig}'s type, the defaults, validation,
 * the command line, `--help` and the docs' option table come.
 */
export const TRAIN_SETTINGS = [...MODEL_SETTINGS, ...RUN_SETTINGS] as const;

/** The training settings, in the order of `--help`. */
export const SETTINGS: readonly Setting[] = TRAIN_SETTINGS;

/**
 * Everything that defines a training run (saved with every checkpoint): one
 * field per setting of {@linkcode SETTINGS}, typed by its rule — `model` is
 * `"ae" | "vae" | "beta-vae"`, `hiddenSizes` a `number[]`, `capacity` an
 * optional `{ max, epochs, gamma }` — and documented by its `help` and `doc`.
 */
export type TrainConfig = ConfigOf<typeof TRAIN_SETTINGS>;

/** The defaults of `deno task train`: a VAE on the embedded MNIST digits. */
export const DEFAULT_CONFIG: TrainConfig = defaultsOf(TRAIN_SETTINGS);

/** `deno task train`: its settings and run folder, for the task kit. */
export const TRAIN_TASK: TaskSpec = {
  name: "train",
  summary: [
    "Trains a model, checkpoints it every epoch, and writes runs/<name>/ with",
    "metrics.jsonl, the model (tfjs format), report.md, report.html and figures.",
  ],
  settings: SETTINGS,
  groups: GROUPS,
  groupHeadings: { "β-VAE": "β-VAE (with --model beta-vae; --beta, --capacity or --kl-budget)" },
  outDefault: "runs/<model>-<dataset>-<date>",
  resumes: "the run in --out (default: the newest in runs/) from its last complete epoch",
};

/** The setting of a configuration field (`"epochs"`, `"capacity"`, …). */
export function setting(key: string): Setting {
  const s = SETTINGS.find((x) => x.key === key);
  if (!s) throw new TypeError(`There is no training setting ${JSON.stringify(key)}`);
  return s;
}
