import assert from "node:assert/strict";
import { createRng } from "../../mod.ts";
import { deriveSeed } from "../../lib/math/rng.ts";
import { fc } from "../_fc.ts";
import { assertThrowsNaming, assertWithinSE } from "../_tolerance.ts";

const N = 200_000;

Deno.test("createRng()", async (t) => {
  await t.step("is reproducible from its seed and differs across seeds", () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xa = Array.from({ length: 10 }, () => a.uniform());
    const xb = Array.from({ length: 10 }, () => b.uniform());
    const xc = Array.from({ length: 10 }, () => c.uniform());
    assert.deepEqual(xa, xb);
    assert.notDeepEqual(xa, xc);
  });

  await t.step("uniform() has the moments of U[0, 1)", () => {
    const rng = createRng(1);
    const u = Float64Array.from({ length: N }, () => rng.uniform());
    assert.ok(u.every((v) => v >= 0 && v < 1));
    const mean = u.reduce((s, v) => s + v, 0) / N;
    assertWithinSE({ value: mean, standardError: Math.sqrt(1 / 12 / N) }, 0.5);
    const m2 = u.reduce((s, v) => s + v * v, 0) / N;
    assertWithinSE({ value: m2, standardError: Math.sqrt((1 / 5 - 1 / 9) / N) }, 1 / 3);
  });

  await t.step("normal() has the moments of N(0, 1)", () => {
    const rng = createRng(2);
    const z = rng.fillNormal(new Float64Array(N));
    const mean = z.reduce((s, v) => s + v, 0) / N;
    const m2 = z.reduce((s, v) => s + v * v, 0) / N;
    const m4 = z.reduce((s, v) => s + v ** 4, 0) / N;
    assertWithinSE({ value: mean, standardError: Math.sqrt(1 / N) }, 0);
    assertWithinSE({ value: m2, standardError: Math.sqrt(2 / N) }, 1);
    assertWithinSE({ value: m4, standardError: Math.sqrt(96 / N) }, 3);
  });

  await t.step("split() gives an independent, reproducible stream", () => {
    const parent = createRng(3);
    const child = parent.split();
    const x = Float64Array.from({ length: N }, () => parent.normal());
    const y = Float64Array.from({ length: N }, () => child.normal());
    const corr = x.reduce((s, v, i) => s + v * y[i]!, 0) / N;
    assertWithinSE({ value: corr, standardError: Math.sqrt(1 / N) }, 0);
    const again = createRng(3).split();
    assert.equal(again.normal(), y[0]);
  });

  await t.step("integer() stays in range", () => {
    const rng = createRng(4);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 3000; i++) counts[rng.integer(3)]++;
    assert.ok(counts.every((c) => c > 900 && c < 1100));
    assertThrowsNaming(() => rng.integer(0), RangeError, "n", "0");
    for (const n of [1.5, NaN, Infinity, 2 ** 53, -3]) {
      assertThrowsNaming(() => rng.integer(n), RangeError, "n", String(n));
    }
    assertThrowsNaming(() => rng.integer("3" as never), TypeError, "n", '"3"');
    const big = rng.integer(2 ** 53 - 1);
    assert.ok(Number.isSafeInteger(big) && big >= 0);
  });

  await t.step("fillNormal() needs a Float64Array", () => {
    const rng = createRng(5);
    assertThrowsNaming(() => rng.fillNormal([0, 0] as never), TypeError, "out");
    assertThrowsNaming(() => rng.fillNormal("ab" as never), TypeError, "out", '"ab"');
    assert.equal(rng.fillNormal(new Float64Array(4)).length, 4);
  });

  await t.step("rejects a seed that is not a safe integer, naming it", () => {
    for (const bad of [NaN, Infinity, -Infinity, 1.5, 2 ** 53, -(2 ** 53), 1e20]) {
      assertThrowsNaming(() => createRng(bad), RangeError, "seed", String(bad));
    }
    assertThrowsNaming(() => createRng("1" as unknown as number), TypeError, "seed", '"1"');
  });

  await t.step("every bit of a safe-integer seed reaches the state", () => {
    // Seeds that agree in their low 32 bits, or differ only in sign, once
    // gave the same stream.
    const first = (seed: number) => createRng(seed).uniform();
    for (
      const [a, b] of [[1, 2 ** 32 + 1], [0, 2 ** 32], [1, -1], [2 ** 52, 0], [7, 7 + 2 ** 40]]
    ) {
      assert.notEqual(first(a!), first(b!), `${a} and ${b}`);
    }
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.integer({ min: 32, max: 52 }),
        (seed, bit) => {
          const other = seed < 0 ? seed + 2 ** bit : seed - 2 ** bit;
          fc.pre(Number.isSafeInteger(other) && other !== seed);
          return first(seed) !== first(other);
        },
      ),
    );
  });

  await t.step("deriveSeed() gives distinct safe, non-zero seeds along a path", () => {
    const seen = new Set<number>();
    for (const base of [0, 1, 2 ** 32, 2 ** 53 - 1, -5]) {
      for (let e = 0; e < 30; e++) {
        for (let b = 0; b < 30; b++) {
          const s = deriveSeed(base, e, b);
          assert.ok(Number.isSafeInteger(s) && s >= 1);
          seen.add(s);
        }
      }
    }
    assert.equal(seen.size, 5 * 30 * 30);
    assert.equal(deriveSeed(3, 1, 2), deriveSeed(3, 1, 2));
    assert.notEqual(deriveSeed(3, 1, 2), deriveSeed(3, 2, 1));
    assertThrowsNaming(() => deriveSeed(1, 0.5), RangeError, "path[0]", "0.5");
  });
});
