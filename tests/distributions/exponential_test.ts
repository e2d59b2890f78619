import assert from "node:assert/strict";
import { createRng, Exponential } from "../../mod.ts";
import { REFERENCE } from "../_scipy_reference.ts";
import { exponential } from "../_arbitraries.ts";
import { assertEntropy, assertIntegratesToOne, assertLogProbBatch } from "../../testing.ts";
import "../_fc.ts";
import { assertClose, assertThrowsNaming, assertWithinSE } from "../_tolerance.ts";

Deno.test("Exponential", async (t) => {
  await t.step("logProb() and entropy() match scipy", () => {
    for (const r of REFERENCE.exponential) {
      const e = new Exponential(r.rate);
      assertClose(e.logProb(r.x), r.logProb, {}, "logProb");
      assertClose(e.entropy(), r.entropy, {}, "entropy");
    }
  });
  await t.step("entropy() equals −E[log p] within its standard error", () => {
    assertEntropy(exponential(), { numRuns: 30 });
  });
  await t.step("density integrates to 1", () => {
    assertIntegratesToOne(exponential(), { numRuns: 20, tolerance: { abs: 1e-8 } });
  });
  await t.step("is −∞ below its support; batch matches pointwise", () => {
    const e = new Exponential(2);
    assert.equal(e.logProb(-1e-300), -Infinity);
    assert.equal(e.logProb(0), Math.log(2));
    assertLogProbBatch(e, { points: Float64Array.from([-1, 0, 0.5, 3]) });
  });
  await t.step("samples have mean 1/λ", () => {
    const e = new Exponential(4);
    const xs = e.sampleN(createRng(5), 40000);
    assert.ok(xs.every((x) => x >= 0));
    assertWithinSE(
      { value: xs.reduce((s, v) => s + v, 0) / xs.length, standardError: 0.25 / 200 },
      0.25,
    );
    assert.equal(e.variance(), 1 / 16);
  });
  await t.step("stays finite for rates from 1e-150 to 1e150", () => {
    for (const r of [1e-150, 1e150]) {
      const e = new Exponential(r);
      assertClose(e.entropy(), 1 - Math.log(r));
      assertClose(e.logProb(1 / r), Math.log(r) - 1);
      assert.ok(Number.isFinite(e.sample(createRng(2))));
    }
  });
  await t.step("rejects a bad rate, naming it", () => {
    assertThrowsNaming(() => new Exponential(0), RangeError, "rate", "0");
    assertThrowsNaming(() => new Exponential(-2), RangeError, "rate", "-2");
    assertThrowsNaming(() => new Exponential(NaN), RangeError, "rate", "NaN");
  });
});
