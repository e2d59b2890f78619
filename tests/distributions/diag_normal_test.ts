import assert from "node:assert/strict";
import { createRng, DiagNormal, Normal } from "../../mod.ts";
import { REFERENCE } from "../_scipy_reference.ts";
import { diagNormal, dim, normal } from "../_arbitraries.ts";
import { assertEntropy, assertLogProbBatch } from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, assertThrowsNaming } from "../_tolerance.ts";

Deno.test("DiagNormal", async (t) => {
  await t.step("logProb() and entropy() match scipy", () => {
    const r = REFERENCE.diagNormal;
    const q = new DiagNormal(r.loc, r.scale);
    assertClose(q.logProb(r.x), r.logProb);
    assertClose(q.entropy(), r.entropy);
  });
  await t.step("in one dimension equals Normal", () => {
    fc.assert(
      fc.property(normal(), fc.double({ min: -10, max: 10, noNaN: true }), (n, x) => {
        const q = new DiagNormal([n.loc], [n.scale]);
        assertClose(q.logProb([x]), n.logProb(x));
        assertClose(q.entropy(), n.entropy(), { abs: 1e-15 });
      }),
    );
  });
  await t.step("entropy() equals −E[log p] within its standard error", () => {
    assertEntropy(dim().chain(diagNormal), { numRuns: 30 });
  });
  await t.step("logProbBatch() matches logProb() and sampling is μ + σ ⊙ ε", () => {
    const q = new DiagNormal([1, -2], [0.5, 3]);
    assertLogProbBatch(q, { points: q.sampleN(createRng(3), 50) });
    assertAllClose(q.reparameterize([2, -1]), [2, -5]);
    assertAllClose(q.variance(), [0.25, 9]);
    assertAllClose(q.covariance(), [0.25, 0, 0, 9]);
    assertAllClose(DiagNormal.fromLogScale([1, -2], [Math.log(0.5), Math.log(3)]).scale, [0.5, 3]);
  });
  await t.step("stays finite and correct for scales from 1e-150 to 1e150", () => {
    const q = new DiagNormal([0, 0], [1e-150, 1e150]);
    const expected = new Normal(0, 1e-150).logProb(1e-150) + new Normal(0, 1e150).logProb(1e150);
    assertClose(q.logProb([1e-150, 1e150]), expected);
    assert.ok(Number.isFinite(q.entropy()));
  });
  await t.step("rejects bad parameters, naming them", () => {
    assertThrowsNaming(() => new DiagNormal([0, 0], [1, -1]), RangeError, "scale[1]", "-1");
    assertThrowsNaming(() => new DiagNormal([0, NaN], [1, 1]), RangeError, "loc[1]", "NaN");
    assertThrowsNaming(() => new DiagNormal([0, 0], [1]), TypeError, "scale", "length 2");
    assertThrowsNaming(() => new DiagNormal([], []), TypeError, "loc", "empty");
    assertThrowsNaming(() => new DiagNormal([0], [1]).logProb([1, 2]), TypeError, "x", "length 1");
    assertThrowsNaming(
      () => new DiagNormal([0, 1], [1, 1]).logProbBatch([1, 2, 3]),
      TypeError,
      "xs",
      "length is 3",
    );
  });
});
