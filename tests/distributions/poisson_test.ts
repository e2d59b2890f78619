import assert from "node:assert/strict";
import { Poisson } from "../../lib/distributions/poisson.ts";
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
import { assertNoNaN, REF, value } from "./_family_checks.ts";

Deno.test("Poisson", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.poisson) {
      const p = new Poisson(r.rate), what = `Poisson(${r.rate})`;
      r.k.forEach((k, i) => assertClose(p.logProb(k), value(r.logProb[i]), REF, `${what} at ${k}`));
      if ("entropy" in r) assertClose(p.entropy(), value(r.entropy), REF, `${what}.entropy`);
      assert.equal(p.mean(), r.rate);
      assert.equal(p.variance(), r.rate);
    }
  });
  await t.step("the entropy is continuous where its series takes over (λ = 10⁵)", () => {
    assertClose(new Poisson(99999.99999999999).entropy(), new Poisson(1e5).entropy(), {
      rel: 1e-15,
    });
  });
  await t.step("sums to 1; draws match the moments, by inversion and by PTRS", () => {
    for (const lam of [0.01, 3.5, 9.99, 10, 47.3]) {
      const support: [number, number] = [0, Math.ceil(lam + 40 * Math.sqrt(lam) + 40)];
      assertIntegratesToOne(new Poisson(lam), { support, tolerance: { abs: 1e-12 } });
    }
    for (const lam of [0.3, 7, 12, 250, 1e9]) assertSampleMoments(new Poisson(lam));
  });
  await t.step("PTRS draws follow the mass function (χ² over the central values)", () => {
    const p = new Poisson(30), n = 40000, xs = p.sampleN(createRng(9), n);
    const counts = new Map<number, number>();
    for (const k of xs) counts.set(k, (counts.get(k) ?? 0) + 1);
    let chi2 = 0, cells = 0;
    for (let k = 15; k <= 45; k++) {
      const e = n * Math.exp(p.logProb(k));
      chi2 += ((counts.get(k) ?? 0) - e) ** 2 / e;
      cells++;
    }
    // 31 cells: the 99.99% point of χ²₃₁ is about 66
    assert.ok(chi2 < 66, `χ² = ${chi2} over ${cells} cells`);
  });
  await t.step("entropy() equals −E[log p]", () => {
    const poissons = fc.double({ min: 0.05, max: 200, noNaN: true }).map((l) => new Poisson(l));
    assertEntropy(poissons, { numRuns: 20 });
  });
  await t.step("is −∞ off {0, 1, …}; batch matches", () => {
    const p = new Poisson(2);
    for (const k of [-1, 1.5, Infinity, -Infinity]) assert.equal(p.logProb(k), -Infinity);
    assert.equal(p.logProb(0), -2);
    assertLogProbBatch(p, { points: [0, 1, 2, 3, -1, 0.5, 1e300] });
  });
  await t.step("never returns NaN from finite input", () => {
    const pos = fc.double({ min: 5e-324, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(pos, fc.double({ noNaN: true }), (lam, k) => {
        const p = new Poisson(lam);
        assertNoNaN([
          p.logProb(k),
          p.logProb(Math.round(Math.abs(k))),
          p.entropy(),
          p.sample(createRng(1)),
        ], `Poisson(${lam}) at ${k}`);
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects a bad rate, naming it", () => {
    assertThrowsNaming(() => new Poisson(0), RangeError, "rate", "0");
    assertThrowsNaming(() => new Poisson(-1), RangeError, "rate", "-1");
    assertThrowsNaming(() => new Poisson(Infinity), RangeError, "rate", "Infinity");
    assertThrowsNaming(() => new Poisson(undefined as never), TypeError, "rate", "undefined");
    assertThrowsNaming(() => new Poisson(1).logProb(NaN), RangeError, "x", "NaN");
    assertThrowsNaming(() => new Poisson(1).sampleN(createRng(1), 2 ** 53), RangeError, "n");
  });
});
