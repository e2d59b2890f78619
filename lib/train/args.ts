// The command line of `deno task train`, parsed by a pure function: the
// arguments in, a configuration or a usage error out (no exit, no I/O).
import { parseArgs } from "node:util";
import {
  checkRule,
  DEFAULT_CONFIG as d,
  describeRule,
  RESUMABLE,
  type TrainConfig,
} from "./config.ts";
import { applies, flagSettings, GROUPS, setting } from "./settings.ts";
import { defaultText } from "./settings_tables.ts";

const RUN_LINES: [string, string][] = [
  ["--out DIR", "the run folder (default runs/<model>-<dataset>-<date>)"],
  ["--resume", "continue the run in --out (default: the newest in runs/)"],
  ["", "from its last complete epoch; its configuration is kept,"],
  [
    "",
    `only ${
      flagSettings().filter((s) => s.onResume !== "no").map((s) =>
        `--${s.flag}${s.onResume === "grow" ? " (to extend)" : ""}`
      ).join(", ")
    } may change`,
  ],
  ["--help", "this text"],
];

function usage(): string {
  const line = (left: string, right: string) => `  ${left.padEnd(28)}${right}`;
  const parts = [
    "Usage: deno task train [options]",
    "",
    "Trains a model, checkpoints it every epoch, and writes runs/<name>/ with",
    "metrics.jsonl, the model (tfjs format), report.md, report.html and figures.",
  ];
  for (const group of GROUPS) {
    const members = flagSettings().filter((s) => s.group === group);
    parts.push(
      "",
      group === "β-VAE"
        ? "β-VAE (with --model beta-vae; --beta, --capacity or --kl-budget)"
        : group,
    );
    for (const s of members) {
      const d = defaultText(s);
      parts.push(line(`--${s.flag} ${s.metavar}`, `${s.help}${d ? ` (default ${d})` : ""}`));
    }
    if (group === "Evaluation and output") {
      for (const [l, r] of RUN_LINES) parts.push(line(l, r));
    }
  }
  parts.push(
    "",
    "Whole numbers are written with the digits 0–9 (not 1e3 or 0x10); a value that",
    'starts with "-" is written --option=VALUE; each option is given at most once; an',
    "option that would have no effect with the others given is refused.",
  );
  return parts.join("\n");
}

/** The usage text of `deno task train` (its `--help`), generated from `SETTINGS`. */
export const TRAIN_USAGE: string = usage();

