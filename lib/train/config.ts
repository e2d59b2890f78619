import { show } from "../math/_validate.ts";
import { type Rule, setting, SETTINGS } from "./settings.ts";

export { type Rule, SETTINGS };

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
  /** The tfjs backend (`"wasm"`, `"cpu"` or `"webgpu"`). */
  backend: "wasm" | "cpu" | "webgpu";
  /** Threads of the wasm backend (0: one per core). */
  threads: number;
  /** `"mnist"` (embedded), `"fashion-mnist"` (Debian's), or a folder of IDX files. */
  dataset: string;
  /** Use only the first N training images (0: all). */
  trainSize: number;
  /** The seed of everything random. */
  seed: number;
}

/** The defaults of `deno task train`: a VAE on the embedded MNIST digits (from `SETTINGS`). */
export const DEFAULT_CONFIG: TrainConfig = Object.fromEntries(
  SETTINGS.filter((s) => !s.key.includes(".") && s.default !== undefined).map((s) => [
    s.key,
    structuredClone(s.default),
  ]),
) as unknown as TrainConfig;

/**
 * The settings that may change when a run is resumed: they do not change
 * what the finished epochs computed (`epochs` may only grow).
 */
export const RESUMABLE: readonly (keyof TrainConfig)[] = SETTINGS.filter((s) => s.onResume !== "no")
  .map((s) => s.key as keyof TrainConfig);

/** What a value of `rule` is, in words ("an integer in [1, 100]"). */
export function describeRule(rule: Rule): string {
  switch (rule.kind) {
    case "integer":
      return `an integer in [${rule.min}, ${rule.max}]`;
    case "integers":
      return `1 to ${rule.maxLength} integers in [${rule.min}, ${rule.max}]`;
    case "number":
      return `a finite number ${rule.exclusive ? ">" : "≥"} ${rule.min}`;
    case "choice":
      return `one of ${rule.choices.join(", ")}`;
    case "text":
      return `a non-empty text of at most ${rule.maxLength} characters`;
  }
}

/**
 * Checks a value against a rule.
 *
 * @param rule The rule.
 * @param value Any value.
 * @returns `undefined` if the value is valid, otherwise the kind of error
 *   (a wrong type or a value out of range).
 */
export function checkRule(rule: Rule, value: unknown): "type" | "range" | undefined {
  switch (rule.kind) {
    case "integer":
      if (typeof value !== "number") return "type";
      return Number.isInteger(value) && value >= rule.min && value <= rule.max
        ? undefined
        : "range";
    case "integers":
      if (!Array.isArray(value)) return "type";
      if (value.length < 1 || value.length > rule.maxLength) return "range";
      for (const v of value) {
        const e = checkRule({ kind: "integer", min: rule.min, max: rule.max }, v);
        if (e) return e;
      }
      return undefined;
    case "number":
      if (typeof value !== "number") return "type";
      return Number.isFinite(value) && (rule.exclusive ? value > rule.min : value >= rule.min)
        ? undefined
        : "range";
    case "choice":
      if (typeof value !== "string") return "type";
      return rule.choices.includes(value) ? undefined : "range";
    case "text":
      if (typeof value !== "string") return "type";
      return value.length > 0 && value.length <= rule.maxLength && !value.includes("\0")
        ? undefined
        : "range";
  }
}

/**
 * Checks one setting by its rule.
 *
 * @param name The setting's key in `SETTINGS` (`"epochs"`, `"capacity.max"`, …).
 * @param value Any value.
 * @throws {TypeError} If the value has the wrong type.
 * @throws {RangeError} If it is out of range; the message names `config.<name>` and the value.
 */
export function checkSetting(name: string, value: unknown): void {
  const rule = setting(name).rule;
  const error = checkRule(rule, value);
  if (error) {
    const shown = typeof value === "string" && value.length > 80
      ? `${JSON.stringify(value.slice(0, 80))}…`
      : show(value);
    throw new (error === "type" ? TypeError : RangeError)(
      `Cannot train as config.${name} must be ${describeRule(rule)}: current value is ${shown}`,
    );
  }
}

const KEYS = new Set([...Object.keys(DEFAULT_CONFIG), "capacity", "klBudget"]);

/**
 * Checks a configuration — every field, its type and its range, and the
 * combinations that cannot work together — so that a bad one is refused
 * before any data is loaded or any file written.
 *
 * @param c The configuration (any value: a checkpoint's trainer.json is checked with it too).
 * @returns The same configuration.
 * @throws {TypeError} If `c` is not an object, a field has the wrong type, or a field is unknown.
 * @throws {RangeError} If a field is out of range or two fields conflict; the
 *   message names the field and its value.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG, validateConfig } from "./config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(validateConfig({ ...DEFAULT_CONFIG }).epochs, 30);
 * assert.throws(
 *   () => validateConfig({ ...DEFAULT_CONFIG, batchSize: 0 }),
 *   /config\.batchSize must be an integer in \[1, 1000000\]: current value is 0/,
 * );
 * ```
 */
export function validateConfig(c: TrainConfig): TrainConfig {
  const what = "Cannot train";
  if (c === null || typeof c !== "object" || Array.isArray(c)) {
    throw new TypeError(`${what} as config must be an object: current value is ${show(c)}`);
  }
  for (const key of Object.keys(c)) {
    if (!KEYS.has(key)) {
      throw new TypeError(
        `${what} as config.${key} is not a setting: current value is ${show(key)}`,
      );
    }
  }
  const record = c as unknown as Record<string, unknown>;
  const check = checkSetting;
  for (const { key } of SETTINGS) {
    if (key.startsWith("capacity.") || key === "klBudget") continue;
    check(key, record[key]);
  }
  if (c.klBudget !== undefined) check("klBudget", c.klBudget);
  if (c.capacity !== undefined) {
    const cap = c.capacity as unknown;
    if (cap === null || typeof cap !== "object" || Array.isArray(cap)) {
      throw new TypeError(
        `${what} as config.capacity must be { max, epochs, gamma }: current value is ${show(cap)}`,
      );
    }
    for (const key of Object.keys(cap)) {
      if (!["max", "epochs", "gamma"].includes(key)) {
        throw new TypeError(`${what} as config.capacity.${key} is not a setting`);
      }
    }
    check("capacity.max", c.capacity.max);
    check("capacity.epochs", c.capacity.epochs);
    check("capacity.gamma", c.capacity.gamma);
  }
  if (c.capacity && c.klBudget !== undefined) {
    throw new RangeError(
      `${what} as capacity and klBudget are two different β-VAE objectives: choose one`,
    );
  }
  if (c.model !== "beta-vae" && (c.capacity || c.klBudget !== undefined)) {
    throw new RangeError(
      `${what} as capacity and klBudget apply to the model beta-vae: current model is ${c.model}`,
    );
  }
  return c;
}
