import { type BackendName, BACKENDS } from "../tensor/backend.ts";

/** Everything that defines a training run (saved with every checkpoint). */
export interface TrainConfig {
  /** `"ae"` (autoencoder), `"vae"`, or `"beta-vae"`. */
  model: "ae" | "vae" | "beta-vae";
  /** β of the β-VAE (used when neither capacity nor a KL budget is set). */
  beta: number;
  /** Capacity annealing of the β-VAE: C rises from 0 to `max` nats over `epochs`, weight `gamma`. */
  capacity?: { max: number; epochs: number; gamma: number };
  /** The KL budget δ of the constrained β-VAE (β by dual ascent). */
  klBudget?: number;
  /** η of the dual ascent on β. */
  dualStepSize: number;
  /** Latent (code) size. */
  latentSize: number;
  /** Hidden layer widths of the encoder (the decoder mirrors them). */
  hiddenSizes: number[];
  /** The decoder's likelihood. */
  likelihood: "bernoulli" | "gaussian";
  /** How the KL term is estimated. */
  klEstimator: "analytic" | "monteCarlo";
  /** k of the training objective: 1 is the ELBO, more is the importance-weighted bound. */
  importanceSamples: number;
  /** k of the importance-sampled test log p(x) at the end. */
  evalSamples: number;
  /** Passes over the training data. */
  epochs: number;
  /** Examples per step. */
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
  /** The tfjs backend. */
  backend: BackendName;
  /** `"mnist"` (embedded), `"fashion-mnist"` (Debian's), or a folder of IDX files. */
  dataset: string;
  /** Use only the first N training images (0: all). */
  trainSize: number;
  /** The seed of everything random. */
  seed: number;
}

/** The defaults of `deno task train`: a VAE on the embedded MNIST digits. */
export const DEFAULT_CONFIG: TrainConfig = {
  model: "vae",
  beta: 4,
  dualStepSize: 0.01,
  latentSize: 20,
  hiddenSizes: [400],
  likelihood: "bernoulli",
  klEstimator: "analytic",
  importanceSamples: 1,
  evalSamples: 200,
  epochs: 30,
  batchSize: 100,
  learningRate: 1e-3,
  backend: "wasm",
  dataset: "mnist",
  trainSize: 0,
  seed: 1,
};

/**
 * Checks a configuration, throwing a `RangeError` or `TypeError` that names
 * the field and its value.
 *
 * @param c The configuration.
 * @returns The same configuration.
 */
export function validateConfig(c: TrainConfig): TrainConfig {
  const bad = (name: string, rule: string, value: unknown): never => {
    throw new RangeError(`${name} must be ${rule}: got ${JSON.stringify(value)}`);
  };
  const int = (name: string, v: number, min: number) =>
    (Number.isInteger(v) && v >= min) || bad(name, `an integer ≥ ${min}`, v);
  const pos = (name: string, v: number, zero = false) =>
    (Number.isFinite(v) && (zero ? v >= 0 : v > 0)) ||
    bad(name, zero ? "a number ≥ 0" : "a number > 0", v);
  if (!["ae", "vae", "beta-vae"].includes(c.model)) bad("model", "ae, vae or beta-vae", c.model);
  if (!(c.backend in BACKENDS)) bad("backend", Object.keys(BACKENDS).join(", "), c.backend);
  if (!["bernoulli", "gaussian"].includes(c.likelihood)) {
    bad("likelihood", "bernoulli or gaussian", c.likelihood);
  }
  if (!["analytic", "monteCarlo"].includes(c.klEstimator)) {
    bad("kl-estimator", "analytic or monteCarlo", c.klEstimator);
  }
  int("latent", c.latentSize, 1);
  if (!Array.isArray(c.hiddenSizes) || c.hiddenSizes.length === 0) {
    bad("hidden", "a comma-separated list of widths", c.hiddenSizes);
  }
  c.hiddenSizes.forEach((h) => int("hidden", h, 1));
  int("importance-samples", c.importanceSamples, 1);
  int("eval-samples", c.evalSamples, 1);
  int("epochs", c.epochs, 1);
  int("batch-size", c.batchSize, 1);
  int("train-size", c.trainSize, 0);
  int("seed", c.seed, 0);
  pos("learning-rate", c.learningRate);
  pos("beta", c.beta, true);
  pos("dual-step", c.dualStepSize);
  if (c.klBudget !== undefined) pos("kl-budget", c.klBudget, true);
  if (c.capacity) {
    pos("capacity (max)", c.capacity.max, true);
    int("capacity (epochs)", c.capacity.epochs, 1);
    pos("capacity (gamma)", c.capacity.gamma);
  }
  if (c.capacity && c.klBudget !== undefined) {
    throw new RangeError("capacity and kl-budget are two different β-VAE objectives: choose one");
  }
  if (c.model !== "beta-vae" && (c.capacity || c.klBudget !== undefined)) {
    throw new RangeError(`capacity and kl-budget apply to --model beta-vae, not ${c.model}`);
  }
  return c;
}
