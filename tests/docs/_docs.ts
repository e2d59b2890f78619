// What the tests of tests/docs share: a doc page's text as a reader sees it
// (whitespace collapsed, so a table's padding does not matter), a task run as
// the docs tell a user to run it, and a check that a printed number is what a
// value rounds to.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

/** The repository's root folder. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** A file of the repository with every run of whitespace made one space. */
export async function docText(path: string): Promise<string> {
  return (await Deno.readTextFile(`${ROOT}${path}`)).replace(/\s+/g, " ");
}

/**
 * Runs `deno task <args>` from the repository's root, as the docs tell a
 * user to, and returns what it printed; a failure fails the test with the
 * task's stderr.
 */
export async function runDenoTask(
  args: string[],
  timeoutMs = 60_000,
): Promise<{ stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  const r = { stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  assert.equal(out.code, 0, `deno task ${args.join(" ")} failed:\n${r.stderr}`);
  return r;
}

/** A number as the docs print a negative one: with a minus sign, not a hyphen. */
export function signed(text: string): string {
  return text.replace(/-/g, "−");
}

/**
 * Whether `printed` (as a page shows it: "2.063", "1.05e-28", "−0.924",
 * "4018") is `value` rounded to the digits it shows.
 */
export function isPrinted(printed: string, value: number): boolean {
  const text = printed.replace(/−/g, "-").replace(/,/g, "");
  const shown = Number(text);
  if (!Number.isFinite(shown)) return false;
  if (shown === 0) return Math.abs(value) < 0.5;
  const [mantissa, exponent] = text.toLowerCase().split("e");
  const decimals = mantissa!.includes(".") ? mantissa!.split(".")[1]!.length : 0;
  const ulp = 10 ** (Number(exponent ?? 0) - decimals);
  return Math.abs(shown - value) <= ulp / 2 * (1 + 1e-9) + Number.EPSILON * Math.abs(value);
}

/** Asserts that a page's text contains `snippet`, naming the page and what is missing. */
export function assertMentions(text: string, snippet: string, page: string): void {
  assert.ok(text.includes(snippet), `${page} should say ${JSON.stringify(snippet)}`);
}

/**
 * Whether the slow checks are asked for (ELBO_DOCS_FULL=1): those that rerun
 * a whole training run to check the numbers a page reports from it.
 */
export function fullChecks(): boolean {
  try {
    return Deno.env.get("ELBO_DOCS_FULL") === "1";
  } catch {
    return false;
  }
}

/**
 * The rows of the first table after `heading` in a page: each row's cells,
 * trimmed (escaped pipes `\|` stay inside their cell), the header and its rule
 * left out.
 */
export function docOptionTable(page: string, heading: string): string[][] {
  const at = page.indexOf(heading);
  assert.ok(at >= 0, `no heading ${heading}`);
  const lines = page.slice(at).split("\n");
  const start = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith("|")) break;
    rows.push(l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
  }
  return rows;
}
