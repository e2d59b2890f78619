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
import { assertClose } from "../_tolerance.ts";

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
  await t.step("handles empty, −∞, +∞ and NaN", () => {
    assert.equal(logSumExp([]), -Infinity);
    assert.equal(logSumExp([-Infinity, -Infinity]), -Infinity);
    assert.equal(logSumExp([Infinity, 0]), Infinity);
    assert.ok(Number.isNaN(logSumExp([NaN, 0])));
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

Deno.test("meanAndStandardError()", () => {
  const r = meanAndStandardError([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(r.value, 5);
  assertClose(r.standardError, Math.sqrt(32 / 7 / 8));
  assert.equal(meanAndStandardError([1, Infinity]).standardError, Infinity);
  assert.equal(meanAndStandardError([3]).standardError, Infinity);
});
