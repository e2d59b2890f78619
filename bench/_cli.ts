// The command line of the bench scripts (`deno task bench:reference`,
// `bench:quality`, `bench:threads`): their settings declared once, in the task
// kit's shape, `--help` generated from them, options read by the kit's rules
// (whole numbers in plain digits, within bounds, each flag once), and every
// failure one line: exit 2 for a usage error (then the usage), 1 for anything
// else, never a stack trace (unless ELBO_DEBUG is set). The scripts write no
// run folder, so unlike the tasks they have no --out.
import { describeFailure, runtimeError, usageError } from "../lib/kit/main.ts";
import { readFlags } from "../lib/kit/parse.ts";
import { oneLine, readByRule, UsageError } from "../lib/kit/rules.ts";
import { type ConfigOf, defaultsOf, type Setting } from "../lib/kit/settings.ts";
import { defaultText } from "../lib/kit/views.ts";

/** A bench script: how it is run, what it does, its settings. */
export interface BenchSpec<S extends readonly Setting[]> {
  /** The task that runs it (`bench:reference`). */
  readonly name: string;
  /** What it does, in a few lines, for `--help`. */
  readonly summary: readonly string[];
  /** Its settings, in the order of `--help`. */
  readonly settings: S;
  /** Lines after the options (what it needs installed, what it prints). */
  readonly notes?: readonly string[];
}

/** The `--help` text of a bench script, generated from its settings. */
export function benchUsage<S extends readonly Setting[]>(spec: BenchSpec<S>): string {
  const line = (left: string, right: string) => `  ${left.padEnd(20)}${right}`;
  const options = spec.settings.map((s) => {
    const d = defaultText(s);
    return line(`--${s.flag} ${s.metavar}`, `${s.help}${d ? ` (default ${d})` : ""}`);
  });
  return [
    `Usage: deno task ${spec.name} [options]`,
    "",
    ...spec.summary,
    "",
    "Options",
    ...options,
    line("--help", "this text"),
    ...(spec.notes?.length ? ["", ...spec.notes] : []),
  ].join("\n");
}

/** What a bench script's command line asks for. */
export type BenchArgs<C> =
  | { kind: "help"; usage: string }
  | { kind: "run"; config: C }
  | { kind: "error"; message: string };

/**
 * Parses a bench script's arguments without side effects.
 *
 * @param spec The script.
 * @param args The arguments (as `Deno.args`).
 * @returns Help, the configuration (defaults for what is not given), or a one-line error.
 */
export function parseBenchArgs<S extends readonly Setting[]>(
  spec: BenchSpec<S>,
  args: readonly string[],
): BenchArgs<ConfigOf<S>> {
  try {
    const parsed = readFlags(args, {
      ...Object.fromEntries(spec.settings.map((s) => [s.flag, { type: "string" as const }])),
      help: { type: "boolean" as const, short: "h" },
    }, false);
    const o = parsed.values as Record<string, string | boolean | undefined>;
    if (o.help) return { kind: "help", usage: benchUsage(spec) };
    const c: Record<string, unknown> = defaultsOf(spec.settings);
    for (const s of spec.settings) {
      if (o[s.flag] !== undefined) c[s.key] = readByRule(s.flag, s.rule, o[s.flag] as string);
    }
    return { kind: "run", config: c as ConfigOf<S> };
  } catch (e) {
    if (e instanceof UsageError) return { kind: "error", message: oneLine(e.message) };
    throw e;
  }
}

/**
 * Runs a bench script: `--help` prints the usage (exit 0); a usage error
 * prints one line and the usage (exit 2); anything `run` throws prints one
 * line (exit 1).
 *
 * @param spec The script.
 * @param args The arguments (as `Deno.args`).
 * @param run The measurement, given the configuration.
 */
export async function benchMain<S extends readonly Setting[]>(
  spec: BenchSpec<S>,
  args: readonly string[],
  run: (config: ConfigOf<S>) => Promise<void>,
): Promise<void> {
  const parsed = parseBenchArgs(spec, args);
  if (parsed.kind === "help") return void console.log(parsed.usage);
  if (parsed.kind === "error") usageError(parsed.message, benchUsage(spec));
  try {
    await run(parsed.config);
  } catch (e) {
    runtimeError(describeFailure(e));
  }
}

/** The `--rounds N` of a bench script that alternates its runs over rounds (default 2). */
export function roundsSetting<const H extends string>(help: H) {
  return {
    key: "rounds",
    flag: "rounds",
    rule: { kind: "integer", min: 1, max: 100 },
    metavar: "N",
    default: 2,
    help,
    group: "Options",
    onResume: "no",
  } as const;
}
