import assert from "node:assert/strict";
import {
  createRng,
  DiagNormal,
  exponentialGaussianModel,
  fitVariational,
  linearGaussianModel,
  MultivariateNormal,
} from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

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

Deno.test("fitVariational() converges to the exact optimum", async (t) => {
  // Sticking the landing is noise-free for this model (q's family contains the
  // exact posterior N(x − 1, 1)), so it reaches 1e-3; the reparameterization
  // gradient carries noise of standard deviation 1/√64 per step, which
  // averaging over 750 steps reduces to about 0.005.
  await t.step(
    "p(z) ∝ e^{−z}, p(x|z) = N(x; z, 1), q = N(μ, 1): the fitted μ is within 1e-3 of μ* = x − 1 (0.02 with reparameterization)",
    () => {
      fc.assert(
        fc.property(
          fc.double({ min: -5, max: 5, noNaN: true }),
          fc.noShrink(fc.nat()),
          (x, seed) => {
            for (const estimator of ["stickingTheLanding", "reparameterization"] as const) {
              const { q } = fitVariational(exponentialGaussianModel(), x, {
                init: new DiagNormal([0], [1]),
                learnScale: false,
                estimator,
                steps: 1500,
                samples: 64,
                learningRate: 0.1,
                rng: createRng(seed),
              });
              const tol = estimator === "stickingTheLanding" ? 1e-3 : 0.02;
              assert.ok(
                Math.abs(q.loc[0]! - (x - 1)) < tol,
                `${estimator}: μ = ${q.loc[0]} for x = ${x}`,
              );
            }
          },
        ),
        { numRuns: 10 },
      );
    },
  );
  await t.step("recovers the exact posterior of the linear-Gaussian model", () => {
    const model = linearGaussianModel({
      weight: [[1, 0.5], [0.2, 1], [0.3, -0.4]],
      bias: [0, 0, 1],
      noiseScale: 0.7,
    });
    const x = new Float64Array([0.3, -1, 2]);
    const { q } = fitVariational(model, x, {
      init: new MultivariateNormal([0, 0], [[1, 0], [0, 1]]),
      estimator: "stickingTheLanding",
      steps: 2000,
      rng: createRng(4),
    });
    const post = model.posterior(x);
    for (let i = 0; i < 2; i++) assertClose(q.loc[i]!, post.loc[i]!, { abs: 2e-3 });
  });
});
