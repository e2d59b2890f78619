// The classifiers behind SAP, DCI and the BetaVAE score, against the
// scikit-learn estimators disentanglement_lib calls.
import assert from "node:assert/strict";
import { toColumns, toLabels } from "../../lib/metrics/_check.ts";
import { fitGradientBoosting } from "../../lib/metrics/_gradient_boosting.ts";
import { fitSvm1d, predictSvm1d } from "../../lib/metrics/_linear_svm.ts";
import { fitLogisticRegression } from "../../lib/metrics/_logistic_regression.ts";
import { createRng } from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose } from "../_tolerance.ts";
import { referenceData } from "./_data.ts";
import { SKLEARN } from "./_sklearn_reference.ts";

const { codes, factors } = referenceData();
const c = toColumns("test", "codes", codes), f = toColumns("test", "factors", factors);
const train = (j: number) => c.columns[j]!.subarray(0, 400);

Deno.test("fitSvm1d() finds LinearSVC's optimum (liblinear, balanced weights)", async (t) => {
  await t.step("three classes, one-vs-rest", () => {
    const y = toLabels(f.columns[0]!.subarray(0, 400));
    const model = fitSvm1d(train(0), y.labels, 3, 0.01);
    // liblinear stops at its tolerance (1e-8 here): agreement to ~1e-9.
    assertAllClose(model.w, SKLEARN.svm3.w, { abs: 2e-9 });
    assertAllClose(model.b, SKLEARN.svm3.b, { abs: 2e-9 });
  });
  await t.step("two classes, both weighted", () => {
    const y = Int32Array.from(f.columns[1]!.subarray(0, 400), (v) => (v >= 2 ? 1 : 0));
    const model = fitSvm1d(train(1), y, 2, 0.01);
    assertClose(model.w[0]!, SKLEARN.svm2.w, { abs: 2e-9 });
    assertClose(model.b[0]!, SKLEARN.svm2.b, { abs: 2e-9 });
  });
  await t.step("separates two classes split by a threshold (weak regularisation)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        fc.boolean(),
        (at, gap, flip) => {
          const rng = createRng(1);
          const y = Int32Array.from({ length: 200 }, (_, i) => i % 2);
          const side = (i: number) => ((i % 2 === 1) !== flip ? 1 : -1);
          const x = Float64Array.from(y, (_, i) => at + side(i) * gap * (0.5 + rng.uniform()));
          assert.deepEqual(predictSvm1d(fitSvm1d(x, y, 2, 100), x), y);
        },
      ),
      { numRuns: 30 },
    );
  });
});

Deno.test("fitLogisticRegression() converges to LogisticRegression()'s optimum", async (t) => {
  const X = Float64Array.from(codes.slice(0, 400).flat());
  await t.step(
    "five classes, multinomial: same predictions, weights within scikit-learn's tolerance",
    () => {
      const y = Int32Array.from(f.columns[2]!.subarray(0, 400));
      const model = fitLogisticRegression(X, y, 4, 5);
      model.weights.forEach((w, k) =>
        assertAllClose(w, SKLEARN.logistic.w[k]!, { abs: 3e-3, rel: 1e-3 })
      );
      // Intercepts are defined up to a common shift: compare them centred.
      const centre = (b: ArrayLike<number>) =>
        Array.from(b, (v) => v - Array.from(b).reduce((a, x) => a + x) / b.length);
      assertAllClose(centre(model.intercepts), centre(SKLEARN.logistic.b), { abs: 3e-3 });
      const test = Float64Array.from(codes.slice(400).flat());
      const predicted = model.predict(test, 200);
      const accuracy = predicted.filter((p, i) => p === factors[400 + i]![2]).length / 200;
      assert.equal(accuracy, SKLEARN.logistic.accuracy);
    },
  );
  await t.step("two classes: one logit, as scikit-learn", () => {
    const y = Int32Array.from(f.columns[0]!.subarray(0, 400), (v) => (v === 0 ? 1 : 0));
    const model = fitLogisticRegression(X, y, 4, 2);
    assert.equal(model.weights.length, 1);
    assertAllClose(model.weights[0]!, SKLEARN.logisticBinary.w, { abs: 1e-3, rel: 1e-4 });
    assertClose(model.intercepts[0]!, SKLEARN.logisticBinary.b, { abs: 1e-3 });
  });
});

