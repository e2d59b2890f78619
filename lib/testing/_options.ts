// The options of the laws and tolerance helpers of @elbo/elbo/testing, read
// with the package's one options reader: unknown keys refused, each value
// checked and named (`options.samples`, `tol.rel`). A bad option is a
// TypeError or RangeError, never an AssertionError: it is a mistake in the
// test, not a broken law.
import { type OptionReader, readOptions } from "../math/_options.ts";
import { intOf } from "../math/_ranges.ts";
import { show } from "../math/_validate.ts";
import type { Distribution } from "../distributions/distribution.ts";
import type { Bijector } from "../bijectors/bijector.ts";
import type { LawOptions } from "./law_options.ts";
import type { Tolerance } from "./tolerance.ts";

/** fast-check's settings, which every law takes. */
export const LAW_OPTIONS = ["numRuns", "seed", "path"] as const;
/** One of {@linkcode LAW_OPTIONS}. */
export type LawOption = typeof LAW_OPTIONS[number];

/** Reads fast-check's settings of a law: `numRuns` ≥ 1, a safe-integer `seed`, a `path` string. */
export function lawOptions(o: OptionReader<LawOption>): LawOptions {
  const out: LawOptions = {};
  if (o.has("numRuns")) out.numRuns = o.int("numRuns", { min: 1 });
  if (o.has("seed")) out.seed = o.seed("seed");
  const path = o.get("path");
  if (path !== undefined) {
    if (typeof path !== "string") {
      throw new TypeError(
        `${o.what} as ${o.label("path")} must be a string: current value is ${show(path)}`,
      );
    }
    out.path = path;
  }
  return out;
}

/**
 * Reads a tolerance `{ abs, rel }`: each, when given, a finite number ≥ 0
 * (`abs` may also be +∞, what `float32Tolerance` gives for an infinite
 * sensitivity: then any value is close but NaN or the wrong infinity);
 * what is not given keeps the default of the function it goes to.
 */
export function toleranceOf(what: string, value: unknown, name: string): Tolerance {
  const o = readOptions(what, value, ["abs", "rel"], name);
  const t: Tolerance = {};
  if (o.has("abs")) {
    t.abs = o.get("abs") === Infinity ? Infinity : o.number("abs", { min: 0 });
  }
  if (o.has("rel")) t.rel = o.number("rel", { min: 0 });
  return t;
}

/** The tolerance option `key` of `o`, if given. */
function toleranceOption<K extends string>(o: OptionReader<K>, key: K): Tolerance | undefined {
  return o.has(key) ? toleranceOf(o.what, o.get(key), o.label(key)) : undefined;
}

/** Throws unless option `key` is absent or a function or (with `alt`) passes `alt`. */
function functionOr<K extends string>(
  o: OptionReader<K>,
  key: K,
  shape: string,
  alt: (v: unknown) => boolean = () => false,
): unknown {
  const v = o.get(key);
  if (v !== undefined && typeof v !== "function" && !alt(v)) {
    throw new TypeError(
      `${o.what} as ${o.label(key)} must be ${shape}: current value is ${show(v)}`,
    );
  }
  return v;
}

const isArrayLike = (v: unknown): boolean =>
  typeof v === "object" && v !== null && typeof (v as ArrayLike<unknown>).length === "number";

/** The settings of the `logProbBatch` law. */
export const BATCH_OPTIONS = ["points", "tolerance"] as const;
/** The settings of the sample-moments and entropy laws. */
export const MOMENTS_OPTIONS = ["samples", "k"] as const;
/** The settings of the normalisation law. */
export const INTEGRATE_OPTIONS = ["support", "transform", "discrete", "tolerance"] as const;

/** The checked settings of the `logProbBatch` law. */
export interface BatchSettings {
  /** The points, or a function of the distribution giving them. */
  points?: ArrayLike<number> | ((d: Distribution) => ArrayLike<number>);
  /** How close each batched value must be. */
  tolerance?: Tolerance;
}

/** Reads the settings of the `logProbBatch` law. */
export function batchSettings(o: OptionReader<typeof BATCH_OPTIONS[number]>): BatchSettings {
  const points = functionOr(o, "points", "an array of points or a function", isArrayLike);
  return {
    points: points as BatchSettings["points"],
    tolerance: toleranceOption(o, "tolerance"),
  };
}

/**
 * Reads the settings of the sample-moments or entropy law: `samples` an
 * integer ≥ 2, `k` a number > 0.
 */
export function momentsSettings(
  o: OptionReader<typeof MOMENTS_OPTIONS[number]>,
  samples: number,
  k: number,
): { samples: number; k: number } {
  return {
    samples: o.count("samples", { min: 2, default: samples }),
    k: o.number("k", { min: 0, minExclusive: true, default: k }),
  };
}

/** The checked settings of the normalisation law. */
export interface IntegrateSettings<D> {
  /** The interval, or a function of the distribution giving it. */
  support?: [number, number] | ((d: D) => [number, number]);
  /** The bijector to integrate through. */
  transform?: Bijector;
  /** Whether to sum masses. */
  discrete?: boolean;
  /** How close to 1 the total must be. */
  tolerance?: Tolerance;
}

/** Reads the settings of the normalisation law. */
export function integrateSettings<D>(
  o: OptionReader<typeof INTEGRATE_OPTIONS[number]>,
): IntegrateSettings<D> {
  const support = functionOr(
    o,
    "support",
    "an interval [lo, hi] or a function",
    (v) => Array.isArray(v) && v.length === 2,
  );
  const transform = o.get("transform");
  if (
    transform !== undefined &&
    (typeof transform !== "object" || transform === null ||
      typeof (transform as Bijector).forward !== "function")
  ) {
    throw new TypeError(
      `${o.what} as ${o.label("transform")} must be a bijector: current value is ${
        show(transform)
      }`,
    );
  }
  return {
    support: support as IntegrateSettings<D>["support"],
    transform: transform as Bijector | undefined,
    discrete: o.has("discrete") ? o.boolean("discrete", false) : undefined,
    tolerance: toleranceOption(o, "tolerance"),
  };
}

/** Reads the options of `float32Sensitivity`: `exact`, indices of inputs not to perturb. */
export function sensitivityOptions(what: string, options: unknown): { exact: number[] } {
  const o = readOptions(what, options, ["exact"]);
  return { exact: exactOf(o) };
}

/** Reads the options of `assertFloat32Close`: `k` > 0 roundings, `exact` indices, a `msg` prefix. */
export function float32CloseOptions(
  what: string,
  options: unknown,
): { k: number; exact: number[]; msg: string } {
  const o = readOptions(what, options, ["k", "exact", "msg"]);
  const msg = o.get("msg") ?? "";
  if (typeof msg !== "string") {
    throw new TypeError(
      `${what} as ${o.label("msg")} must be a string: current value is ${show(msg)}`,
    );
  }
  return { k: o.number("k", { min: 0, minExclusive: true, default: 16 }), exact: exactOf(o), msg };
}

/** Option `exact`: an array of input indices (integers ≥ 0), or none. */
function exactOf(o: OptionReader<"exact">): number[] {
  const v = o.get("exact") ?? [];
  if (!Array.isArray(v)) {
    throw new TypeError(
      `${o.what} as ${o.label("exact")} must be an array of input indices: current value is ${
        show(v)
      }`,
    );
  }
  return v.map((i, j) => intOf(o.what, `${o.label("exact")}[${j}]`, i));
}
