// A task's settings, declared once: from the declaration come the
// configuration's TypeScript type (ConfigOf), its defaults, its validation,
// the command-line parser, --help, the docs table and the resume rules
// (lib/kit/parse.ts and lib/kit/views.ts). Nothing here does I/O.
import { show } from "../math/_validate.ts";
import { readOptions } from "../math/_options.ts";
import { checkRule, describeRule, type Rule, type ValueOf } from "./rules.ts";

/** One setting of a task. */
export interface Setting<K extends string = string, R extends Rule = Rule> {
  /** The configuration field. */
  readonly key: K;
  /** The command-line flag, without `--`. */
  readonly flag: string;
  /** What a valid value is. */
  readonly rule: R;
  /** The value's placeholder in `--help` ("K", "W[,W…]"). */
  readonly metavar: string;
  /** The default; absent for an optional setting, unset unless given. */
  readonly default?: ValueOf<R>;
  /** Whether the setting may be left unset (no default). */
  readonly optional?: boolean;
  /** The default in words, where the value alone would not say it ("all"). */
  readonly defaultText?: string;
  /** One line for `--help`. */
  readonly help: string;
  /** The docs table's explanation (Markdown; the help line if absent). */
  readonly doc?: string;
  /** The group it is listed under in `--help` and the docs. */
  readonly group: string;
  /** Whether it has an effect under a configuration (always if absent). */
  readonly appliesTo?: (c: Readonly<Record<string, unknown>>) => boolean;
  /** The configurations it applies to, in words ("--model beta-vae"), for messages and docs. */
  readonly appliesText?: string;
  /** Whether `--resume` may change it: "no", "yes", or "grow" (only upwards). */
  readonly onResume: "no" | "yes" | "grow";
  /**
   * For a setting added after runs were saved without it: the value those runs
   * had (what they did before the setting existed). A saved configuration
   * that lacks the field is read with this value ({@linkcode completeSaved});
   * absent, a missing field makes a saved configuration invalid.
   */
  readonly absentMeans?: ValueOf<R>;
}

/** The configuration a list of settings declares: one field per setting, optional ones optional. */
export type ConfigOf<S extends readonly Setting[]> =
  & {
    -readonly [E in S[number] as E extends { optional: true } ? never : E["key"]]: ValueOf<
      E["rule"]
    >;
  }
  & {
    -readonly [E in S[number] as E extends { optional: true } ? E["key"] : never]?: ValueOf<
      E["rule"]
    >;
  };

/** A task of the command line: its name, its settings, and how its run folder is kept. */
export interface TaskSpec {
  /** The task's name (`train`), as `deno task <name>` runs it. */
  readonly name: string;
  /** What it does, in a few lines, for `--help`. */
  readonly summary: readonly string[];
  /** Its settings, in the order of `--help`. */
  readonly settings: readonly Setting[];
  /** The groups of `--help` and the docs, in order. */
  readonly groups: readonly string[];
  /** A group's heading in `--help`, where it says more than the group's name. */
  readonly groupHeadings?: Readonly<Record<string, string>>;
  /** `--out`'s default, in words (`runs/<model>-<dataset>-<date>`); none for a task that writes no folder (it has no `--out`). */
  readonly outDefault?: string;
  /** What `--resume` continues, in words (undefined: the task cannot resume). */
  readonly resumes?: string;
  /** Other flags of the task (not settings: they are not saved with a run), for `--help` and the docs. */
  readonly extraFlags?: readonly { flag: string; metavar: string; help: string; doc?: string }[];
  /** The extra flag (a switch, whatever its metavar) after which arguments that are not options are allowed (`--merge DIR…`). */
  readonly positionalsAfter?: string;
}

/** The setting of a field. */
export function settingOf(task: TaskSpec, key: string): Setting {
  const s = task.settings.find((x) => x.key === key);
  if (!s) throw new TypeError(`There is no ${task.name} setting ${JSON.stringify(key)}`);
  return s;
}

/** The settings with a flag of their own, one per flag. */
export function flagSettings(task: TaskSpec): TaskSpec["settings"] {
  return task.settings.filter((s, i) => task.settings.findIndex((x) => x.flag === s.flag) === i);
}

/** Whether a setting has an effect under a configuration. */
export function applies(s: Setting, c: Readonly<Record<string, unknown>>): boolean {
  return s.appliesTo?.(c) ?? true;
}

/**
 * The defaults of a list of settings, typed by their declaration: every
 * setting that has one (a fresh copy); the optional ones unset.
 */
export function defaultsOf<S extends readonly Setting[]>(settings: S): ConfigOf<S> {
  return Object.fromEntries(
    settings.filter((s) => s.default !== undefined).map((s) => [s.key, structuredClone(s.default)]),
  ) as ConfigOf<S>;
}

/** The fields `--resume` may change. */
export function resumableKeys(task: TaskSpec): string[] {
  return task.settings.filter((s) => s.onResume !== "no").map((s) => s.key);
}

/**
 * A configuration saved by an earlier version of the task, completed for the
 * settings added since: each missing field whose setting declares
 * `absentMeans` gets that value (a copy). Nothing else changes: another
 * missing field, an unknown field or a bad value is left for
 * {@linkcode checkConfig} to refuse.
 *
 * @param task The task.
 * @param c A saved configuration (any value).
 * @returns A completed copy of `c` if fields were missing, else `c` itself.
 */
export function completeSaved(task: TaskSpec, c: unknown): unknown {
  if (c === null || typeof c !== "object" || Array.isArray(c)) return c;
  const missing = task.settings.filter((s) =>
    s.absentMeans !== undefined && !Object.hasOwn(c, s.key)
  );
  if (missing.length === 0) return c;
  return {
    ...c,
    ...Object.fromEntries(missing.map((s) => [s.key, structuredClone(s.absentMeans)])),
  };
}

/**
 * Checks one field by its setting's rule.
 *
 * @throws {TypeError} If the value has the wrong type.
 * @throws {RangeError} If it is out of range; the message names `config.<key>` and the value.
 */
export function checkSetting(what: string, s: Setting, value: unknown): void {
  const error = checkRule(s.rule, value);
  if (error) {
    const shown = typeof value === "string" && value.length > 80
      ? `${JSON.stringify(value.slice(0, 80))}…`
      : show(value);
    throw new (error === "type" ? TypeError : RangeError)(
      `${what} as config.${s.key} must be ${describeRule(s.rule)}: current value is ${shown}`,
    );
  }
}

/**
 * Checks a configuration against a task's settings: an object, no unknown
 * field, every required field present and valid, every optional one valid
 * when given.
 *
 * @param what The start of a message ("Cannot train").
 * @param task The task.
 * @param c Any value.
 * @returns `c`, typed.
 * @throws {TypeError} If `c` is not an object, a field is unknown or has the wrong type.
 * @throws {RangeError} If a field is out of range.
 */
export function checkConfig(what: string, task: TaskSpec, c: unknown): Record<string, unknown> {
  if (c === null || typeof c !== "object" || Array.isArray(c)) {
    throw new TypeError(`${what} as config must be an object: current value is ${show(c)}`);
  }
  // Unknown fields: the library's one options reader, its one message.
  readOptions(what, c, task.settings.map((s) => s.key), "config");
  const record = c as Record<string, unknown>;
  for (const s of task.settings) {
    if (s.optional && record[s.key] === undefined) continue;
    checkSetting(what, s, record[s.key]);
  }
  return record;
}
