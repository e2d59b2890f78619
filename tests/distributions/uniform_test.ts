import assert from "node:assert/strict";
import { Uniform } from "../../lib/distributions/uniform.ts";
import { createRng } from "../../lib/math/rng.ts";
import { FAMILIES } from "../reference/families_reference.ts";
import {
  assertEntropy,
  assertIntegratesToOne,
  assertLogProbBatch,
  assertSampleMoments,
} from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";
import { assertNoNaN, ENTROPY, REF, value } from "./_family_checks.ts";

Deno.test("Uniform", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.uniform) {
      const d = new Uniform(r.low, r.high), what = `Uniform(${r.low}, ${r.high})`;
      r.x.forEach((x, i) => assertClose(d.logProb(x), value(r.logProb[i]), REF, `${what} at ${x}`));
      assertClose(d.entropy(), value(r.entropy), ENTROPY, `${what}.entropy`);
      assertClose(d.mean(), value(r.mean), REF, `${what}.mean`);
      assertClose(d.variance(), value(r.variance), REF, `${what}.variance`);
    }
  });
  await t.step("sample moments match; draws lie in [low, high); entropy() equals −E[log p]", () => {
    assertSampleMoments(new Uniform(-1, 3));
    const d = new Uniform(1, 1.0000000000000002), xs = d.sampleN(createRng(2), 1000);
    assert.ok(xs.every((x) => x >= 1 && x < 1.0000000000000002));
    const wide = new Uniform(-1.7e308, 1.7e308).sampleN(createRng(3), 1000);
    assert.ok(wide.every((x) => Number.isFinite(x)));
    assertEntropy(new Uniform(2, 7));
  });
  await t.step("density integrates to 1", () => {
    const d = new Uniform(-0.25, 0.5);
    assertIntegratesToOne(d, { support: [-0.25, 0.5], tolerance: { abs: 1e-8 } });
    // Over a wider interval the quadrature refines at the jumps.
    assertIntegratesToOne(d, { tolerance: { abs: 1e-8 } });
  });
  await t.step("is −∞ outside [low, high] and −log w on its closed ends; batch matches", () => {
    const d = new Uniform(0, 2);
    assert.equal(d.logProb(0), -Math.LN2);
    assert.equal(d.logProb(2), -Math.LN2);
    assert.equal(d.logProb(-1e-300), -Infinity);
    assert.equal(d.logProb(Infinity), -Infinity);
    assertLogProbBatch(d, { points: [-1, 0, 1, 2, 3, -Infinity] });
  });
  await t.step("never returns NaN from finite input", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, finite, fc.double({ noNaN: true }), (a, b, x) => {
        if (!(a < b)) return;
        const d = new Uniform(a, b), xs = d.sampleN(createRng(1), 4);
        assert.ok(xs.every((v) => v >= a && v < b), `${xs}`);
        assertNoNaN([d.logProb(x), d.entropy(), d.mean(), d.variance(), xs], `Uniform(${a}, ${b})`);
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad bounds, naming them", () => {
    assertThrowsNaming(() => new Uniform(1, 1), RangeError, "high", "1");
    assertThrowsNaming(() => new Uniform(2, 1), RangeError, "high", "1");
    assertThrowsNaming(() => new Uniform(-Infinity, 1), RangeError, "low", "Infinity");
    assertThrowsNaming(() => new Uniform(0, null as never), TypeError, "high", "null");
    assertThrowsNaming(() => new Uniform(0, 1).logProb(NaN), RangeError, "x", "NaN");
  });
});
