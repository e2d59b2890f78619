// Shared pieces of the command-line tasks: argument parsing with clear
// errors (no stack trace), a table printer, atomic file writes.
import { parseArgs, type ParseArgsConfig } from "node:util";

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
    console.error(`error: ${message}\n\n${usage}`);
    Deno.exit(2);
  }
}

/** Exits with a clear message (no stack trace). */
export function fail(message: string, usage?: string): never {
  console.error(`error: ${message}${usage ? `\n\n${usage}` : ""}`);
  Deno.exit(2);
}

/** Exits with a message about a malformed option, followed by the usage. */
export function failOption(message: string): never {
  fail(message, currentUsage || undefined);
}

/** Reads an integer option, failing clearly. */
export function intOption(
  name: string,
  value: string | undefined,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    failOption(`--${name} must be an integer ≥ ${min}: got "${value}"`);
  }
  return n;
}

/** Reads a number option, failing clearly. */
export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  check?: (n: number) => boolean,
  rule = "a finite number",
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (check && !check(n))) {
    failOption(`--${name} must be ${rule}: got "${value}"`);
  }
  return n;
}

/** A fixed-width table, right-aligned numbers. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const w = header.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, j) => (j === 0 ? c.padEnd(w[j]!) : c.padStart(w[j]!))).join("  ");
  return [fmt(cells[0]!), w.map((n) => "-".repeat(n)).join("  "), ...cells.slice(1).map(fmt)].join(
    "\n",
  );
}

/** The same table in Markdown. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
