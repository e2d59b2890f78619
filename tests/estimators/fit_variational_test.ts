import assert from "node:assert/strict";
import {
  createRng,
  DiagNormal,
  exponentialGaussianModel,
  fitVariational,
  linearGaussianModel,
} from "../../mod.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

Deno.test("fitVariational()", async (t) => {
  const model = exponentialGaussianModel();
  const base = () => ({ init: new DiagNormal([0], [1]), steps: 5, rng: createRng(1) });
  await t.step("rejects every bad option, naming it and its value", () => {
    for (const v of [0, -1, 1.5, NaN, Infinity, 2 ** 53, 1e15]) {
      assertThrowsNaming(
        () => fitVariational(model, 1, { ...base(), steps: v }),
        RangeError,
        "steps",
        String(v),
      );
      assertThrowsNaming(
        () => fitVariational(model, 1, { ...base(), samples: v }),
        RangeError,
        "samples",
        String(v),
      );
    }
    for (const v of [0, -1, NaN, Infinity]) {
      assertThrowsNaming(
        () => fitVariational(model, 1, { ...base(), learningRate: v }),
        RangeError,
        "learningRate",
        String(v),
      );
    }
    assertThrowsNaming(
      () => fitVariational(model, 1, { ...base(), estimator: "nope" as never }),
      TypeError,
      "estimator",
      '"nope"',
    );
    assertThrowsNaming(
      () => fitVariational(model, 1, { ...base(), learnScale: 1 as never }),
      TypeError,
      "learnScale",
    );
    assertThrowsNaming(
      () => fitVariational(model, 1, { ...base(), average: "no" as never }),
      TypeError,
      "average",
    );
    assertThrowsNaming(
      () => fitVariational(model, 1, { ...base(), init: null as never }),
      TypeError,
      "init",
    );
    assertThrowsNaming(
      () => fitVariational(model, 1, { ...base(), rng: {} as never }),
      TypeError,
      "rng",
    );
    assertThrowsNaming(() => fitVariational(model, NaN, base()), RangeError, "x", "NaN");
    assertThrowsNaming(() => fitVariational(model, 1, null as never), TypeError, "options");
  });
  await t.step("a diverging fit is a RangeError naming the step and the learning rate", () => {
    const lin = linearGaussianModel({ weight: [[30]], bias: [0], noiseScale: 0.01 });
    assertThrowsNaming(
      () =>
        fitVariational(lin, new Float64Array([1]), {
          init: new DiagNormal([0], [1]),
          steps: 200,
          learningRate: 1e300,
          rng: createRng(1),
        }),
      RangeError,
      "diverged at step",
      "learningRate",
    );
  });
  await t.step("still fits when the options are right", () => {
    const { q } = fitVariational(model, 2.5, { ...base(), steps: 400, learnScale: false });
    assert.ok(Math.abs(q.loc[0]! - 1.5) < 0.05);
  });
});
