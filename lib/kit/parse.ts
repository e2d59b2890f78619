// A task's command line, parsed by a pure function from its settings: the
// arguments in, a configuration (or the changes a resume asks for, or help)
// or a one-line usage error out — no exit, no I/O.
import { parseArgs } from "node:util";
import { oneLine, quote, readByRule, UsageError } from "./rules.ts";
import {
  applies,
  defaultsOf,
  flagSettings,
  resumableKeys,
  settingOf,
  type TaskSpec,
} from "./settings.ts";
import { usageOf } from "./views.ts";

/** What a task's command line asks for. */
export type TaskArgs<C> =
  | { kind: "help"; usage: string }
  | {
    kind: "run";
    config: C;
    out?: string;
    extra: Record<string, string | boolean>;
    positionals: string[];
  }
  | {
    kind: "resume";
    changes: Partial<C>;
    out?: string;
    extra: Record<string, string | boolean>;
    positionals: string[];
  }
  | { kind: "error"; message: string };

function optionsOf(task: TaskSpec) {
  return {
    ...Object.fromEntries(flagSettings(task).map((s) => [s.flag, { type: "string" as const }])),
    ...Object.fromEntries(
      (task.extraFlags ?? []).map((f) => [
        f.flag,
        {
          type: f.metavar && f.flag !== task.positionalsAfter
            ? "string" as const
            : "boolean" as const,
        },
      ]),
    ),
    ...(task.outDefault !== undefined ? { out: { type: "string" as const } } : {}),
    ...(task.resumes ? { resume: { type: "boolean" as const } } : {}),
    help: { type: "boolean" as const, short: "h" },
  };
}

/**
 * Parses a task's command line without side effects. Every option is checked
 * by the rule of its setting — whole numbers in plain digits within their
 * bounds, numbers finite, names from their list — each option at most once,
 * an option that would have no effect with the others given is refused, and
 * `--resume` accepts only what its settings' `onResume` allows.
 *
 * @param task The task.
 * @param args The arguments (as `Deno.args`).
 * @param check Cross-field checks of a new configuration (throw a `UsageError`).
 * @returns Help, a configuration, a resume with its changes, or an error.
 */
export function parseTaskArgs<C>(
  task: TaskSpec,
  args: readonly string[],
  check?: (c: Record<string, unknown>) => void,
): TaskArgs<C> {
  try {
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
      throw new UsageError("the arguments must be an array of strings");
    }
    const parsed = readFlags(args, optionsOf(task), task.positionalsAfter !== undefined);
    const o = parsed.values as Record<string, string | boolean | undefined>;
    if (o.help) return { kind: "help", usage: usageOf(task) };
    const positionals = parsed.positionals ?? [];
    if (positionals.length && !o[task.positionalsAfter!]) {
      throw new UsageError(
        `${quote(positionals[0]!)} is not an option${
          task.positionalsAfter ? ` (folders follow --${task.positionalsAfter})` : ""
        }`,
      );
    }
    const out = o.out as string | undefined;
    if (out !== undefined && (out === "" || out.includes("\0"))) {
      throw new UsageError(`--out must name a folder: got ${quote(out)}`);
    }
    const extra = Object.fromEntries(
      (task.extraFlags ?? []).filter((f) => o[f.flag] !== undefined).map((f) => [
        f.flag,
        o[f.flag]!,
      ]),
    );
    const given = flagSettings(task).filter((s) => o[s.flag] !== undefined);
    const place = out === undefined ? {} : { out };
    if (o.resume) {
      const resumable = resumableKeys(task).map((k) => settingOf(task, k));
      const changed = given.filter((s) => !resumable.includes(s));
      if (changed.length) {
        throw new UsageError(
          `--resume keeps the run's configuration: drop --${
            changed.map((s) => s.flag).join(", --")
          } (only ${resumable.map((s) => `--${s.flag}`).join(", ")} may change)`,
        );
      }
      const changes = Object.fromEntries(
        given.map((s) => [s.key, readByRule(s.flag, s.rule, o[s.flag] as string)]),
      ) as Partial<C>;
      return { kind: "resume", changes, ...place, extra, positionals };
    }
    const c: Record<string, unknown> = defaultsOf(task.settings);
    for (const s of given) c[s.key] = readByRule(s.flag, s.rule, o[s.flag] as string);
    check?.(c);
    // An option with no effect under the others is refused, not dropped.
    for (const s of given) {
      if (!applies(s, c)) {
        throw new UsageError(
          `--${s.flag} applies only to ${s.appliesText}: with the other options given it would have no effect`,
        );
      }
    }
    return { kind: "run", config: c as C, ...place, extra, positionals };
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError) {
      return { kind: "error", message: oneLine(e.message) };
    }
    throw e;
  }
}

type FlagOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

/**
 * Reads the flags of a command line strictly (unknown flags are usage errors,
 * "--opt -1" is explained), each flag at most once.
 *
 * @param args The arguments.
 * @param options The flags, as node:util's `parseArgs` takes them.
 * @param allowPositionals Whether arguments that are not options are allowed.
 * @returns The values by flag name and the positionals.
 */
export function readFlags(
  args: readonly string[],
  options: FlagOptions,
  allowPositionals: boolean,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals, tokens: true });
  } catch (e) {
    let message = (e as Error).message;
    // node:util reads "--opt -1" as an option followed by another option.
    const m = message.match(/Option '(--[\w-]+)' argument is ambiguous/);
    if (m) message = `${m[1]} needs a value; write a value that starts with "-" as ${m[1]}=VALUE`;
    throw new UsageError(message);
  }
  const seen = new Map<string, string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== "option") continue;
    const v = t.value ?? "";
    if (seen.has(t.name)) {
      throw new UsageError(
        `--${t.name} is given twice (${quote(seen.get(t.name)!)} and ${quote(v)}): give it once`,
      );
    }
    seen.set(t.name, v);
  }
  return {
    values: parsed.values as Record<string, string | boolean | undefined>,
    positionals: parsed.positionals ?? [],
  };
}
