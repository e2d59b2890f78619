// Views of the settings declaration: defaults as text, the docs' option
// table, and the rows of the settings that apply to a run (the report's
// configuration table).
import { type Applicability, applies, flagSettings, type Setting } from "./settings.ts";

/** A setting's default, as `--help` and the docs show it (undefined: none to show). */
export function defaultText(s: Setting): string | undefined {
  if (s.defaultText !== undefined) return s.defaultText === "–" ? undefined : s.defaultText;
  if (s.default === undefined) return undefined;
  return Array.isArray(s.default) ? s.default.join(",") : String(s.default);
}

/** The options of a run that are not settings (they are not saved with it). */
export const RUN_OPTIONS: readonly {
  flag: string;
  metavar: string;
  default: string;
  doc: string;
}[] = [
  {
    flag: "out",
    metavar: "DIR",
    default: "runs/<model>-<dataset>-<date>",
    doc: "the run folder",
  },
  {
    flag: "resume",
    metavar: "",
    default: "–",
    doc:
      "continue the run in `--out` (default: the newest run in `runs/`) from its last complete epoch",
  },
];

/**
 * The option table of docs/training.md, one row per flag: the flag, its
 * default, and what it does, to whom it applies and whether `--resume` may
 * change it.
 */
export function settingsTableRows(): string[][] {
  const cell = (s: string) => s.replaceAll("|", "\\|");
  const resume = { no: "", yes: "; may change on `--resume`", grow: "; may grow on `--resume`" };
  return [
    ...flagSettings().map((s) => [
      cell(`\`--${s.flag}${s.metavar ? ` ${s.metavar}` : ""}\``),
      cell(defaultText(s) ?? "–"),
      cell(
        `${s.doc ?? s.help}${s.appliesText ? `; with ${s.appliesText} only` : ""}${
          resume[s.onResume]
        }`,
      ),
    ]),
    ...RUN_OPTIONS.map((o) => [
      cell(`\`--${o.flag}${o.metavar ? ` ${o.metavar}` : ""}\``),
      cell(o.default),
      cell(o.doc),
    ]),
  ];
}

/**
 * The settings of a configuration that have an effect, as (flag, value)
 * rows — the report's configuration table, which leaves out the rest (a
 * β for a plain VAE, say).
 */
export function appliedSettings(c: Applicability & Record<string, unknown>): [string, string][] {
  const value = (v: unknown) =>
    Array.isArray(v)
      ? v.join(",")
      : typeof v === "object" && v !== null
      ? JSON.stringify(v)
      : String(v);
  const rows: [string, string][] = [];
  for (const s of flagSettings()) {
    if (!applies(s, c)) continue;
    if (s.flag === "capacity") {
      const cap = c.capacity as { max: number; epochs: number; gamma: number } | undefined;
      if (cap) {
        rows.push(["capacity", `${cap.max} nats over ${cap.epochs} epochs, γ = ${cap.gamma}`]);
      }
      continue;
    }
    const v = c[s.key];
    if (v === undefined) continue;
    // 0 for "all" (images, cores) reads as its words.
    const words = v === 0 && s.default === 0 ? defaultText(s) : undefined;
    rows.push([s.flag, words ?? value(v)]);
  }
  return rows;
}
