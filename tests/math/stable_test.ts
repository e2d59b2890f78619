import assert from "node:assert/strict";
import {
  logAddExp,
  logSigmoid,
  logSumExp,
  meanAndStandardError,
  sigmoid,
  softplus,
} from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

Deno.test("logSumExp()", async (t) => {
  await t.step("matches the naive sum where that is exact", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (xs) => {
          assertClose(logSumExp(xs), Math.log(xs.reduce((s, x) => s + Math.exp(x), 0)), {
            abs: 1e-13,
            rel: 1e-13,
          });
        },
      ),
    );
  });
  await t.step("does not overflow or underflow", () => {
    assertClose(logSumExp([1e308, 1e308]), 1e308);
    assertClose(logSumExp([-1e4, -1e4]), -1e4 + Math.LN2);
  });
  await t.step("handles empty, −∞ and +∞, and refuses NaN", () => {
    assert.equal(logSumExp([]), -Infinity);
    assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
    assert.equal(logSumExp([Infinity, 0]), Infinity);
    assertThrowsNaming(() => logSumExp([0, NaN]), RangeError, "values[1]", "NaN");
  });
  await t.step("keeps the terms below the maximum (log1p of the rest)", () => {
    // log(1 + e⁻⁴⁰) = 4.248354255291589e-18 (mpmath), not 0
    assert.equal(logSumExp([0, -40]), 4.248354255291589e-18);
    assert.equal(logSumExp([-40, 0]), 4.248354255291589e-18);
    assert.equal(logAddExp(0, -40), 4.248354255291589e-18);
    assertClose(logSumExp([5, 5, -35]), 5 + Math.log(2) + Math.exp(-40) / 2, { rel: 1e-15 });
    assert.equal(logSumExp([7, 1, 2, 3], 1, 3), logAddExp(1, 2));
  });
  await t.step("refuses what is not an array of numbers, and bad bounds", () => {
    assertThrowsNaming(() => logSumExp(null as never), TypeError, "values");
    assertThrowsNaming(() => logSumExp(["1"] as never), TypeError, "values[0]");
    assertThrowsNaming(() => logSumExp([1, 2], -1), RangeError, "start");
    assertThrowsNaming(() => logSumExp([1, 2], 3), RangeError, "start");
    assertThrowsNaming(() => logSumExp([1, 2], 1, 5), RangeError, "end");
    assertThrowsNaming(() => logSumExp({ length: 1e12 } as never), TypeError, "values");
    assertThrowsNaming(() => logAddExp(NaN, 0), RangeError, "a", "NaN");
    assertThrowsNaming(() => logAddExp(0, "1" as never), TypeError, "b");
  });
  await t.step("logAddExp() agrees with logSumExp of two", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (a, b) => {
          assertClose(logAddExp(a, b), logSumExp([a, b]), { abs: 1e-13 });
        },
      ),
    );
  });
});

Deno.test("softplus(), sigmoid() and logSigmoid()", async (t) => {
  await t.step("agree with the direct formulas in the safe range", () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
        assertClose(softplus(x), Math.log1p(Math.exp(x)), { abs: 1e-15, rel: 1e-14 });
        assertClose(sigmoid(x), 1 / (1 + Math.exp(-x)), { abs: 1e-16, rel: 1e-14 });
        assertClose(logSigmoid(x), -Math.log1p(Math.exp(-x)), { abs: 1e-15, rel: 1e-14 });
      }),
    );
  });
  await t.step("refuse NaN and non-numbers instead of returning NaN", () => {
    for (const f of [softplus, sigmoid, logSigmoid]) {
      assertThrowsNaming(() => f(NaN), RangeError, "x", "NaN");
      assertThrowsNaming(() => f("1" as never), TypeError, "x", '"1"');
    }
    assert.equal(softplus(Infinity), Infinity);
    assert.equal(logSigmoid(-Infinity), -Infinity);
  });
  await t.step("stay finite at ±1e4 and ±0", () => {
    assert.equal(softplus(1e4), 1e4);
    assert.equal(softplus(-1e4), 0);
    assert.equal(sigmoid(1e4), 1);
    assert.equal(sigmoid(-1e4), 0);
    assert.equal(logSigmoid(-1e4), -1e4);
    assertClose(softplus(-0), Math.LN2);
    assertClose(softplus(-745), Math.exp(-745), { rel: 1e-3 });
  });
});

Deno.test("meanAndStandardError()", async (t) => {
  await t.step("two-pass mean and standard error", () => {
    const r = meanAndStandardError([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(r.value, 5);
    assertClose(r.standardError, Math.sqrt(32 / 7 / 8));
    assert.equal(meanAndStandardError([1, Infinity]).standardError, Infinity);
    assert.equal(meanAndStandardError([3]).standardError, Infinity);
    assert.deepEqual(meanAndStandardError([1, 3], -1), { value: -2, standardError: 1 });
  });
  await t.step("neither overflows nor underflows at the ends of float64", () => {
    const big = meanAndStandardError([1e308, -1e308, 1.5e308, -1.5e308]);
    assert.equal(big.value, 0);
    // √(Σ (v − m)² / (3 · 4)) = √(6.5e616 / 12)
    assertClose(big.standardError, Math.sqrt(6.5 / 12) * 1e308, { rel: 1e-12 });
    const tiny = meanAndStandardError([1e-200, 3e-200]);
    assertClose(tiny.value, 2e-200);
    assertClose(tiny.standardError, 1e-200, { rel: 1e-12 });
  });
  await t.step("refuses what has no mean", () => {
    assertThrowsNaming(() => meanAndStandardError([]), TypeError, "values", "empty");
    assertThrowsNaming(() => meanAndStandardError([1, NaN]), RangeError, "values[1]", "NaN");
    assertThrowsNaming(() => meanAndStandardError([Infinity, -Infinity]), RangeError, "+∞ and −∞");
    assertThrowsNaming(() => meanAndStandardError("12" as never), TypeError, "values");
    assertThrowsNaming(() => meanAndStandardError([1, "2"] as never), TypeError, "values[1]");
    for (const sign of [2, 0, NaN, Infinity]) {
      assertThrowsNaming(() => meanAndStandardError([1, 2], sign), RangeError, "sign");
    }
    assertThrowsNaming(() => meanAndStandardError([1, 2], "1" as never), TypeError, "sign");
  });
});
