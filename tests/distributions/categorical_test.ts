import assert from "node:assert/strict";
import { Categorical } from "../../lib/distributions/categorical.ts";
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

const logits = (min = -8, max = 8, maxLength = 8) =>
  fc.array(fc.double({ min, max, noNaN: true }), { minLength: 1, maxLength });

Deno.test("Categorical", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.categorical) {
      const c = "logits" in r
        ? new Categorical({ logits: r.logits })
        : new Categorical({ probs: r.probs });
      const what = JSON.stringify(r).slice(0, 40);
      r.logProb.forEach((lp, k) => assertClose(c.logProb(k), value(lp), REF, `${what} at ${k}`));
      assertClose(c.entropy(), value(r.entropy), ENTROPY, `${what}.entropy`);
      assertClose(c.mean(), value(r.mean), { abs: 1e-15, rel: 2e-15 }, `${what}.mean`);
      assertClose(c.variance(), value(r.variance), { abs: 1e-15, rel: 2e-15 }, `${what}.variance`);
    }
  });
  await t.step("sums to 1; logits and probs agree; samples match the moments", () => {
    assertIntegratesToOne(logits().map((l) => new Categorical({ logits: l })), {
      discrete: true,
      support: (c) => [0, c.numCategories - 1],
      tolerance: { abs: 1e-12 },
    });
    fc.assert(
      fc.property(logits(), (l) => {
        const c = new Categorical({ logits: l });
        const d = new Categorical({ probs: c.probs });
        assertAllClose(d.logProbs, c.logProbs, { abs: 1e-14, rel: 1e-14 });
      }),
    );
    assertSampleMoments(new Categorical({ probs: [0.1, 0, 0.6, 0.3] }));
    assertSampleMoments(new Categorical({ logits: [3, -1, 0, 2, 2] }));
  });
  await t.step("entropy() equals −E[log p]; a zero-probability category is never drawn", () => {
    assertEntropy(logits(-2, 2, 5).map((l) => new Categorical({ logits: l })), { numRuns: 20 });
    const c = new Categorical({ probs: [0, 0.5, 0, 0.5, 0] });
    assert.ok(c.sampleN(createRng(3), 5000).every((k) => k === 1 || k === 3));
    assert.ok(new Categorical({ probs: [1, 0] }).sampleN(createRng(4), 100).every((k) => k === 0));
  });
  await t.step("is −∞ off {0, …, K − 1}; batch matches", () => {
    const c = new Categorical({ logits: [0, 1, 2] });
    for (const k of [-1, 3, 1.5, Infinity, -Infinity]) assert.equal(c.logProb(k), -Infinity);
    assertLogProbBatch(c, { points: [0, 1, 2, 3, -1, 0.5] });
  });
  await t.step("huge logits stay finite; probabilities near 0 keep their digits", () => {
    const c = new Categorical({ logits: [1e300, -1e300, 0] });
    assert.equal(c.logProb(0), 0);
    assert.equal(c.logProb(1), -2e300);
    assertNoNaN([c.entropy(), c.mean(), c.variance(), c.sampleN(createRng(1), 10)], "huge logits");
    assert.equal(new Categorical({ probs: [1e-300, 0.5, 0.5] }).logProb(0), Math.log(1e-300));
  });
  await t.step("never returns NaN from finite input", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 5 }),
        fc.double({ noNaN: true }),
        (l, k) => {
          const c = new Categorical({ logits: l });
          assertNoNaN(
            [c.logProb(k), c.entropy(), c.mean(), c.variance(), c.sample(createRng(1))],
            `${l}`,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad parameters and arguments, naming them", () => {
    assertThrowsNaming(() => new Categorical({ probs: [0.5, 0.6] }), RangeError, "probs", "1.1");
    assertThrowsNaming(
      () => new Categorical({ probs: [-0.5, 1.5] }),
      RangeError,
      "probs[0]",
      "-0.5",
    );
    assertThrowsNaming(() => new Categorical({ logits: [0, NaN] }), RangeError, "logits[1]", "NaN");
    assertThrowsNaming(() => new Categorical({ logits: [] }), TypeError, "logits", "empty");
    assertThrowsNaming(() => new Categorical({} as never), TypeError, "logits or probs");
    assertThrowsNaming(
      () => new Categorical({ logits: [0], probs: [1] } as never),
      TypeError,
      "exactly one",
    );
    assertThrowsNaming(() => new Categorical(null as never), TypeError, "params");
    assertThrowsNaming(() => new Categorical({ logits: [0] }).logProb(NaN), RangeError, "x", "NaN");
  });
});
