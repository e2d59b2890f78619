// The training configuration: its defaults and its validation, from the one
// declaration of the settings (settings.ts) through the task kit.
import { show } from "../math/_validate.ts";
import { checkConfig, checkSetting as checkField, resumableKeys } from "../kit/settings.ts";
import { setting, TRAIN_TASK, type TrainConfig } from "./settings.ts";

export { DEFAULT_CONFIG, SETTINGS, type TrainConfig } from "./settings.ts";
export { checkRule, describeRule, type Rule } from "../kit/rules.ts";

/**
 * The settings that may change when a run is resumed (their `onResume` is
 * not "no"): they do not change what the finished epochs computed (`epochs`
 * may only grow).
 */
export const RESUMABLE: readonly (keyof TrainConfig)[] = resumableKeys(TRAIN_TASK) as (
  keyof TrainConfig
)[];

/**
 * Checks one setting by its rule.
 *
 * @param name The setting's key (`"epochs"`, `"capacity"`, …).
 * @param value Any value.
 * @throws {TypeError} If the value has the wrong type.
 * @throws {RangeError} If it is out of range; the message names `config.<name>` and the value.
 */
export function checkSetting(name: string, value: unknown): void {
  checkField("Cannot train", setting(name), value);
}

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
  checkConfig(what, TRAIN_TASK, c);
  checkCombination(c);
  return c;
}

/**
 * The combinations that cannot work together: capacity annealing and a KL
 * budget are two objectives, and both belong to the β-VAE.
 *
 * @throws {RangeError} Naming both.
 */
export function checkCombination(c: Readonly<Record<string, unknown>>): void {
  const what = "Cannot train";
  if (c.capacity !== undefined && c.klBudget !== undefined) {
    throw new RangeError(
      `${what} as capacity and klBudget are two different β-VAE objectives: choose one`,
    );
  }
  if (c.model !== "beta-vae" && (c.capacity !== undefined || c.klBudget !== undefined)) {
    throw new RangeError(
      `${what} as capacity and klBudget apply to the model beta-vae: current model is ${
        show(c.model)
      }`,
    );
  }
}
