// The machinery of the tensor-layer reliability tests (models_test.ts,
// tensor_test.ts): hostile values (near misses, tensors of odd shapes, dtypes
// and values, fc.anything), a table of cases each with its argument slots,
// and a runner that tries every slot with every near miss and then with
// fast-check's values, the other slots valid. Each call must return a
// well-formed result — no NaN out of finite input in the argument's support —
// or throw a TypeError or RangeError whose message names the argument (or a
// documented domain error); never hang, and never leave a tensor behind once
// its results are disposed.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fc } from "../_fc.ts";
import { TensorDistributionBase, useBackend } from "../../tensor.ts";

/** Marks an option slot as "not replaced": the call builds the options from the other slots. */
export const FIELDS: unique symbol = Symbol("fields");

/**
 * A value made at call time and disposed after it: a tensor, a distribution,
 * a bijector (anything with `dispose()`), so that each call gets its own.
 */
export class MakeValue {
  constructor(readonly label: string, readonly make: () => unknown) {}
}

/** A tensor made at call time (tensors are disposed after every call). */
export class MakeTensor extends MakeValue {
  constructor(label: string, make: () => tf.Tensor) {
    super(`tensor ${label}`, make);
  }
}

const t2 = (rows: number, cols: number, v = 0.5) => () => tf.fill([rows, cols], v);
/** Tensors of odd shapes, dtypes and values. */
export const TENSORS: readonly MakeTensor[] = [
  new MakeTensor("scalar", () => tf.scalar(1)),
  new MakeTensor("[0, 4]", () => tf.zeros([0, 4])),
  new MakeTensor("[2, 3]", t2(2, 3)),
  new MakeTensor("[2, 4, 1]", () => tf.zeros([2, 4, 1])),
  new MakeTensor("[1, 1]", t2(1, 1)),
  new MakeTensor("int32", () => tf.zeros([2, 4], "int32")),
  new MakeTensor("bool", () => tf.zeros([2, 4], "bool")),
  new MakeTensor("disposed", () => {
    const t = tf.zeros([2, 4]);
    t.dispose();
    return t;
  }),
  new MakeTensor("NaN", t2(2, 4, NaN)),
  new MakeTensor("∞", t2(2, 4, Infinity)),
  new MakeTensor("1e30", t2(2, 4, 1e30)),
  new MakeTensor("-1e4", t2(2, 4, -1e4)),
];

/** Values one step from a valid one, of every type. */
export const NEAR_MISSES: readonly unknown[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 53,
  -(2 ** 53),
  2 ** 31,
  5e-324,
  1e-45,
  NaN,
  Infinity,
  -Infinity,
  Number.MAX_VALUE,
  "",
  "1",
  "cpu ",
  "toString",
  "__proto__",
  null,
  undefined,
  true,
  [],
  [1],
  [[1]],
  [1, [2]],
  // deno-lint-ignore no-sparse-arrays
  [1, , 3],
  {},
  { length: 3 },
  new Float32Array(0),
  new Float32Array(3),
  new Float32Array([NaN, 1, 0, 1, 0, 1, 0, 1]),
  new Float32Array([1e30, 1, 0, 1, 0, 1, 0, 1]),
  new Float64Array(8),
  new Uint8Array(8),
  () => 1,
  new Date(0),
  Object.create(null),
  new URL("http://127.0.0.1:9/x"),
];

/** fc.anything, the near misses and the tensor makers. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constantFrom(...NEAR_MISSES),
  fc.constantFrom(...TENSORS),
);

/**
 * The hostile values without the valid counts above `max` (up to `upTo`):
 * they only cost time (they are tested elsewhere).
 */
export const countsUpTo = (max: number, upTo: number): fc.Arbitrary<unknown> =>
  hostile.filter((v) => !(typeof v === "number" && Number.isInteger(v) && v > max && v <= upTo));
/** Counts above 64 that are valid only cost time (they are tested elsewhere): left out. */
export const hostileCount: fc.Arbitrary<unknown> = countsUpTo(64, 2 ** 21 - 1);

