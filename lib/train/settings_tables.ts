// Views of the training settings, from the task kit: defaults as text, the
// option table of docs/training.md, and the rows of the settings that apply
// to a run (the report's configuration table).
import { appliedRows, defaultText, optionTableRows } from "../kit/views.ts";
import { TRAIN_TASK } from "./settings.ts";

export { defaultText };

/** The option table of docs/training.md, one row per flag. */
export function settingsTableRows(): string[][] {
  return optionTableRows(TRAIN_TASK);
}

/**
 * The settings of a configuration that have an effect, as (flag, value)
 * rows — the report's configuration table, which leaves out the rest (a
 * β for a plain VAE, say).
 */
export function appliedSettings(c: Readonly<Record<string, unknown>>): [string, string][] {
  return appliedRows(TRAIN_TASK, c, (s, v) => {
    if (s.key !== "capacity") return undefined;
    const cap = v as { max: number; epochs: number; gamma: number };
    return `${cap.max} nats over ${cap.epochs} epochs, γ = ${cap.gamma}`;
  });
}
