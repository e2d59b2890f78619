import assert from "node:assert/strict";
import { Exp } from "../../lib/bijectors/exp.ts";
import { Gamma } from "../../lib/distributions/gamma.ts";
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

const gamma = () =>
  fc.tuple(
    fc.double({ min: 0.05, max: 50, noNaN: true }),
    fc.double({ min: 0.1, max: 10, noNaN: true }),
  ).map(([a, b]) => new Gamma(a, b));

Deno.test("Gamma", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.gamma) {
      const g = new Gamma(r.concentration, r.rate);
      r.x.forEach((x, i) =>
        assertClose(g.logProb(x), value(r.logProb[i]), REF, `logProb ${x} ${g.concentration}`)
      );
      assertClose(
        g.entropy(),
        value(r.entropy),
        ENTROPY,
        `entropy α=${r.concentration} β=${r.rate}`,
      );
      assertClose(g.mean(), value(r.mean), REF, "mean");
      assertClose(g.variance(), value(r.variance), REF, "variance");
    }
  });
  await t.step("sample moments match mean() and variance(), for α < 1 too", () => {
    for (const [a, b] of [[0.3, 2], [1, 1], [4.5, 0.5], [1e6, 1e3]]) {
      assertSampleMoments(new Gamma(a!, b!));
    }
  });
  await t.step("entropy() equals −E[log p] within its standard error", () => {
    assertEntropy(gamma(), { numRuns: 20 });
  });
  await t.step("density integrates to 1 (over u = log x, where it is smooth for any α)", () => {
    const gammas = fc.tuple(
      fc.double({ min: 0.05, max: 30, noNaN: true }),
      fc.double({ min: 0.2, max: 5, noNaN: true }),
    ).map(([a, b]) => new Gamma(a, b));
    assertIntegratesToOne(gammas, {
      transform: new Exp(),
      support: ({ concentration: a, rate: b }) => [
        -30 / a - 5,
        Math.log(a / b + 20 * Math.sqrt(a) / b + 40 / b),
      ],
      tolerance: { abs: 1e-8 },
      numRuns: 10,
    });
  });
  await t.step("is −∞ below the support and at +∞; x = 0 follows α; batch matches", () => {
    const g = new Gamma(2, 3);
    assert.equal(g.logProb(-1e-300), -Infinity);
    assert.equal(g.logProb(Infinity), -Infinity);
    assert.equal(g.logProb(0), -Infinity);
    assert.equal(new Gamma(0.5, 1).logProb(0), Infinity);
    assert.equal(new Gamma(1, 3).logProb(0), Math.log(3));
    assertLogProbBatch(g, { points: [-1, 0, 0.5, 3, Infinity, 1e-300] });
  });
  await t.step("tiny and huge parameters stay finite, draws too", () => {
    for (
      const [a, b] of [[1e-300, 1], [1e-3, 1e300], [1e300, 1e-300], [1e15, 1], [
        2.2250738585072014e-308,
        1e308,
      ]]
    ) {
      const g = new Gamma(a!, b!);
      const xs = g.sampleN(createRng(7), 50);
      assertNoNaN(
        [g.entropy(), g.mean(), g.variance(), xs, g.logProbBatch(xs)],
        `Gamma(${a}, ${b})`,
      );
      assert.ok(xs.every((x) => x >= 0));
    }
  });
  await t.step("never returns NaN from finite input", () => {
    const pos = fc.double({ min: 2.2250738585072014e-308, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(pos, pos, fc.double({ noNaN: true }), (a, b, x) => {
        const g = new Gamma(a, b);
        assertNoNaN(
          [g.logProb(x), g.entropy(), g.mean(), g.variance(), g.sample(createRng(1))],
          `Gamma(${a}, ${b}) at ${x}`,
        );
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad parameters and arguments, naming them", () => {
    assertThrowsNaming(() => new Gamma(0, 1), RangeError, "concentration", "0");
    assertThrowsNaming(() => new Gamma(-1, 1), RangeError, "concentration", "-1");
    assertThrowsNaming(() => new Gamma(1, NaN), RangeError, "rate", "NaN");
    assertThrowsNaming(() => new Gamma(1, Infinity), RangeError, "rate", "Infinity");
    assertThrowsNaming(() => new Gamma(1e-310, 1), RangeError, "concentration", "subnormal");
    assertThrowsNaming(() => new Gamma("1" as never, 1), TypeError, "concentration", '"1"');
    assertThrowsNaming(() => new Gamma(1, 1).logProb(NaN), RangeError, "x", "NaN");
    assertThrowsNaming(() => new Gamma(1, 1).sampleN(createRng(0), -1), RangeError, "n", "-1");
    assertThrowsNaming(() => new Gamma(1, 1).sample({} as never), TypeError, "rng");
  });
});
