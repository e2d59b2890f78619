import assert from "node:assert/strict";
import { Bernoulli, klBernoulli, klDivergence } from "../../mod.ts";
import { KL_MPMATH } from "../reference/kl_mpmath_reference.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

/** Relative error ≤ 1e-8, or an absolute one ≤ 1e-300 where the true KL underflows. */
function assertAccurate(actual: number, expected: number, msg: string): void {
  assert.ok(actual >= 0, `${msg}: KL ${actual} < 0`);
  if (Math.abs(expected) < 1e-300) assertClose(actual, expected, { abs: 1e-300, rel: 0 }, msg);
  else assertClose(actual, expected, { rel: 1e-8 }, msg);
}

Deno.test("klBernoulli()", async (t) => {
  await t.step("matches mpmath to 1e-8 relative from probs, near 0, 1 and each other", () => {
    for (const [p, q, kl] of KL_MPMATH.bernoulliProbs) {
      const actual = klBernoulli(new Bernoulli({ probs: [p] }), new Bernoulli({ probs: [q] }));
      assertAccurate(actual, kl, `probs ${p} ‖ ${q}`);
    }
  });
  await t.step("matches mpmath to 1e-8 relative from logits, near-identical and far apart", () => {
    for (const [a, b, kl] of KL_MPMATH.bernoulliLogits) {
      const actual = klBernoulli(new Bernoulli({ logits: [a] }), new Bernoulli({ logits: [b] }));
      assertAccurate(actual, kl, `logits ${a} ‖ ${b}`);
    }
  });
  await t.step("sums the coordinates, through klDivergence too", () => {
    const rows = KL_MPMATH.bernoulliProbs.slice(0, 40);
    const p = new Bernoulli({ probs: rows.map((r) => r[0]) });
    const q = new Bernoulli({ probs: rows.map((r) => r[1]) });
    const total = rows.reduce((s, r) => s + r[2], 0);
    assertClose(klDivergence(p, q), total, { rel: 1e-12 });
  });
  await t.step("is never negative for near-identical pairs", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-300, max: 1, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 8, max: 15 }),
        fc.boolean(),
        fc.double({ min: -30, max: 30, noNaN: true }),
        (p, e, up, a) => {
          const q = Math.min(Math.max(p * (1 + (up ? 1 : -1) * 10 ** -e), 5e-324), 1 - 2 ** -53);
          const kp = klBernoulli(new Bernoulli({ probs: [p] }), new Bernoulli({ probs: [q] }));
          const b = a + (up ? 1 : -1) * 10 ** -e * Math.max(1, Math.abs(a));
          const kl = klBernoulli(new Bernoulli({ logits: [a] }), new Bernoulli({ logits: [b] }));
          assert.ok(kp >= 0 && kl >= 0, `${kp}, ${kl}`);
        },
      ),
    );
  });
  await t.step("rejects what is not a Bernoulli, naming it", () => {
    const b = new Bernoulli({ probs: [0.5] });
    assertThrowsNaming(() => klBernoulli(b, { probs: [0.5] } as never), TypeError, "q");
    assertThrowsNaming(
      () => klBernoulli(b, new Bernoulli({ probs: [0.5, 0.5] })),
      TypeError,
      "differ in size",
    );
  });
});
