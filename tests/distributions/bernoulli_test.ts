import assert from "node:assert/strict";
import { Bernoulli, createRng } from "../../mod.ts";
import { REFERENCE } from "../_scipy_reference.ts";
import { bernoulli, dim } from "../_arbitraries.ts";
import { assertEntropy, assertLogProbBatch } from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, assertThrowsNaming } from "../_tolerance.ts";

Deno.test("Bernoulli", async (t) => {
  await t.step("logProb() and entropy() match scipy, from probs and from logits", () => {
    const r = REFERENCE.bernoulli;
    const fromProbs = new Bernoulli({ probs: r.probs });
    const fromLogits = new Bernoulli({ logits: r.probs.map((p) => Math.log(p / (1 - p))) });
    for (const b of [fromProbs, fromLogits]) {
      assertClose(b.logProb(r.x), r.logProb);
      assertClose(b.entropy(), r.entropy);
    }
  });
  await t.step("logProb() equals minus the binary cross-entropy", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((d) =>
          fc.tuple(
            fc.array(fc.double({ min: 1e-3, max: 1 - 1e-3, noNaN: true }), {
              minLength: d,
              maxLength: d,
            }),
            fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: d, maxLength: d }),
          )
        ),
        ([p, x]) => {
          const bce = -x.reduce(
            (s, xi, j) => s + xi * Math.log(p[j]!) + (1 - xi) * Math.log(1 - p[j]!),
            0,
          );
          assertClose(new Bernoulli({ probs: p }).logProb(x), -bce, { abs: 1e-12, rel: 1e-12 });
        },
      ),
    );
  });
  await t.step("entropy() equals −E[log p] within its standard error", () => {
    assertEntropy(dim().chain(bernoulli), { numRuns: 30 });
  });
  await t.step("samples are 0/1 with mean p; batch matches pointwise", () => {
    const b = new Bernoulli({ probs: [0.1, 0.9] });
    const xs = b.sampleN(createRng(4), 20000);
    assert.ok(xs.every((x) => x === 0 || x === 1));
    const m0 = xs.filter((_, i) => i % 2 === 0).reduce((s, v) => s + v, 0) / 20000;
    assert.ok(Math.abs(m0 - 0.1) < 4 * Math.sqrt(0.09 / 20000));
    assertLogProbBatch(b, { points: xs.subarray(0, 20) });
    assertAllClose(b.variance(), [0.09, 0.09], { rel: 1e-14 });
    assertAllClose(b.mean(), [0.1, 0.9]);
  });
  await t.step("logits of ±1e4 stay finite and correct", () => {
    const b = new Bernoulli({ logits: [1e4, -1e4] });
    assert.equal(b.logProb([1, 0]), 0);
    assert.equal(b.logProb([0, 1]), -2e4);
    assert.equal(b.entropy(), 0);
    assertAllClose(b.probs, [1, 0]);
  });
  await t.step("probabilities 0 and 1 are allowed", () => {
    const b = new Bernoulli({ probs: [0, 1] });
    assert.equal(b.logProb([0, 1]), 0);
    assert.equal(b.logProb([1, 1]), -Infinity);
    assert.equal(b.entropy(), 0);
  });
  await t.step("rejects bad parameters and points, naming them", () => {
    assertThrowsNaming(() => new Bernoulli({ probs: [0.5, 1.2] }), RangeError, "probs[1]", "1.2");
    assertThrowsNaming(() => new Bernoulli({ probs: [-0.1] }), RangeError, "probs[0]", "-0.1");
    assertThrowsNaming(() => new Bernoulli({ logits: [NaN] }), RangeError, "logits[0]", "NaN");
    assertThrowsNaming(() => new Bernoulli({} as never), TypeError, "logits or probs");
    assertThrowsNaming(
      () => new Bernoulli({ logits: [0], probs: [0.5] } as never),
      TypeError,
      "exactly one",
    );
    assertThrowsNaming(
      () => new Bernoulli({ probs: [0.5] }).logProb([NaN]),
      RangeError,
      "x[0]",
      "NaN",
    );
  });
  await t.step("outside [0, 1], the support, logProb is −∞ (as in the tensor twin)", () => {
    const b = new Bernoulli({ probs: [0.3, 0.5] });
    assert.equal(b.logProb([2, 0]), -Infinity);
    assert.equal(b.logProb([0, -0.5]), -Infinity);
    const [out, inside] = b.logProbBatch([1, 1.5, 0, 1]);
    assert.equal(out, -Infinity);
    assertClose(inside!, Math.log(0.7) + Math.log(0.5));
  });
});
