import assert from "node:assert/strict";
import { readOptions } from "../../lib/math/_options.ts";
import { countOf, intOf, numberOf } from "../../lib/math/_ranges.ts";
import { createRng } from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

const what = "Cannot compute f";
const KEYS = ["samples", "rng", "method"] as const;

/** The error `fn` throws (failing if it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  assert.fail("expected an error");
}

Deno.test("readOptions()", async (t) => {
  await t.step("refuses an unknown key naming it, the function and the keys, in one style", () => {
    const e = thrown(() => readOptions(what, { samples: 5, sampels: 5 }, KEYS));
    assert.ok(e instanceof TypeError);
    assert.equal(
      e.message,
      "Cannot compute f as options.sampels is not an option (choose from samples, rng, method): current value is 5",
    );
    // A nested object names its path; a function of no options says so.
    assert.equal(
      thrown(() => readOptions(what, { x: "a" }, ["kind"], "options.objective")).message,
      'Cannot compute f as options.objective.x is not an option (choose from kind): current value is "a"',
    );
    assert.match(thrown(() => readOptions(what, { x: 1 }, [])).message, /\(it takes none\)/);
  });

  await t.step("takes undefined as no options, and a key set to undefined as absent", () => {
    assert.equal(readOptions(what, undefined, KEYS).has("samples"), false);
    const o = readOptions(what, { samples: undefined, typo: undefined }, KEYS);
    assert.equal(o.has("samples"), false);
    assert.equal(o.int("samples", { min: 1, default: 7 }), 7);
  });

  await t.step("takes plain objects only", () => {
    assert.equal(
      readOptions(what, Object.assign(Object.create(null), { samples: 2 }), KEYS)
        .int("samples"),
      2,
    );
    for (const bad of [null, 5, "x", [], new Map(), new Date(0), new (class Opts {})(), () => 0]) {
      assertThrowsNaming(
        () => readOptions(what, bad, KEYS),
        TypeError,
        `${what} as options must be`,
      );
    }
  });

  await t.step("reads each value once, and only own keys", () => {
    let reads = 0;
    const o = readOptions(what, {
      get samples() {
        return ++reads;
      },
    }, KEYS);
    assert.equal(o.int("samples"), 1);
    assert.equal(o.int("samples"), 1);
    assert.equal(reads, 1);
  });

  await t.step("names options.<key> and the value in every message", () => {
    const o = (v: unknown) => readOptions(what, { samples: v, method: v, rng: v }, KEYS);
    assertThrowsNaming(
      () => o(0).int("samples", { min: 1 }),
      RangeError,
      "options.samples must be an integer ≥ 1: current value is 0",
    );
    assertThrowsNaming(() => o(1.5).int("samples"), RangeError, "options.samples", "1.5");
    assertThrowsNaming(() => o("2").int("samples"), TypeError, "options.samples", '"2"');
    assertThrowsNaming(
      () => o(11).int("samples", { min: 1, max: 10 }),
      RangeError,
      "options.samples must be an integer in [1, 10]: current value is 11",
    );
    assertThrowsNaming(
      () => o(2 ** 53).int("samples"),
      RangeError,
      "options.samples must be a safe integer",
    );
    assertThrowsNaming(
      () => o(NaN).number("samples"),
      RangeError,
      "options.samples must be finite: current value is NaN",
    );
    assertThrowsNaming(
      () => o(0).number("samples", { min: 0, minExclusive: true }),
      RangeError,
      "options.samples must be > 0: current value is 0",
    );
    assertThrowsNaming(
      () => o(1).number("samples", { min: 0, max: 1, maxExclusive: true }),
      RangeError,
      "options.samples must be in [0, 1): current value is 1",
    );
    assertThrowsNaming(
      () => o(1e-50).number("samples", { min: 0, float32: true }),
      RangeError,
      "options.samples must be representable in float32",
    );
    assertThrowsNaming(
      () => o("x").choice("method", ["a", "b"]),
      TypeError,
      'options.method must be one of "a", "b": current value is "x"',
    );
    assertThrowsNaming(
      () => o(1).boolean("method", true),
      TypeError,
      "options.method must be a boolean: current value is 1",
    );
    assertThrowsNaming(() => o(0.5).seed("rng"), RangeError, "options.rng must be a safe integer");
    assertThrowsNaming(
      () => o({}).rng("rng"),
      TypeError,
      "options.rng must be an Rng from createRng",
    );
    assertThrowsNaming(
      () => o(3).optionalFunction("rng"),
      TypeError,
      "options.rng must be a function: current value is 3",
    );
  });

  await t.step("a missing option without a default is required, saying what it must be", () => {
    const o = readOptions(what, {}, KEYS);
    assertThrowsNaming(
      () => o.int("samples", { min: 2 }),
      TypeError,
      "options.samples is required (an integer ≥ 2): current value is undefined",
    );
    assertThrowsNaming(
      () => o.choice("method", ["a", "b"]),
      TypeError,
      'options.method is required (one of "a", "b")',
    );
    assertThrowsNaming(() => o.rng("rng"), TypeError, "options.rng is required");
  });

  await t.step("defaults fill absent keys; given values come back unchanged", () => {
    const rng = createRng(1);
    const o = readOptions(what, { samples: 3, rng }, KEYS);
    assert.equal(o.count("samples", { min: 1 }), 3);
    assert.equal(o.rng("rng"), rng);
    assert.equal(o.choice("method", ["a", "b"], "b"), "b");
    assert.equal(readOptions(what, {}, KEYS).boolean("method", false), false);
    assert.equal(readOptions(what, {}, KEYS).seed("rng", 4), 4);
  });

  await t.step("object() reads nested options under options.<key>", () => {
    const o = readOptions(what, { method: { kind: "beta", beta: -1 } }, KEYS);
    assertThrowsNaming(
      () => o.object("method", ["kind", "beta"]).number("beta", { min: 0 }),
      RangeError,
      "Cannot compute f as options.method.beta must be ≥ 0: current value is -1",
    );
    assertThrowsNaming(
      () => o.object("method", ["kind"]),
      TypeError,
      "options.method.beta is not an option",
    );
  });
});

Deno.test("intOf(), numberOf() and countOf()", async (t) => {
  await t.step("accept exactly the integers in range", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: -50, max: 50 }),
        fc.anything(),
        (lo, hi, v) => {
          const [min, max] = lo <= hi ? [lo, hi] : [hi, lo];
          const ok = Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;
          if (ok) assert.equal(intOf(what, "n", v, { min, max }), v);
          else {assert.throws(
              () => intOf(what, "n", v, { min, max }),
              typeof v === "number" ? RangeError : TypeError,
            );}
        },
      ),
    );
  });
  await t.step("accept exactly the finite numbers in range", () => {
    fc.assert(
      fc.property(fc.double(), fc.boolean(), (v, open) => {
        const ok = Number.isFinite(v) && (open ? v > 0 : v >= 0) && v <= 1;
        const spec = { min: 0, max: 1, minExclusive: open };
        if (ok) assert.equal(numberOf(what, "x", v, spec), v);
        else assert.throws(() => numberOf(what, "x", v, spec), RangeError);
      }),
    );
  });
  await t.step("a count is refused when its float64 values would not fit in one array", () => {
    assert.equal(countOf(what, "n", 2 ** 24, { perItem: 8 }), 2 ** 24);
    assertThrowsNaming(
      () => countOf(what, "n", 2 ** 24 + 1, { perItem: 8 }),
      RangeError,
      "n must be ≤ 16777216 (n × 8 float64 values would not fit in one array of at most 2²⁷ values",
    );
  });
  await t.step("the range text says where the limit comes from", () => {
    assertThrowsNaming(
      () => intOf(what, "batchSize", 0, { min: 1, max: 9, why: "the images of d" }),
      RangeError,
      "batchSize must be an integer in [1, 9] (the images of d): current value is 0",
    );
  });
});
