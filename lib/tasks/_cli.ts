// Shared pieces of the command-line tasks not yet declared through the task
// kit: argument parsing with clear errors (no stack trace), and a Markdown table.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { parseDecimal, parseWholeNumber, quote } from "../kit/rules.ts";
import { usageError } from "../kit/main.ts";

export { runtimeError, table, usageError } from "../kit/main.ts";

let currentUsage = "";

/** Parses argv; on a bad option prints the message and usage, then exits 2. */
export function parseOptions<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
  usage: string,
): ReturnType<
  typeof parseArgs<{ options: T; args: string[]; strict: true; allowPositionals: false }>
>["values"] {
  currentUsage = usage;
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: false });
    if ((parsed.values as Record<string, unknown>).help) {
      console.log(usage);
      Deno.exit(0);
    }
    return parsed.values;
  } catch (e) {
    let message = (e as Error).message;
    // node:util reads "--opt -1" as an option followed by another option.
    const m = message.match(/Option '(--[\w-]+)' argument is ambiguous/);
    if (m) message = `${m[1]} needs a value; write a value that starts with "-" as ${m[1]}=VALUE`;
    usageError(message, usage);
  }
}

/** Exits with a message about a malformed option, followed by the usage. */
export function failOption(message: string): never {
  usageError(message, currentUsage || undefined);
}

/**
 * Reads a whole-number option (digits only, never rounded), failing clearly.
 *
 * @param name The option (without `--`).
 * @param value Its text, if given.
 * @param fallback The default.
 * @param min The least value.
 * @param max The greatest value (default 2^53 − 1).
 */
export function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  try {
    return parseWholeNumber(name, value, min, max);
  } catch (e) {
    failOption((e as Error).message);
  }
}

/** Reads a decimal-number option (finite, then `check`), failing clearly. */
export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  check?: (n: number) => boolean,
  rule = "a finite number",
): number {
  if (value === undefined) return fallback;
  let n: number;
  try {
    n = parseDecimal(name, value, rule);
  } catch (e) {
    failOption((e as Error).message);
  }
  if (check && !check(n)) failOption(`--${name} must be ${rule}: got ${quote(value)}`);
  return n;
}

/** The same table in Markdown. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
