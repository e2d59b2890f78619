import { createRng, logisticRegressionData, logisticRegressionModel } from "../../mod.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

Deno.test("logisticRegressionModel() and logisticRegressionData()", async (t) => {
  await t.step("reject every bad option, naming it", () => {
    const f = [1, 0, 0, 1];
    for (const v of [0, -1, 1.5, NaN, 2 ** 53]) {
      assertThrowsNaming(
        () => logisticRegressionModel({ features: f, dimension: v }),
        RangeError,
        "dimension",
      );
    }
    assertThrowsNaming(
      () => logisticRegressionModel({ features: f, dimension: 3 }),
      TypeError,
      "features",
      "dimension is 3",
    );
    for (const v of [0, -1, NaN, 5e-324]) {
      assertThrowsNaming(
        () => logisticRegressionModel({ features: f, dimension: 2, priorScale: v }),
        RangeError,
        "priorScale",
      );
    }
    assertThrowsNaming(
      () => logisticRegressionData(null as never, { examples: 2, dimension: 2 }),
      TypeError,
      "rng",
    );
    assertThrowsNaming(
      () => logisticRegressionData(createRng(0), null as never),
      TypeError,
      "options",
    );
    for (const v of [0, 1.5, NaN, 1e15, 2 ** 53]) {
      assertThrowsNaming(
        () => logisticRegressionData(createRng(0), { examples: v, dimension: 2 }),
        RangeError,
        "examples",
      );
    }
    // 2²⁶ examples × 4 features would not fit in one array of 2²⁷ values.
    assertThrowsNaming(
      () => logisticRegressionData(createRng(0), { examples: 2 ** 26, dimension: 4 }),
      RangeError,
      "examples",
      "2²⁷",
    );
  });
  await t.step("its methods reject bad labels and weights", () => {
    const m = logisticRegressionModel({ features: [1, 0, 0, 1], dimension: 2 });
    assertThrowsNaming(
      () => m.logJoint(new Float64Array([1, NaN]), [0, 0]),
      RangeError,
      "labels[1]",
    );
    assertThrowsNaming(
      () => m.logJoint(new Float64Array([1, 0.5]), [0, 0]),
      RangeError,
      "labels[1]",
    );
    assertThrowsNaming(() => m.logJoint(new Float64Array([1, 0]), [0, NaN]), RangeError, "w[1]");
    assertThrowsNaming(
      () => m.gradLogJoint(new Float64Array([1, 0]), [0, 0], [0] as never),
      TypeError,
      "out",
    );
  });
});
