import assert from "node:assert/strict";
import { Sigmoid } from "../../lib/bijectors/sigmoid.ts";
import { Beta } from "../../lib/distributions/beta.ts";
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

const shape = (min = 0.1, max = 30) => fc.double({ min, max, noNaN: true });
const beta = (min?: number) => fc.tuple(shape(min), shape(min)).map(([a, b]) => new Beta(a, b));

Deno.test("Beta", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.beta) {
      const b = new Beta(r.alpha, r.beta);
      const what = `Beta(${r.alpha}, ${r.beta})`;
      r.x.forEach((x, i) =>
        assertClose(b.logProb(x), value(r.logProb[i]), REF, `${what}.logProb(${x})`)
      );
      assertClose(b.entropy(), value(r.entropy), ENTROPY, `${what}.entropy`);
      assertClose(b.mean(), value(r.mean), REF, `${what}.mean`);
      assertClose(b.variance(), value(r.variance), REF, `${what}.variance`);
    }
  });
  await t.step("sample moments match mean() and variance()", () => {
    for (const [a, b] of [[0.2, 0.5], [1, 1], [3, 7], [1e5, 3e5]]) {
      assertSampleMoments(new Beta(a!, b!));
    }
  });
  await t.step("entropy() equals −E[log p] within its standard error", () => {
    assertEntropy(beta(), { numRuns: 20 });
  });
  await t.step("density integrates to 1 (over the logit, where it is smooth)", () => {
    assertIntegratesToOne(beta(0.8), {
      transform: new Sigmoid(),
      support: (d) => [Math.max(-35, -30 / d.alpha - 5), Math.min(35, 30 / d.beta + 5)],
      tolerance: { abs: 1e-8 },
      numRuns: 10,
    });
  });
  await t.step("agrees with the plain formula where that is exact enough", () => {
    fc.assert(
      fc.property(
        shape(0.5, 200),
        shape(0.5, 200),
        fc.double({ min: 0.01, max: 0.99 }),
        (a, b, x) => {
          // −log B(α, β), read off at x = ½
          const minusLogB = new Beta(a, b).logProb(0.5) - (a + b - 2) * Math.log(0.5);
          const plain = (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) + minusLogB;
          assertClose(new Beta(a, b).logProb(x), plain, { abs: 1e-11, rel: 1e-11 });
        },
      ),
    );
  });
  await t.step("is −∞ outside [0, 1]; the edges follow the shapes; batch matches", () => {
    const b = new Beta(2, 0.5);
    assert.equal(b.logProb(-1e-300), -Infinity);
    assert.equal(b.logProb(1.5), -Infinity);
    assert.equal(b.logProb(0), -Infinity);
    assert.equal(b.logProb(1), Infinity);
    assert.equal(new Beta(1, 3).logProb(0), Math.log(3));
    assert.equal(new Beta(3, 1).logProb(1), Math.log(3));
    assertLogProbBatch(b, { points: [-1, 0, 0.25, 0.5, 1, 2, Infinity] });
    assertLogProbBatch(new Beta(30, 40), { points: [0.1, 0.4, 0.45] });
  });
  await t.step("tiny and huge shapes stay finite, draws in [0, 1]", () => {
    for (const [a, b] of [[1e-300, 1], [1e-3, 1e-3], [1e150, 1e150], [1e-300, 1e300], [5, 1e15]]) {
      const d = new Beta(a!, b!);
      const xs = d.sampleN(createRng(7), 50);
      assertNoNaN(
        [d.entropy(), d.mean(), d.variance(), xs, d.logProbBatch(xs)],
        `Beta(${a}, ${b})`,
      );
      assert.ok(xs.every((x) => x >= 0 && x <= 1));
    }
  });
  await t.step("never returns NaN from finite input", () => {
    const pos = fc.double({ min: 2.2250738585072014e-308, max: 1e307, noNaN: true });
    fc.assert(
      fc.property(pos, pos, fc.double({ noNaN: true }), (a, b, x) => {
        const d = new Beta(a, b);
        assertNoNaN(
          [
            d.logProb(x),
            d.logProb(Number.isFinite(x) ? x / (1 + Math.abs(x)) : 0.5),
            d.entropy(),
            d.mean(),
            d.variance(),
            d.sample(createRng(1)),
          ],
          `Beta(${a}, ${b}) at ${x}`,
        );
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad parameters and arguments, naming them", () => {
    assertThrowsNaming(() => new Beta(0, 1), RangeError, "alpha", "0");
    assertThrowsNaming(() => new Beta(1, -2), RangeError, "beta", "-2");
    assertThrowsNaming(() => new Beta(1, NaN), RangeError, "beta", "NaN");
    assertThrowsNaming(() => new Beta(1e308, 1e308), RangeError, "alpha + beta", "1e+308");
    assertThrowsNaming(() => new Beta([1] as never, 1), TypeError, "alpha");
    assertThrowsNaming(() => new Beta(1, 1).logProb(NaN), RangeError, "x", "NaN");
    assertThrowsNaming(() => new Beta(1, 1).sampleN(createRng(0), 0.5), RangeError, "n", "0.5");
  });
});
