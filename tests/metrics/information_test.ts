import assert from "node:assert/strict";
import { toColumns, toLabels } from "../../lib/metrics/_check.ts";
import { entropy, histogramBins, mutualInformation } from "../../lib/metrics/_information.ts";
import { fc } from "../_fc.ts";
import { assertClose } from "../_tolerance.ts";
import { referenceData } from "./_data.ts";
import { SKLEARN } from "./_sklearn_reference.ts";

const { codes, factors } = referenceData();
const c = toColumns("test", "codes", codes), f = toColumns("test", "factors", factors);

Deno.test("histogramBins() matches numpy's histogram edges and digitize", async (t) => {
  await t.step("on the reference codes, bin for bin", () => {
    for (let i = 0; i < 4; i++) {
      const bins = histogramBins(c.columns[i]!, 20);
      assert.equal(Array.from(bins, (b) => String.fromCharCode(65 + b)).join(""), SKLEARN.bins[i]);
    }
  });
  await t.step("puts the minimum in the first bin and the maximum in the last", () => {
    const x = Float64Array.of(-3, 7, 0.1, 2, -3, 7);
    const b = histogramBins(x, 5);
    assert.deepEqual(Array.from(b), [0, 4, 1, 2, 0, 4]);
  });
  await t.step("puts a constant column in one bin (numpy widens the range by ±0.5)", () => {
    assert.ok(histogramBins(new Float64Array(9).fill(4.2), 20).every((b) => b === 10));
  });
  await t.step("equally spaced values each get a bin when bins ≥ values", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        (m, a) => {
          const x = Float64Array.from({ length: m }, (_, i) => a * i - 3);
          assert.equal(new Set(histogramBins(x, m)).size, m);
        },
      ),
    );
  });
});

Deno.test("mutualInformation() and entropy() match scikit-learn's mutual_info_score", async (t) => {
  await t.step("on the reference data", () => {
    for (let i = 0; i < 4; i++) {
      const z = histogramBins(c.columns[i]!, 20);
      for (let j = 0; j < 3; j++) {
        const v = toLabels(f.columns[j]!);
        assertClose(
          mutualInformation(z, 20, v.labels, v.classes),
          SKLEARN.mutualInformation[i]![j]!,
          {
            abs: 1e-14,
          },
        );
      }
    }
    for (let j = 0; j < 3; j++) {
      const v = toLabels(f.columns[j]!);
      assertClose(entropy(v.labels, v.classes), SKLEARN.entropy[j]!, { abs: 1e-14 });
    }
  });
  await t.step("entropy of m equally likely values is log m; I(a; a) = H(a)", () => {
    const a = Int32Array.from({ length: 60 }, (_, i) => i % 5);
    assertClose(entropy(a, 5), Math.log(5));
    assertClose(mutualInformation(a, 5, a, 5), Math.log(5));
  });
  await t.step("0 ≤ I(a; b) = I(b; a) ≤ min(H(a), H(b)), for any labels", () => {
    const labels = (m: number) =>
      fc.array(fc.integer({ min: 0, max: m - 1 }), { minLength: 30, maxLength: 30 });
    fc.assert(
      fc.property(labels(4), labels(6), (x, y) => {
        const a = Int32Array.from(x), b = Int32Array.from(y);
        const ab = mutualInformation(a, 4, b, 6), ba = mutualInformation(b, 6, a, 4);
        assertClose(ab, ba, { abs: 1e-14 });
        assert.ok(ab >= 0 && ab <= Math.min(entropy(a, 4), entropy(b, 6)) + 1e-14);
      }),
    );
  });
  await t.step("is 0 for labels laid out as a full product grid", () => {
    const a = Int32Array.from({ length: 24 }, (_, i) => i % 4);
    const b = Int32Array.from({ length: 24 }, (_, i) => Math.floor(i / 4) % 6);
    assertClose(mutualInformation(a, 4, b, 6), 0, { abs: 1e-15 });
  });
});

Deno.test("toLabels() reads a column as classes in increasing order, −0 as 0", () => {
  const l = toLabels(Float64Array.of(2.5, -0, 0, -1, 2.5));
  assert.equal(l.classes, 3);
  assert.deepEqual(Array.from(l.values), [-1, 0, 2.5]);
  assert.deepEqual(Array.from(l.labels), [2, 1, 1, 0, 2]);
});
