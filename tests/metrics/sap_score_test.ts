import assert from "node:assert/strict";
import { sapScore } from "../../disentanglement.ts";
import { toColumns, toLabels } from "../../lib/metrics/_check.ts";
import { fitSvm1d, predictSvm1d } from "../../lib/metrics/_linear_svm.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";
import { referenceData } from "./_data.ts";
import {
  entangledCodes,
  factorRows,
  independentCodes,
  perfectCodes,
  sameFirstSizes,
  setup,
} from "./_laws.ts";
import { SKLEARN } from "./_sklearn_reference.ts";

Deno.test("sapScore()", async (t) => {
  const { codes, factors } = referenceData();

  await t.step(
    "matches disentanglement_lib's score matrix and SAP (LinearSVC) on the reference data",
    () => {
      const c = toColumns("test", "codes", codes), f = toColumns("test", "factors", factors);
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 3; j++) {
          const train = toLabels(f.columns[j]!.subarray(0, 400));
          const model = fitSvm1d(c.columns[i]!.subarray(0, 400), train.labels, train.classes, 0.01);
          const predicted = predictSvm1d(model, c.columns[i]!.subarray(400));
          const correct = predicted.filter((p, r) =>
            train.values[p] === factors[400 + r]![j]
          ).length;
          assert.equal(correct / 200, SKLEARN.sapMatrix[i]![j], `code ${i}, factor ${j}`);
        }
      }
      assertClose(sapScore(codes, factors), SKLEARN.sap, { abs: 1e-15 });
    },
  );

  // An uninformative code still classifies at chance, 1/K for K balanced
  // values, so SAP's maximum is 1 − 1/K; a one-dimensional linear classifier
  // reaches accuracy 1 on two values. The laws use binary factors.
  await t.step("law: codes equal to binary factors score ≈ 1 − 1/2", () => {
    fc.assert(
      fc.property(setup(2), (s) => {
        const factors = factorRows(s, 900);
        const score = sapScore(perfectCodes(s, factors), factors);
        assert.ok(Math.abs(score - 0.5) < 0.09, `SAP ${score}`);
      }),
      { numRuns: 15 },
    );
  });

  await t.step("law: codes independent of the factors score ≈ 0", () => {
    fc.assert(
      fc.property(setup(6), (s) => {
        const factors = factorRows(s, 1500);
        const score = sapScore(independentCodes(s, 1500), factors);
        assert.ok(score < 0.07, `SAP ${score}`);
      }),
      { numRuns: 10 },
    );
  });

  await t.step("law: one code carrying two factors scores lower than one code per factor", () => {
    fc.assert(
      fc.property(setup(2).map(sameFirstSizes), (s) => {
        const factors = factorRows(s, 900);
        const one = sapScore(perfectCodes(s, factors), factors);
        const two = sapScore(entangledCodes(s, factors), factors);
        assert.ok(two < one - 0.1, `entangled ${two}, one code per factor ${one}`);
      }),
      { numRuns: 15 },
    );
  });

  await t.step("rejects bad input, naming it", () => {
    const z = [[0, 1], [1, 0], [0.5, 0.2], [0.1, 0.9]], f = [[0], [1], [0], [1]];
    assertThrowsNaming(
      () => sapScore(z, f, { trainFraction: 0 }),
      RangeError,
      "trainFraction",
      "(0, 1]",
    );
    assertThrowsNaming(() => sapScore(z, f, { trainFraction: 1 }), RangeError, "0 to test");
    assertThrowsNaming(() => sapScore(z, f, { svmC: -1 }), RangeError, "svmC", "-1");
    assertThrowsNaming(() => sapScore(z, f, { c: 1 } as never), TypeError, "options.c", "svmC");
    assertThrowsNaming(
      () => sapScore(z, [[0], [0], [0], [1]]),
      RangeError,
      "factor 0",
      "single value",
    );
    assertThrowsNaming(() => sapScore(z.map((r) => [r[0]!]), f), RangeError, "at least 2");
    assertThrowsNaming(() => sapScore(z, f.slice(1)), TypeError, "same number of rows");
    const many = Array.from({ length: 600 }, (_, i) => [i]);
    assertThrowsNaming(
      () => sapScore(many.map((r) => [r[0]!, 0]), many),
      RangeError,
      "factor 0",
      "400 distinct values",
      "256",
    );
  });
});
