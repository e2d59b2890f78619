import assert from "node:assert/strict";
import { createRng, Normal } from "../../mod.ts";
import { REFERENCE } from "../_scipy_reference.ts";
import { assertEntropy, assertIntegratesToOne, assertLogProbBatch, normal } from "../../testing.ts";
import "../_fc.ts";
import { assertClose, assertThrowsNaming, assertWithinSE } from "../_tolerance.ts";

Deno.test("Normal", async (t) => {
  await t.step("logProb() and entropy() match scipy", () => {
    for (const r of REFERENCE.normal) {
      const n = new Normal(r.loc, r.scale);
      assertClose(n.logProb(r.x), r.logProb, {}, `logProb ${JSON.stringify(r)}`);
      assertClose(n.entropy(), r.entropy, {}, "entropy");
    }
  });
  await t.step("entropy() equals −E[log p] within its standard error", () => {
    assertEntropy(normal(), { numRuns: 30 });
  });
  await t.step("density integrates to 1", () => {
    assertIntegratesToOne(normal(), { numRuns: 20, tolerance: { abs: 1e-8 } });
  });
  await t.step("logProbBatch() matches logProb()", () => {
    assertLogProbBatch(new Normal(1, 2), { points: [-3, 0, 1, 2.5, 100] });
  });
  await t.step("sampleN() has mean μ and variance σ²; reparameterize() is μ + σε", () => {
    const n = new Normal(3, 0.5);
    const xs = n.sampleN(createRng(11), 40000);
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    assertWithinSE({ value: mean, standardError: 0.5 / 200 }, 3);
    assert.equal(n.reparameterize(-2), 2);
    assert.equal(n.mean(), 3);
    assert.equal(n.variance(), 0.25);
    assertClose(Normal.fromLogScale(3, Math.log(0.5)).logProb(1), n.logProb(1));
  });
  await t.step("stays finite and correct for scales from 1e-150 to 1e150", () => {
    for (const s of [1e-150, 1e-50, 1e50, 1e150]) {
      const n = new Normal(0, s);
      assertClose(n.logProb(s), -0.5 * Math.log(2 * Math.PI) - Math.log(s) - 0.5);
      assertClose(n.entropy(), 0.5 * Math.log(2 * Math.PI * Math.E) + Math.log(s), { abs: 1e-13 });
      assert.ok(Number.isFinite(n.sample(createRng(1))));
    }
    assert.equal(new Normal(-0, 1).logProb(0), new Normal(0, 1).logProb(-0));
  });
  await t.step("rejects bad parameters, naming them", () => {
    assertThrowsNaming(() => new Normal(0, -1), RangeError, "scale", "-1");
    assertThrowsNaming(() => new Normal(0, 0), RangeError, "scale", "0");
    assertThrowsNaming(() => new Normal(NaN, 1), RangeError, "loc", "NaN");
    assertThrowsNaming(() => new Normal(0, Infinity), RangeError, "scale", "Infinity");
    assertThrowsNaming(() => new Normal("0" as unknown as number, 1), TypeError, "loc", '"0"');
    assertThrowsNaming(() => new Normal(0, 1).sampleN(createRng(0), -1), RangeError, "n", "-1");
  });
});
