import assert from "node:assert/strict";
import { Beta } from "../../lib/distributions/beta.ts";
import { Dirichlet } from "../../lib/distributions/dirichlet.ts";
import { createRng } from "../../lib/math/rng.ts";
import { FAMILIES } from "../reference/families_reference.ts";
import {
  assertEntropy,
  assertIntegratesToOne,
  assertLogProbBatch,
  assertSampleMoments,
} from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, assertThrowsNaming } from "../_tolerance.ts";
import { assertNoNaN, ENTROPY, REF, value } from "./_family_checks.ts";

const concentrations = (min = 0.1, max = 20) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: 2, maxLength: 5 });

Deno.test("Dirichlet", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.dirichlet) {
      const d = new Dirichlet(r.concentration), what = `Dirichlet(${r.concentration})`;
      r.x.forEach((x, i) => assertClose(d.logProb(x), value(r.logProb[i]), REF, `${what} at ${x}`));
      assertClose(d.entropy(), value(r.entropy), ENTROPY, `${what}.entropy`);
      assertAllClose(d.mean(), r.mean.map(value), REF, `${what}.mean`);
      assertAllClose(d.variance(), r.variance.map(value), REF, `${what}.variance`);
    }
  });
  await t.step(
    "with K = 2 is the Beta of its first coordinate (less the Jacobian of x₂ = 1 − x₁)",
    () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0.1, max: 1e6, noNaN: true }),
          fc.double({ min: 0.1, max: 1e6, noNaN: true }),
          fc.double({ min: 0.001, max: 0.999, noNaN: true }),
          (a, b, x) => {
            const d = new Dirichlet([a, b]), e = new Beta(a, b);
            assertClose(d.logProb([x, 1 - x]), e.logProb(x), { abs: 1e-9, rel: 1e-9 });
            assertClose(d.entropy(), e.entropy(), { abs: 1e-13, rel: 1e-13 });
          },
        ),
      );
    },
  );
  await t.step("sample moments and covariance match; entropy() equals −E[log p]", () => {
    const d = new Dirichlet([0.3, 2, 5]);
    assertSampleMoments(d);
    assertSampleMoments(new Dirichlet([1e5, 2e5]));
    const xs = d.sampleN(createRng(3), 20000), c = d.covariance();
    let s01 = 0;
    const m = d.mean();
    for (let i = 0; i < 20000; i++) s01 += (xs[3 * i]! - m[0]!) * (xs[3 * i + 1]! - m[1]!);
    assertClose(s01 / 20000, c[1]!, { abs: 4e-4 });
    assertClose(c[1]!, c[3]!);
    assertEntropy(concentrations().map((a) => new Dirichlet(a)), { numRuns: 20 });
  });
  await t.step("density integrates to 1 over the 2-simplex (x₁ = σ(u))", () => {
    // The density of u = log(x₁/x₂), with x₂ = σ(−u) kept exact rather than 1 − x₁.
    const overLogit = fc.tuple(
      fc.double({ min: 0.8, max: 20, noNaN: true }),
      fc.double({ min: 0.8, max: 20, noNaN: true }),
    ).map(([a, b]) => {
      const d = new Dirichlet([a, b]);
      return {
        a,
        b,
        logProb: (u: number) => {
          const x = 1 / (1 + Math.exp(-u)), c = 1 / (1 + Math.exp(u));
          return d.logProb([x, c]) + Math.log(x) + Math.log(c);
        },
      };
    });
    assertIntegratesToOne(overLogit, {
      support: ({ a, b }) => [Math.max(-35, -30 / a - 5), Math.min(35, 30 / b + 5)],
      tolerance: { abs: 1e-8 },
      numRuns: 5,
    });
  });
  await t.step("faces of the simplex follow the concentrations; batch matches", () => {
    assert.equal(new Dirichlet([2, 1, 1]).logProb([0, 0.5, 0.5]), -Infinity);
    assert.equal(new Dirichlet([0.5, 1, 1]).logProb([0, 0.5, 0.5]), Infinity);
    assertClose(new Dirichlet([1, 3, 1]).logProb([0, 0.5, 0.5]), Math.log(12 * 0.25));
    assertLogProbBatch(new Dirichlet([1, 2, 3]), {
      points: [0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0, 0.5, 0.5],
    });
    assertLogProbBatch(new Dirichlet([50, 20]), { points: [0.7, 0.3, 0.71, 0.29] });
  });
  await t.step("tiny and huge concentrations stay finite; draws lie on the simplex", () => {
    for (const a of [[1e-300, 1e-300], [1e-3, 1e-3, 1e-3], [1e150, 1e150, 1], [1e300, 1e-300]]) {
      const d = new Dirichlet(a), xs = d.sampleN(createRng(5), 20);
      assertNoNaN([d.entropy(), d.mean(), d.variance(), xs, d.logProbBatch(xs)], `Dirichlet(${a})`);
      for (let i = 0; i < 20; i++) {
        const row = xs.subarray(i * a.length, (i + 1) * a.length);
        assertClose(row.reduce((s, v) => s + v, 0), 1, { abs: 1e-15 });
      }
    }
  });
  await t.step("never returns NaN from finite input", () => {
    const pos = fc.double({ min: 2.2250738585072014e-308, max: 1e307, noNaN: true });
    fc.assert(
      fc.property(pos, pos, pos, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, c, x) => {
        const d = new Dirichlet([a, b, c]);
        assertNoNaN(
          [
            d.logProb([x, 0, 1 - x]),
            d.logProb([x / 2, x / 2, 1 - x]),
            d.entropy(),
            d.variance(),
            d.sample(createRng(1)),
          ],
          `Dirichlet(${a}, ${b}, ${c}) at ${x}`,
        );
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad parameters and points off the simplex, naming them", () => {
    assertThrowsNaming(() => new Dirichlet([1]), TypeError, "concentration", "at least 2");
    assertThrowsNaming(() => new Dirichlet([1, 0]), RangeError, "concentration[1]", "0");
    assertThrowsNaming(() => new Dirichlet([1, NaN]), RangeError, "concentration[1]", "NaN");
    assertThrowsNaming(() => new Dirichlet([1e308, 1e308]), RangeError, "concentration", "finite");
    assertThrowsNaming(() => new Dirichlet("ab" as never), TypeError, "concentration");
    const d = new Dirichlet([1, 1]);
    assertThrowsNaming(() => d.logProb([0.5, 0.6]), RangeError, "x", "1.1");
    assertThrowsNaming(() => d.logProb([-0.5, 1.5]), RangeError, "x[0]", "-0.5");
    assertThrowsNaming(() => d.logProb([1]), TypeError, "x", "length 2");
    assertThrowsNaming(() => d.logProbBatch([0.5, 0.5, 0.5, 0.6]), RangeError, "xs", "1.1");
  });
});