/** One argument (or option) of a call. */
export interface Slot {
  /** The argument's name as messages give it. */
  name: string;
  /** A valid value (made afresh for each call: disposed after it). */
  valid: () => unknown;
  /** The values tried (default: {@linkcode hostile}). */
  hostile?: fc.Arbitrary<unknown>;
  /** Which near misses to try (default: all). */
  keep?: (v: unknown) => boolean;
  /** Values tried once each besides the near misses (a disposed distribution, say). */
  extra?: readonly unknown[];
  /** Fragments of which a message must hold one (default: the name). */
  names?: string[];
  /**
   * Whether the numbers of a value (a tensor's values, an array's entries)
   * are in the call's domain (default: any finite numbers). A tensor's
   * values are not checked by the library, so one holding others may give
   * NaN: the result is then not checked for NaN.
   */
  inSupport?: (xs: number[]) => boolean;
}

/** A call, its slots, and what it must return. */
export interface Case {
  /** The export it covers. */
  covers: string;
  /** What is called, for the report. */
  label: string;
  slots: Slot[];
  call: (v: Record<string, unknown>) => unknown;
  /** Checks a returned value (finite: every replaced input was finite and in its support). */
  check: (result: unknown, finite: boolean) => void;
  /** A documented domain error of this call (given the value tried). */
  domain?: (e: unknown, value: unknown) => boolean;
  /** The layer the call belongs to (a layer may be checked in a test of its own). */
  layer?: string;
}

/** Every tensor in a result (arrays, plain objects and distributions searched). */
export function tensorsIn(x: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (x instanceof tf.Tensor) out.push(x);
  else if (Array.isArray(x)) x.forEach((y) => tensorsIn(y, out));
  else if (
    x && typeof x === "object" &&
    (Object.getPrototypeOf(x) === Object.prototype || x instanceof TensorDistributionBase)
  ) {
    Object.values(x).forEach((y) => tensorsIn(y, out));
  }
  return out;
}

/**
 * Frees everything in `x`: its tensors, and every object with a `dispose()`
 * (a distribution, a bijector, a surrogate, a model) through that method —
 * a distribution's private tensors (Bernoulli's #probs) are reached only so
 * — and then the tensors among its properties. Arrays and plain objects are
 * searched; disposing twice is harmless.
 */
export function disposeAll(x: unknown, seen: Set<unknown> = new Set()): void {
  if (x === null || typeof x !== "object" || seen.has(x)) return;
  seen.add(x);
  if (x instanceof tf.Tensor) {
    x.dispose();
    return;
  }
  if (Array.isArray(x)) {
    x.forEach((y) => disposeAll(y, seen));
    return;
  }
  const d = (x as { dispose?: unknown }).dispose;
  if (typeof d === "function") d.call(x);
  if (typeof d === "function" || Object.getPrototypeOf(x) === Object.prototype) {
    Object.values(x).forEach((y) => disposeAll(y, seen));
  }
}

/** A tensor result: live, and without NaN when the inputs were finite. */
export const tensorResult =
  (rank?: number): (r: unknown, finite: boolean) => void => (r, finite) => {
    const ts = tensorsIn(r);
    assert.ok(ts.length > 0, "returns a tensor");
    for (const t of ts) {
      assert.ok(!t.isDisposed, "the result is live");
      if (rank !== undefined) assert.equal(t.rank, rank, `rank of [${t.shape}]`);
      if (finite) {
        assert.ok(!Array.from(t.dataSync()).some(Number.isNaN), "NaN out of finite input");
      }
    }
  };

/** Numbers of a result: never NaN; ±∞ only where float32 overflowed on finite data. */
export const finiteNumbers = (r: unknown): void => {
  for (const [k, v] of Object.entries(r as Record<string, unknown>)) {
    if (typeof v === "number") assert.ok(!Number.isNaN(v), `${k} = ${v}`);
  }
};

/** An error object with a message. */
export const errorCheck = (r: unknown): void =>
  assert.ok(r instanceof Error && typeof r.message === "string");

/**
 * The options object of a call: the value of the slot `key` if it was
 * replaced, otherwise an object of the other slots (those starting with
 * `prefix`, without it).
 */
export const optionsOf = (v: Record<string, unknown>, prefix = "", key = "options"): unknown => {
  if (v[key] !== FIELDS) return v[key];
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k !== key && (prefix === "" || k.startsWith(prefix))) o[k.slice(prefix.length)] = x;
  }
  return o;
};

