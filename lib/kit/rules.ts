// What a valid value of a task setting is, and how one is read from the
// command line: the rules the task kit checks every setting by, the type a
// rule gives a configuration field, and the readers of whole and decimal
// numbers that never round. Nothing here does I/O.

/** A rule for one number inside a {@linkcode PartsRule}, and the scalar rules. */
export type ScalarRule =
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "number"; readonly min: number; readonly exclusive?: boolean };

/** One part of a {@linkcode PartsRule}: its field, its letter in the metavar, its rule. */
export interface Part {
  /** The field of the value (`max`). */
  readonly name: string;
  /** Its letter in the flag's metavar (`C`). */
  readonly letter: string;
  /** What it is, in words, for messages ("nats"). */
  readonly unit: string;
  /** Its rule. */
  readonly rule: ScalarRule;
  /** Its value when left out (only trailing parts may be). */
  readonly default?: number;
}

/** Several numbers in one flag, comma-separated (`--capacity C,E[,G]`), read into an object. */
export interface PartsRule {
  /** Always "parts". */
  readonly kind: "parts";
  /** The numbers, in the order they are written. */
  readonly parts: readonly Part[];
}

/** What a valid value of a setting is. */
export type Rule =
  | ScalarRule
  | {
    readonly kind: "integers";
    readonly min: number;
    readonly max: number;
    readonly maxLength: number;
  }
  | { readonly kind: "choice"; readonly choices: readonly string[] }
  | { readonly kind: "text"; readonly maxLength: number }
  | PartsRule;

/** The TypeScript type of a value of a rule: what a configuration field holds. */
export type ValueOf<R> = R extends { kind: "integer" | "number" } ? number
  : R extends { kind: "integers" } ? number[]
  : R extends { kind: "choice"; choices: readonly (infer C)[] } ? C
  : R extends { kind: "text" } ? string
  : R extends { kind: "parts"; parts: readonly (infer P)[] }
    ? { [K in P extends { name: infer N extends string } ? N : never]: number }
  : never;

/** What a value of `rule` is, in words ("an integer in [1, 100]"). */
export function describeRule(rule: Rule): string {
  switch (rule.kind) {
    case "integer":
      return rule.max >= Number.MAX_SAFE_INTEGER
        ? `an integer ≥ ${rule.min}`
        : `an integer in [${rule.min}, ${rule.max}]`;
    case "integers":
      return `1 to ${rule.maxLength} integers in [${rule.min}, ${rule.max}]`;
    case "number":
      return `a finite number ${rule.exclusive ? ">" : "≥"} ${rule.min}`;
    case "choice":
      return `one of ${rule.choices.join(", ")}`;
    case "text":
      return `a non-empty text of at most ${rule.maxLength} characters`;
    case "parts":
      return `${rule.parts.map((p) => p.name).join(", ")}: ${
        rule.parts.map((p) => `${p.name} ${describeRule(p.rule)}`).join("; ")
      }`;
  }
}

/**
 * Checks a value against a rule.
 *
 * @returns `undefined` if the value is valid, else the kind of error: a wrong
 *   type, or a value out of range.
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
    case "parts": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return "type";
      const keys = Object.keys(value), names = rule.parts.map((p) => p.name);
      if (keys.length !== names.length || keys.some((k) => !names.includes(k))) return "type";
      for (const p of rule.parts) {
        const e = checkRule(p.rule, (value as Record<string, unknown>)[p.name]);
        if (e) return e;
      }
      return undefined;
    }
  }
}

/** A usage error: a malformed, unknown or conflicting option (exit code 2). */
export class UsageError extends Error {
  /**
   * Creates the error.
   *
   * @param message One line naming the option and the value.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

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
 * @throws {UsageError} Naming the option and the text.
 */
export function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const rule = describeRule({ kind: "integer", min, max });
  if (DIGITS.test(text) && BigInt(text) > BigInt(max)) {
    throw new UsageError(
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
    throw new UsageError(`--${flag} must be ${rule}: got ${quote(text)}${hint}`);
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
 * @throws {UsageError} Naming the option and the text.
 */
export function parseDecimal(flag: string, text: string, rule = "a finite number"): number {
  const n = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} must be ${rule}: got ${quote(text)}`);
  return n;
}

/**
 * Reads a flag's text by a rule: whole numbers exactly, decimals finite,
 * lists and parts comma-separated, and checks the result.
 *
 * @param flag The option's name (for the message).
 * @param rule Its rule.
 * @param text The text given.
 * @returns The value.
 * @throws {UsageError} Naming the option and the text.
 */
export function readByRule(flag: string, rule: Rule, text: string): unknown {
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
    case "parts": {
      const texts = text.split(","), need = rule.parts.filter((p) => p.default === undefined);
      if (texts.length < need.length || texts.length > rule.parts.length) {
        const forms = rule.parts.slice(need.length - 1).map((_, i) =>
          rule.parts.slice(0, need.length + i).map((p) => p.letter).join(",")
        );
        throw new UsageError(
          `--${flag} must be ${forms.join(" or ")} (${
            rule.parts.map((p) => p.unit).join(", ")
          }): got ${quote(text)}`,
        );
      }
      v = Object.fromEntries(rule.parts.map((p, i) => {
        const t = texts[i];
        if (t === undefined) return [p.name, p.default];
        return [p.name, readByRule(flag, p.rule, t)];
      }));
      break;
    }
    default:
      v = text;
  }
  if (checkRule(rule, v)) {
    throw new UsageError(`--${flag} must be ${describeRule(rule)}: got ${quote(text)}`);
  }
  return v;
}