const OPTIONS: Record<string, { type: "string" | "boolean"; short?: string }> = {
  ...Object.fromEntries(flagSettings().map((s) => [s.flag, { type: "string" as const }])),
  out: { type: "string" },
  resume: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** The settings `--resume` may change. */
export type ResumeChanges = Partial<
  Pick<TrainConfig, "epochs" | "backend" | "threads" | "evalSamples">
>;

/** What the command line asks for. */
export type TrainArgs =
  | { kind: "help"; usage: string }
  | { kind: "train"; config: TrainConfig; out?: string }
  | { kind: "resume"; changes: ResumeChanges; out?: string }
  | { kind: "error"; message: string };

/** A usage error inside the parser (turned into `{ kind: "error" }`). */
class UsageError extends Error {}

/** Quotes a user's text for a one-line message: escaped, and cut if long. */
export function quote(text: string): string {
  const q = JSON.stringify(text.length > 60 ? text.slice(0, 60) : text);
  return text.length > 60 ? `${q.slice(0, -1)}…" (${text.length} characters)` : q;
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** Makes any message one printable line of sensible length. */
export function oneLine(message: string): string {
  const s = message.replace(/\s*\n\s*/g, " ").replace(
    CONTROL,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but plain characters. */
export function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `--out=DIR` as a shell word a user can paste. */
export function outOption(dir: string): string {
  return shellWord(`--out=${dir}`);
}

const DIGITS = /^[0-9]+$/;
const DECIMAL = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * Reads a whole number written with the digits 0–9, exactly: no sign, no
 * exponent, no hexadecimal, no spaces, never rounded.
 *
 * @param flag The option's name (for the message).
 * @param text The text.
 * @param min The least value.
 * @param max The greatest value (at most 2^53 − 1).
 * @returns The number.
 * @throws {RangeError} Naming the option and the text.
 */
export function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const rule = max >= Number.MAX_SAFE_INTEGER
    ? `an integer ≥ ${min}`
    : `an integer in [${min}, ${max}]`;
  if (DIGITS.test(text) && BigInt(text) > BigInt(max)) {
    throw new RangeError(
      `--${flag} must be at most ${max}${
        max === Number.MAX_SAFE_INTEGER ? " (2^53 − 1)" : ""
      }: got ${quote(text)}`,
    );
  }
  if (!DIGITS.test(text) || BigInt(text) < BigInt(min)) {
    const n = text.trim() === "" ? NaN : Number(text);
    const hint = !DIGITS.test(text) && Number.isInteger(n) && n >= min
      ? " (whole numbers are written with the digits 0–9)"
      : "";
    throw new RangeError(`--${flag} must be ${rule}: got ${quote(text)}${hint}`);
  }
  return Number(text);
}

/**
 * Reads a decimal number (`0.001`, `1e-3`, `-2.5`), finite: no hexadecimal,
 * no `Infinity`, no spaces.
 *
 * @param flag The option's name (for the message).
 * @param text The text.
 * @param rule What it must be, in words, for the message.
 * @returns The number.
 * @throws {RangeError} Naming the option and the text.
 */
export function parseDecimal(flag: string, text: string, rule = "a finite number"): number {
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) throw new RangeError(`--${flag} must be ${rule}: got ${quote(text)}`);
  return n;
}

function value(name: string, text: string): unknown {
  const { flag, rule } = setting(name);
  let v: unknown;
  switch (rule.kind) {
    case "integer":
      v = parseWholeNumber(flag, text, rule.min, rule.max);
      break;
    case "integers": {
      const parts = text.split(",");
      if (parts.length > rule.maxLength) {
        throw new UsageError(`--${flag} must be ${describeRule(rule)}: got ${quote(text)}`);
      }
      v = parts.map((p) => parseWholeNumber(flag, p, rule.min, rule.max));
      break;
    }
    case "number":
      v = parseDecimal(flag, text, describeRule(rule));
      break;
    default:
      v = text;
  }
  if (checkRule(rule, v)) {
    throw new UsageError(`--${flag} must be ${describeRule(rule)}: got ${quote(text)}`);
  }
  return v;
}

type Values = Record<string, string | boolean | undefined>;

function configFrom(o: Values): TrainConfig {
  const c: TrainConfig = structuredClone(d);
  const record = c as unknown as Record<string, unknown>;
  const given = flagSettings().filter((s) => o[s.flag] !== undefined);
  for (const s of given) {
    const text = o[s.flag] as string;
    if (s.flag !== "capacity") {
      record[s.key] = value(s.key, text);
      continue;
    }
    const parts = text.split(",");
    if (parts.length < 2 || parts.length > 3) {
      throw new UsageError(
        `--capacity must be C,E or C,E,G (nats, epochs, weight): got ${quote(text)}`,
      );
    }
    c.capacity = {
      max: value("capacity.max", parts[0]!) as number,
      epochs: value("capacity.epochs", parts[1]!) as number,
      gamma: parts[2] === undefined
        ? setting("capacity.gamma").default as number
        : value("capacity.gamma", parts[2]) as number,
    };
  }
  if (c.capacity && c.klBudget !== undefined) {
    throw new UsageError("--capacity and --kl-budget are two different objectives: choose one");
  }
  // An option with no effect under the others is refused, not dropped.
  for (const s of given) {
    if (!applies(s, c)) {
      throw new UsageError(
        `--${s.flag} applies only to ${s.appliesText}: with the other options given (--model ${c.model}) it would have no effect`,
      );
    }
  }
  return c;
}

/**
 * Parses the command line of `deno task train` without side effects.
 *
 * Every option is checked by the rule of its setting (see `SETTINGS` in
 * config.ts): whole numbers in plain digits within their bounds, numbers
 * finite, names from their list, each option at most once, and combinations
 * that would silently ignore an option refused.
 *
 * @param args The arguments (as `Deno.args`).
 * @returns `help`, a new run's configuration, a resume with the settings it
 *   changes, or a one-line usage error naming the option and the value.
 *
 * @example
 * ```ts
 * import { parseTrainArgs } from "./args.ts";
 * import assert from "node:assert/strict";
 *
 * const r = parseTrainArgs(["--epochs", "3", "--out", "runs/a#b"]);
 * assert.equal(r.kind, "train");
 * assert.equal(r.kind === "train" && r.config.epochs, 3);
 * const bad = parseTrainArgs(["--seed", "1e20"]);
 * assert.equal(bad.kind, "error");
 * assert.match(bad.kind === "error" ? bad.message : "", /--seed must be an integer ≥ 0/);
 * ```
 */
export function parseTrainArgs(args: readonly string[]): TrainArgs {
  try {
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
      throw new UsageError("the arguments must be an array of strings");
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: OPTIONS,
        strict: true,
        allowPositionals: false,
        tokens: true,
      });
    } catch (e) {
      let message = (e as Error).message;
      // node:util reads "--opt -1" as an option followed by another option.
      const m = message.match(/Option '(--[\w-]+)' argument is ambiguous/);
      if (m) {
        message = `${m[1]} needs a value; write a value that starts with "-" as ${m[1]}=VALUE`;
      }
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
    const o = parsed.values as Values;
    if (o.help) return { kind: "help", usage: TRAIN_USAGE };
    const out = o.out as string | undefined;
    if (out !== undefined && (out === "" || out.includes("\0"))) {
      throw new UsageError(`--out must name a folder: got ${quote(out)}`);
    }
    if (o.resume) {
      const allowed = new Set([
        "resume",
        "out",
        "help",
        ...RESUMABLE.map((k) => setting(k).flag),
      ]);
      const changed = Object.keys(o).filter((k) => !allowed.has(k));
      if (changed.length) {
        throw new UsageError(
          `--resume keeps the run's configuration: drop --${changed.join(", --")} (only ${
            RESUMABLE.map((k) => `--${setting(k).flag}`).join(", ")
          } may change)`,
        );
      }
      const changes: ResumeChanges = {};
      for (const key of RESUMABLE) {
        const text = o[setting(key).flag] as string | undefined;
        if (text !== undefined) (changes as Record<string, unknown>)[key] = value(key, text);
      }
      return { kind: "resume", changes, ...(out === undefined ? {} : { out }) };
    }
    return { kind: "train", config: configFrom(o), ...(out === undefined ? {} : { out }) };
  } catch (e) {
    if (e instanceof UsageError || e instanceof RangeError) {
      return { kind: "error", message: oneLine(e.message) };
    }
    throw e;
  }
}
