// Views of a task's settings declaration: --help, the docs' option table
// (a test keeps each in step with its doc), and the rows of the settings
// that apply to a run (a report's configuration table).
import { shellWord } from "./rules.ts";
import { applies, flagSettings, type Setting, type TaskSpec } from "./settings.ts";

/** A setting's value as its flag takes it: lists and parts comma-separated. */
function flagValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(",");
  if (typeof v === "object" && v !== null) return Object.values(v).join(",");
  return String(v);
}

/** A setting's default, as `--help` and the docs show it (undefined: none to show). */
export function defaultText(s: Setting): string | undefined {
  if (s.defaultText !== undefined) return s.defaultText === "–" ? undefined : s.defaultText;
  if (s.default === undefined) return undefined;
  if (Array.isArray(s.default)) return s.default.join(",");
  if (typeof s.default === "object") return Object.values(s.default as object).join(",");
  return String(s.default);
}

/** The flags every task has besides its settings: --out, --resume (if it resumes), --help. */
function runFlags(task: TaskSpec): { flag: string; metavar: string; help: string; doc: string }[] {
  return [
    ...(task.extraFlags ?? []).map((f) => ({ ...f, doc: f.doc ?? f.help })),
    ...(task.outDefault !== undefined
      ? [{
        flag: "out",
        metavar: "DIR",
        help: `the run folder (default ${task.outDefault})`,
        doc: "the run folder",
      }]
      : []),
    ...(task.resumes
      ? [{
        flag: "resume",
        metavar: "",
        help: `continue ${task.resumes}`,
        doc: `continue ${task.resumes}`,
      }]
      : []),
  ];
}

/** The usage text of a task (its `--help`), generated from its settings. */
export function usageOf(task: TaskSpec): string {
  const line = (left: string, right: string) =>
    left.length > 27 ? `  ${left}\n  ${" ".repeat(28)}${right}` : `  ${left.padEnd(28)}${right}`;
  const parts = [`Usage: deno task ${task.name} [options]`, "", ...task.summary];
  for (const group of task.groups) {
    const members = flagSettings(task).filter((s) => s.group === group);
    if (!members.length) continue;
    parts.push("", task.groupHeadings?.[group] ?? group);
    for (const s of members) {
      const d = defaultText(s);
      parts.push(line(`--${s.flag} ${s.metavar}`, `${s.help}${d ? ` (default ${d})` : ""}`));
    }
  }
  parts.push("", "Run");
  for (const f of runFlags(task)) parts.push(line(`--${f.flag} ${f.metavar}`.trimEnd(), f.help));
  if (task.resumes) {
    const resumable = flagSettings(task).filter((s) => s.onResume !== "no");
    parts.push(
      line(
        "",
        resumable.length
          ? `(a resumed run keeps its settings: only ${
            resumable.map((s) => `--${s.flag}${s.onResume === "grow" ? " (to extend)" : ""}`)
              .join(", ")
          } may change)`
          : "(a resumed run keeps its settings)",
      ),
    );
  }
  parts.push(line("--help", "this text"));
  parts.push(
    "",
    "Whole numbers are written with the digits 0–9 (not 1e3 or 0x10); a value that",
    'starts with "-" is written --option=VALUE; each option is given at most once; an',
    "option that would have no effect with the others given is refused.",
  );
  return parts.join("\n");
}

/**
 * A task's option table for its docs page, one row per flag: the flag, its
 * default, and what it does, to whom it applies and whether `--resume` may
 * change it.
 */
export function optionTableRows(task: TaskSpec): string[][] {
  const cell = (s: string) => s.replaceAll("|", "\\|");
  const resume = { no: "", yes: "; may change on `--resume`", grow: "; may grow on `--resume`" };
  return [
    ...flagSettings(task).map((s) => [
      cell(`\`--${s.flag}${s.metavar ? ` ${s.metavar}` : ""}\``),
      cell(defaultText(s) ?? "–"),
      cell(
        `${s.doc ?? s.help}${s.appliesText ? `; with ${s.appliesText} only` : ""}${
          task.resumes ? resume[s.onResume] : ""
        }`,
      ),
    ]),
    ...runFlags(task).map((f) => [
      cell(`\`--${f.flag}${f.metavar ? ` ${f.metavar}` : ""}\``),
      cell(f.flag === "out" ? task.outDefault! : "–"),
      cell(f.doc),
    ]),
  ];
}

/**
 * The settings of a configuration that have an effect, as (flag, value)
 * rows — a report's configuration table, which leaves out the rest (a β
 * for a plain VAE, say). `format` may show a value in words.
 */
export function appliedRows(
  task: TaskSpec,
  c: Readonly<Record<string, unknown>>,
  format?: (s: Setting, v: unknown) => string | undefined,
): [string, string][] {
  const rows: [string, string][] = [];
  for (const s of flagSettings(task)) {
    const v = c[s.key];
    if (!applies(s, c) || v === undefined) continue;
    // 0 for "all" (images, cores) reads as its words.
    const words = format?.(s, v) ?? (v === 0 && s.default === 0 ? defaultText(s) : undefined);
    rows.push([s.flag, words ?? flagValue(v)]);
  }
  return rows;
}

/**
 * The command line that runs a configuration: `deno task <name>` and a flag
 * for every setting that has an effect and differs from its default.
 */
export function commandOf(task: TaskSpec, c: Readonly<Record<string, unknown>>): string {
  const words = [`deno task ${task.name}`];
  for (const s of flagSettings(task)) {
    const v = c[s.key];
    if (v === undefined || !applies(s, c)) continue;
    if (s.default !== undefined && flagValue(v) === flagValue(s.default)) continue;
    const text = flagValue(v);
    // A value that starts with "-" must be attached to its flag.
    words.push(
      text.startsWith("-") ? `--${s.flag}=${shellWord(text)}` : `--${s.flag} ${shellWord(text)}`,
    );
  }
  return words.join(" ");
}