Deno.test("fitGradientBoosting()", async (t) => {
  const options = { trees: 100, maxDepth: 3, learningRate: 0.1 };
  await t.step("gives importances close to GradientBoostingClassifier's", () => {
    for (let j = 0; j < 3; j++) {
      const y = toLabels(f.columns[j]!.subarray(0, 400));
      const model = fitGradientBoosting(
        c.columns.map((z) => z.subarray(0, 400)),
        y.labels,
        y.classes,
        options,
      );
      assertClose(model.importances.reduce((a, b) => a + b), 1);
      assertAllClose(
        model.importances,
        SKLEARN.importance.map((r) => r[j]!),
        { abs: 0.01 },
        `factor ${j}`,
      );
    }
  });
  await t.step("is invariant to increasing maps of the features", () => {
    const y = toLabels(f.columns[2]!.subarray(0, 400));
    const cols = c.columns.map((z) => z.subarray(0, 400));
    const mapped = cols.map((z, i) => z.map((v) => (i % 2 ? Math.exp(v / 3) : v ** 3 + 2)));
    const a = fitGradientBoosting(cols, y.labels, y.classes, { ...options, trees: 20 });
    const b = fitGradientBoosting(mapped, y.labels, y.classes, { ...options, trees: 20 });
    assertAllClose(a.importances, b.importances, { abs: 1e-12 });
    assert.deepEqual(a.predict(cols), b.predict(mapped));
  });
  await t.step("learns a separable training set and ignores a useless feature", () => {
    const x = Float64Array.from({ length: 300 }, (_, i) => i % 7);
    const noise = new Float64Array(300).fill(2);
    const y = Int32Array.from({ length: 300 }, (_, i) => (i % 7 < 3 ? 0 : i % 7 < 5 ? 1 : 2));
    const model = fitGradientBoosting([noise, x], y, 3, { ...options, trees: 10 });
    assert.deepEqual(model.predict([noise, x]), y);
    assert.deepEqual(Array.from(model.importances), [0, 1]);
  });
  await t.step("splits a feature of many distinct values exactly", () => {
    // 5,000 distinct values: quantile bins would straddle the class boundary.
    const rng = createRng(3);
    const x = Float64Array.from({ length: 5000 }, () => rng.normal());
    const y = Int32Array.from(x, (v) => (v > 0.3 ? 1 : 0));
    const model = fitGradientBoosting([x], y, 2, { ...options, trees: 5 });
    assert.deepEqual(model.predict([x]), y);
    const fresh = Float64Array.from({ length: 5000 }, () => rng.normal());
    assert.deepEqual(model.predict([fresh]), Int32Array.from(fresh, (v) => (v > 0.3 ? 1 : 0)));
  });
  await t.step(
    "gives a duplicated feature the importance of its twin, half the single one's",
    () => {
      const y = toLabels(f.columns[2]!.subarray(0, 400));
      const cols = c.columns.map((z) => z.subarray(0, 400));
      const single = fitGradientBoosting(cols, y.labels, y.classes, { ...options, trees: 20 });
      const twins = fitGradientBoosting([...cols, cols[2]!], y.labels, y.classes, {
        ...options,
        trees: 20,
      });
      // Every split on code 2 ties with its copy, and the two share it exactly.
      assert.ok(twins.importances[2]! > 0.4);
      assert.equal(twins.importances[4], twins.importances[2]);
      // The trees are the same: only the credit moves (up to the few small splits
      // where a third code ties with the twins and takes a third, not a half).
      const merged = [0, 1, 2, 3].map((i) => twins.importances[i]! * (i === 2 ? 2 : 1));
      assertAllClose(merged, single.importances, { abs: 2e-3 });
      assert.deepEqual(twins.predict([...cols, cols[2]!]), single.predict(cols));
    },
  );
});
