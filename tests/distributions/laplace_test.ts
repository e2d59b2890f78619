import assert from "node:assert/strict";
import { Laplace } from "../../lib/distributions/laplace.ts";
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

const laplace = () =>
  fc.tuple(
    fc.double({ min: -5, max: 5, noNaN: true }),
    fc.double({ min: 0.2, max: 4, noNaN: true }),
  )
    .map(([m, b]) => new Laplace(m, b));

Deno.test("Laplace", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.laplace) {
      const d = new Laplace(r.loc, r.scale), what = `Laplace(${r.loc}, ${r.scale})`;
      r.x.forEach((x, i) => assertClose(d.logProb(x), value(r.logProb[i]), REF, `${what} at ${x}`));
      assertClose(d.entropy(), value(r.entropy), ENTROPY, `${what}.entropy`);
      assertClose(d.mean(), value(r.mean), REF, `${what}.mean`);
      assertClose(d.variance(), value(r.variance), REF, `${what}.variance`);
    }
  });
  await t.step("sample moments match; entropy() equals −E[log p]", () => {
    assertSampleMoments(new Laplace(2, 0.5));
    assertSampleMoments(new Laplace(-1e6, 1e3));
    assertEntropy(laplace(), { numRuns: 20 });
  });
  await t.step("density integrates to 1", () => {
    assertIntegratesToOne(laplace(), { numRuns: 10, tolerance: { abs: 1e-8 } });
  });
  await t.step("is −∞ at ±∞; batch matches; extremes stay finite", () => {
    const d = new Laplace(1, 2);
    assert.equal(d.logProb(Infinity), -Infinity);
    assert.equal(d.logProb(-Infinity), -Infinity);
    assertLogProbBatch(d, { points: [-Infinity, -3, 1, 2.5, 1e300] });
    for (const [m, b] of [[1e308, 1e-300], [-1e308, 1e308], [0, 2.2250738585072014e-308]]) {
      const e = new Laplace(m!, b!), xs = e.sampleN(createRng(3), 50);
      assertNoNaN(
        [e.entropy(), e.mean(), e.variance(), xs, e.logProbBatch(xs)],
        `Laplace(${m}, ${b})`,
      );
    }
  });
  await t.step("never returns NaN from finite input", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const pos = fc.double({ min: 2.2250738585072014e-308, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, pos, fc.double({ noNaN: true }), (m, b, x) => {
        const d = new Laplace(m, b);
        assertNoNaN(
          [d.logProb(x), d.entropy(), d.variance(), d.sample(createRng(1))],
          `${m} ${b} ${x}`,
        );
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad parameters and arguments, naming them", () => {
    assertThrowsNaming(() => new Laplace(0, 0), RangeError, "scale", "0");
    assertThrowsNaming(() => new Laplace(Infinity, 1), RangeError, "loc", "Infinity");
    assertThrowsNaming(() => new Laplace(0, "1" as never), TypeError, "scale", '"1"');
    assertThrowsNaming(() => new Laplace(0, 1).logProb(NaN), RangeError, "x", "NaN");
    assertThrowsNaming(() => new Laplace(0, 1).sample(null as never), TypeError, "rng");
  });
});