/** Does the message name the argument (as a word, not inside another)? */
export function names(message: string, fragment: string): boolean {
  const esc = fragment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9_])${esc}([^A-Za-z0-9_]|$)`).test(message);
}

/** The numbers in a value: a number, a tensor's values, a typed or nested array's. */
function numbersIn(x: unknown, out: number[] = [], depth = 0): number[] {
  if (typeof x === "number") out.push(x);
  else if (x instanceof tf.Tensor) {
    if (!x.isDisposed) out.push(...Array.from(x.dataSync() as ArrayLike<number>, Number));
  } else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    out.push(...Array.from(x as Float32Array, Number));
  } else if (Array.isArray(x) && depth < 8) x.forEach((y) => numbersIn(y, out, depth + 1));
  return out;
}

/** Runs one call with one slot replaced; throws an AssertionError saying what went wrong. */
export async function tryOne(c: Case, slot: number, value: unknown): Promise<void> {
  const made: unknown[] = [];
  const real = (x: unknown) => {
    if (!(x instanceof MakeValue)) return x;
    const t = x.make();
    made.push(t);
    return t;
  };
  const before = tf.memory().numTensors;
  const v: Record<string, unknown> = {};
  c.slots.forEach((s, i) => (v[s.name] = real(i === slot ? value : s.valid())));
  // A case without arguments is called once, with nothing replaced.
  const s: Slot = c.slots[slot] ?? { name: "no argument", valid: () => undefined };
  const replaced = v[s.name];
  const xs = numbersIn(replaced);
  const finite = xs.every(Number.isFinite) && (s.inSupport?.(xs) ?? true);
  const expected = s.names ?? [s.name];
  const where = () => `${c.label}(${slot < 0 ? "" : `${s.name} = ${describe(value)}`})`;
  let result: unknown;
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("TIMEOUT: the call did not return in 10 s")),
        10_000,
      );
    });
    try {
      result = await Promise.race([Promise.resolve().then(() => c.call(v)), timeout]);
    } finally {
      clearTimeout(timer);
    }
    c.check(result, finite);
  } catch (e) {
    if (e instanceof assert.AssertionError || (e as Error)?.message?.startsWith("TIMEOUT")) {
      throw new assert.AssertionError({ message: `${where()}: ${(e as Error).message}` });
    }
    const ok = c.domain?.(e, value) ||
      ((e instanceof TypeError || e instanceof RangeError) &&
        expected.some((f) => names(e.message, f)));
    if (!ok) {
      throw new assert.AssertionError({
        message: `${where()} threw ${(e as Error)?.name}: ${
          (e as Error)?.message
        } — expected a TypeError or RangeError naming ${expected.join(" or ")}`,
      });
    }
  } finally {
    // The result first: a distribution frees its own tensors, then its arguments go.
    disposeAll(result);
    disposeAll([...made, ...Object.values(v)]);
    if (tf.getBackend() !== "cpu") await useBackend("cpu");
  }
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new assert.AssertionError({
      message: `${where()} left ${after - before} tensor(s) behind`,
    });
  }
}

/** A value as a report gives it. */
export function describe(v: unknown): string {
  if (v instanceof MakeValue) return v.label;
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The exports of a module that no case covers. */
export function uncovered(module: Record<string, unknown>, cases: readonly Case[]): string[] {
  const covered = new Set(cases.map((c) => c.covers));
  return Object.keys(module).filter((k) => !covered.has(k));
}

/**
 * Tries every case, one step per export: every slot once with every near
 * miss (and its extra values), then `numRuns` of fast-check's hostile values.
 */
export async function hostileValues(
  t: Deno.TestContext,
  cases: readonly Case[],
  { numRuns = 40 }: { numRuns?: number } = {},
): Promise<void> {
  const byExport = new Map<string, Case[]>();
  for (const c of cases) byExport.set(c.covers, [...(byExport.get(c.covers) ?? []), c]);
  for (const [covers, list] of byExport) {
    await t.step(covers, async () => {
      const baseline = tf.memory().numTensors;
      for (const c of list) {
        for (let s = 0; s < c.slots.length; s++) {
          const slot = c.slots[s]!;
          const keep = slot.keep ?? (() => true);
          for (const v of [...NEAR_MISSES, ...TENSORS].filter(keep)) await tryOne(c, s, v);
          for (const v of slot.extra ?? []) await tryOne(c, s, v);
        }
        if (c.slots.length === 0) await tryOne(c, -1, undefined);
        if (c.slots.length === 0 || numRuns === 0) continue;
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 0, max: c.slots.length - 1 }).chain((s) =>
              fc.tuple(fc.constant(s), c.slots[s]!.hostile ?? hostile)
            ),
            async ([s, v]) => await tryOne(c, s, v),
          ),
          { numRuns },
        );
      }
      assert.equal(tf.memory().numTensors, baseline, `${covers} left tensors behind`);
    });
  }
}
