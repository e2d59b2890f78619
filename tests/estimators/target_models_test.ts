import assert from "node:assert/strict";
import {
  createRng,
  DiagNormal,
  exponentialGaussianModel,
  linearGaussianModel,
  logisticRegressionData,
  logisticRegressionModel,
} from "../../mod.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

Deno.test("linearGaussianModel()", async (t) => {
  const valid = { weight: [[1], [0.5]], bias: [0, 0.5], noiseScale: 1 };
  await t.step("rejects every bad option, naming it", () => {
    for (const v of [0, -1, NaN, Infinity, 5e-324, 1e-200, 1e200]) {
      assertThrowsNaming(
        () => linearGaussianModel({ ...valid, noiseScale: v }),
        RangeError,
        "noiseScale",
      );
    }
    assertThrowsNaming(
      () => linearGaussianModel({ ...valid, noiseScale: "1" as never }),
      TypeError,
      "noiseScale",
    );
    assertThrowsNaming(
      () => linearGaussianModel({ ...valid, bias: [0, NaN] }),
      RangeError,
      "bias[1]",
      "NaN",
    );
    assertThrowsNaming(
      () => linearGaussianModel({ ...valid, weight: [[1], [NaN]] }),
      RangeError,
      "weight[1][0]",
    );
    assertThrowsNaming(
      () => linearGaussianModel({ ...valid, weight: [[1], [1, 2]] }),
      TypeError,
      "weight[1]",
    );
    assertThrowsNaming(
      () => linearGaussianModel({ ...valid, weight: [1, 2, 3] }),
      TypeError,
      "weight",
    );
    assertThrowsNaming(
      () => linearGaussianModel({ ...valid, latentSize: 2 }),
      TypeError,
      "latentSize",
    );
    assertThrowsNaming(
      () => linearGaussianModel({ weight: [1, 2], bias: [0, 0], noiseScale: 1, latentSize: 0.5 }),
      RangeError,
      "latentSize",
    );
    assertThrowsNaming(
      () => linearGaussianModel({ ...valid, weight: [[1e200], [1e200]] }),
      RangeError,
      "weight",
    );
    assertThrowsNaming(() => linearGaussianModel(null as never), TypeError, "options");
  });
  await t.step("its methods reject NaN and wrong-length data", () => {
    const m = linearGaussianModel(valid);
    assertThrowsNaming(
      () => m.logJoint(new Float64Array([1, NaN]), [0]),
      RangeError,
      "x[1]",
      "NaN",
    );
    assertThrowsNaming(
      () => m.logLikelihood(new Float64Array([1, 2]), [Infinity]),
      RangeError,
      "z[0]",
    );
    assertThrowsNaming(() => m.logEvidence(new Float64Array([1])), TypeError, "x", "length 2");
    assertThrowsNaming(
      () => m.expectedLogLikelihood(new Float64Array([1, 2]), {} as never),
      TypeError,
      "q",
    );
    assertThrowsNaming(() => m.posterior(new Float64Array([1.7e308, 1.7e308])), RangeError, "x");
  });
});

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

Deno.test("exponentialGaussianModel()", () => {
  const m = exponentialGaussianModel();
  assertThrowsNaming(() => m.logJoint(NaN, [0]), RangeError, "x", "NaN");
  assertThrowsNaming(() => m.logJoint("1" as never, [0]), TypeError, "x", '"1"');
  assertThrowsNaming(() => m.gradLogJoint(1, [NaN]), RangeError, "z[0]");
  assertThrowsNaming(() => m.optimalLoc(Infinity), RangeError, "x");
  assert.equal(m.logJoint(1, new DiagNormal([0], [1]).loc), -0.5 * Math.log(2 * Math.PI) - 0.5);
});
