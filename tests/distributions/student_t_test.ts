import assert from "node:assert/strict";
import { StudentT } from "../../lib/distributions/student_t.ts";
import { Normal } from "../../lib/distributions/normal.ts";
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

Deno.test("StudentT", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.studentT) {
      const d = new StudentT(r.df, r.loc, r.scale),
        what = `StudentT(${r.df}, ${r.loc}, ${r.scale})`;
      r.x.forEach((x, i) => assertClose(d.logProb(x), value(r.logProb[i]), REF, `${what} at ${x}`));
      assertClose(d.entropy(), value(r.entropy), ENTROPY, `${what}.entropy`);
      if (r.mean === null) assertThrowsNaming(() => d.mean(), RangeError, "df");
      else assertClose(d.mean(), value(r.mean), REF, `${what}.mean`);
      if (r.variance === null) assertThrowsNaming(() => d.variance(), RangeError, "df");
      else assertClose(d.variance(), value(r.variance), REF, `${what}.variance`);
    }
  });
  await t.step("tends to the normal as ν grows", () => {
    const n = new Normal(1, 2), d = new StudentT(1e300, 1, 2);
    for (const x of [-3, 0, 1, 4]) assertClose(d.logProb(x), n.logProb(x), { rel: 1e-15 });
    assertClose(d.entropy(), n.entropy(), { rel: 1e-15 });
  });
  await t.step("sample moments match; entropy() equals −E[log p]", () => {
    assertSampleMoments(new StudentT(12, 2, 0.5), { samples: 40000 });
    assertSampleMoments(new StudentT(1e8, -3, 1e3));
    const ts = fc.tuple(
      fc.double({ min: 0.5, max: 50, noNaN: true }),
      fc.double({ min: 0.2, max: 4, noNaN: true }),
    ).map(([nu, s]) => new StudentT(nu, 0, s));
    assertEntropy(ts, { numRuns: 20 });
  });
  await t.step("density integrates to 1 (over x = sinh u, for the heavy tails)", () => {
    // ∫ p(x) dx = ∫ p(sinh u) cosh u du; the tail beyond |u| = U is ~e^{−νU}
    const overAsinh = fc.double({ min: 0.5, max: 50, noNaN: true }).map((nu) => {
      const d = new StudentT(nu, 0, 1);
      return { nu, logProb: (u: number) => d.logProb(Math.sinh(u)) + Math.log(Math.cosh(u)) };
    });
    assertIntegratesToOne(overAsinh, {
      support: ({ nu }) => [-(40 / nu + 5), 40 / nu + 5],
      tolerance: { abs: 1e-8 },
      numRuns: 10,
    });
  });
  await t.step("is −∞ at ±∞, finite at 1e300; batch matches; extremes stay finite", () => {
    const d = new StudentT(3, 0, 1);
    assert.equal(d.logProb(Infinity), -Infinity);
    assert.ok(Number.isFinite(d.logProb(1e300)));
    assertLogProbBatch(d, { points: [-Infinity, -3, 0, 1e200, 5] });
    for (
      const [nu, m, s] of [[1e-300, 0, 1], [1e308, 1e308, 1e-300], [
        2.2250738585072014e-308,
        0,
        1e300,
      ]]
    ) {
      const e = new StudentT(nu!, m!, s!), xs = e.sampleN(createRng(3), 50);
      assertNoNaN([e.entropy(), xs, e.logProbBatch(xs)], `StudentT(${nu}, ${m}, ${s})`);
    }
  });
  await t.step("never returns NaN from finite input", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const pos = fc.double({ min: 2.2250738585072014e-308, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(pos, finite, pos, fc.double({ noNaN: true }), (nu, m, s, x) => {
        const d = new StudentT(nu, m, s);
        const out = [d.logProb(x), d.entropy(), d.sample(createRng(1))];
        if (nu > 1) out.push(d.mean(), d.variance());
        assertNoNaN(out, `StudentT(${nu}, ${m}, ${s}) at ${x}`);
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad parameters, and moments that do not exist, naming them", () => {
    assertThrowsNaming(() => new StudentT(0, 0, 1), RangeError, "df", "0");
    assertThrowsNaming(() => new StudentT(1, NaN, 1), RangeError, "loc", "NaN");
    assertThrowsNaming(() => new StudentT(1, 0, -1), RangeError, "scale", "-1");
    assertThrowsNaming(() => new StudentT(1, 0, 1).mean(), RangeError, "df", "1");
    assertThrowsNaming(() => new StudentT(0.5, 0, 1).variance(), RangeError, "df", "0.5");
    assertThrowsNaming(() => new StudentT(3, 0, 1).logProb(NaN), RangeError, "x", "NaN");
  });
});
