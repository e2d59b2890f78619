import assert from "node:assert/strict";
import {
  createRng,
  DiagNormal,
  elboGradient,
  type ElboGradientEstimator,
  importanceWeightedGradient,
  linearGaussianModel,
  MultivariateNormal,
} from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";
import { linearCase } from "./_models.ts";

const ESTIMATORS: ElboGradientEstimator[] = [
  "scoreFunction",
  "scoreFunctionBaseline",
  "reparameterization",
  "stickingTheLanding",
];

function assertUnbiased(
  g: {
    loc: Float64Array;
    scale: Float64Array;
    locStandardError: Float64Array;
    scaleStandardError: Float64Array;
  },
  exact: { loc: Float64Array; scale: Float64Array },
  what: string,
): void {
  const check = (est: Float64Array, se: Float64Array, ex: Float64Array, part: string) => {
    for (let i = 0; i < ex.length; i++) {
      const err = Math.abs(est[i]! - ex[i]!);
      // 4.5 standard errors per coordinate: with up to 12 coordinates per case
      // a 4σ rule alone would fail by chance about once in 1,300 cases.
      assert.ok(
        err <= 4.5 * se[i]! + 1e-9,
        `${what} ${part}[${i}]: ${est[i]} ± ${se[i]} vs exact ${ex[i]}`,
      );
    }
  };
  check(g.loc, g.locStandardError, exact.loc, "loc");
  check(g.scale, g.scaleStandardError, exact.scale, "scale");
}

Deno.test("elboGradient()", async (t) => {
  await t.step("every estimator is within 4.5 standard errors of the exact gradient", () => {
    fc.assert(
      fc.property(linearCase(), fc.noShrink(fc.nat()), ({ model, x, q }, seed) => {
        const exact = model.exactElboGradient(x, q);
        for (const estimator of ESTIMATORS) {
          const g = elboGradient(model, q, x, { estimator, samples: 3000, rng: createRng(seed) });
          assertUnbiased(g, exact, estimator);
        }
      }),
      { numRuns: 25 },
    );
  });
  await t.step("the exact gradient matches finite differences of the exact ELBO", () => {
    const model = linearGaussianModel({
      weight: [[1, 0.5], [0.2, 1], [0.3, -0.4]],
      bias: [0, 0, 1],
      noiseScale: 0.7,
    });
    const x = new Float64Array([0.3, -1, 2]);
    const L = [[0.8, 0], [0.3, 1.2]];
    const f = (mu: number[], l: number[][]) =>
      model.expectedLogLikelihood(x, new MultivariateNormal(mu, l)) -
      new MultivariateNormal(mu, l).entropy() * -1 - 0.5 * (mu[0]! ** 2 + mu[1]! ** 2) -
      0.5 * (l[0]![0]! ** 2 + l[1]![0]! ** 2 + l[1]![1]! ** 2) - Math.log(2 * Math.PI);
    const g = model.exactElboGradient(x, new MultivariateNormal([0.2, -0.1], L));
    const h = 1e-6;
    assertClose(g.loc[0]!, (f([0.2 + h, -0.1], L) - f([0.2 - h, -0.1], L)) / (2 * h), {
      rel: 1e-6,
      abs: 1e-7,
    });
    assertClose(
      g.scale[2]!,
      (f([0.2, -0.1], [[0.8, 0], [0.3 + h, 1.2]]) - f([0.2, -0.1], [[0.8, 0], [0.3 - h, 1.2]])) /
        (2 * h),
      { rel: 1e-6, abs: 1e-7 },
    );
    // diagonal entries are in log space: ∂/∂ log L₁₁ = L₁₁ ∂/∂L₁₁
    const d11 =
      (f([0.2, -0.1], [[0.8, 0], [0.3, 1.2 + h]]) - f([0.2, -0.1], [[0.8, 0], [0.3, 1.2 - h]])) /
      (2 * h);
    assertClose(g.scale[3]!, 1.2 * d11, { rel: 1e-6, abs: 1e-7 });
  });
  await t.step("sticking the landing has zero variance at the exact posterior", () => {
    fc.assert(
      fc.property(linearCase(), fc.noShrink(fc.nat()), ({ model, x }, seed) => {
        const g = elboGradient(model, model.posterior(x), x, {
          estimator: "stickingTheLanding",
          samples: 20,
          rng: createRng(seed),
        });
        for (const s of [...g.locStandardError, ...g.scaleStandardError]) {
          assert.ok(s < 1e-9, `standard error ${s}`);
        }
        const r = elboGradient(model, model.posterior(x), x, {
          estimator: "reparameterization",
          samples: 20,
          rng: createRng(seed),
        });
        assert.ok(
          Math.max(...r.locStandardError) > 1e-3,
          "reparameterization is still noisy there",
        );
      }),
      { numRuns: 30 },
    );
  });
  await t.step("rejects unknown estimators and missing gradients", () => {
    const model = linearGaussianModel({ weight: [[1]], bias: [0], noiseScale: 1 });
    const q = new DiagNormal([0], [1]), x = new Float64Array([1]);
    assertThrowsNaming(
      () =>
        elboGradient(model, q, x, { estimator: "magic" as never, samples: 5, rng: createRng(0) }),
      TypeError,
      "estimator",
      '"magic"',
    );
    const noGrad = { latentSize: 1, logJoint: model.logJoint };
    assertThrowsNaming(
      () =>
        elboGradient(noGrad, q, x, {
          estimator: "reparameterization",
          samples: 5,
          rng: createRng(0),
        }),
      TypeError,
      "gradLogJoint",
    );
    assertThrowsNaming(
      () =>
        elboGradient(model, q, x, {
          estimator: "scoreFunctionBaseline",
          samples: 1,
          rng: createRng(0),
        }),
      RangeError,
      "samples",
    );
  });
});

Deno.test("elboGradient() and importanceWeightedGradient() refuse bad input", () => {
  const model = linearGaussianModel({ weight: [[1]], bias: [0], noiseScale: 1 });
  const q = new DiagNormal([0], [1]), x = new Float64Array([1]);
  for (const n of [1e15, 2 ** 53, NaN]) {
    assertThrowsNaming(
      () =>
        elboGradient(model, q, x, { estimator: "scoreFunction", samples: n, rng: createRng(0) }),
      RangeError,
      "samples",
    );
    assertThrowsNaming(
      () =>
        importanceWeightedGradient(model, q, x, {
          k: n,
          estimator: "iwae",
          samples: 2,
          rng: createRng(0),
        }),
      RangeError,
      "k",
    );
  }
  assertThrowsNaming(
    () =>
      importanceWeightedGradient(model, q, x, {
        k: 2,
        estimator: "vimco" as never,
        samples: 2,
        rng: createRng(0),
      }),
    TypeError,
    "estimator",
    '"vimco"',
  );
  assertThrowsNaming(
    () =>
      elboGradient(model, q, new Float64Array([NaN]), {
        estimator: "reparameterization",
        samples: 2,
        rng: createRng(0),
      }),
    RangeError,
    "x[0]",
  );
  const badGrad = { latentSize: 1, logJoint: () => 0, gradLogJoint: () => new Float64Array([NaN]) };
  assertThrowsNaming(
    () =>
      elboGradient(badGrad, q, 0, {
        estimator: "reparameterization",
        samples: 2,
        rng: createRng(0),
      }),
    RangeError,
    "model.gradLogJoint",
  );
  // A gradLogJoint that returns a fresh array instead of filling `out` is used, not ignored.
  const fresh = {
    latentSize: 1,
    logJoint: (_x: number, z: ArrayLike<number>) => -0.5 * z[0]! ** 2,
    gradLogJoint: (_x: number, z: ArrayLike<number>) => new Float64Array([-z[0]!]),
  };
  const g = elboGradient(fresh, new DiagNormal([1], [1]), 0, {
    estimator: "reparameterization",
    samples: 200,
    rng: createRng(0),
  });
  assert.ok(Math.abs(g.loc[0]! + 1) < 4 * g.locStandardError[0]!, `${g.loc[0]}`);
});

Deno.test("importanceWeightedGradient()", async (t) => {
  await t.step("DReG and the standard IWAE gradient agree (both unbiased for ∇L_k)", () => {
    fc.assert(
      fc.property(linearCase(), fc.noShrink(fc.nat()), ({ model, x, q }, seed) => {
        const a = importanceWeightedGradient(model, q, x, {
          k: 5,
          estimator: "iwae",
          samples: 1500,
          rng: createRng(seed),
        });
        const b = importanceWeightedGradient(model, q, x, {
          k: 5,
          estimator: "dreg",
          samples: 1500,
          rng: createRng(seed + 7),
        });
        for (let i = 0; i < a.loc.length; i++) {
          assert.ok(
            Math.abs(a.loc[i]! - b.loc[i]!) <=
              4.5 * Math.hypot(a.locStandardError[i]!, b.locStandardError[i]!) + 1e-9,
          );
        }
        for (let i = 0; i < a.scale.length; i++) {
          assert.ok(
            Math.abs(a.scale[i]! - b.scale[i]!) <=
              4.5 * Math.hypot(a.scaleStandardError[i]!, b.scaleStandardError[i]!) + 1e-9,
          );
        }
      }),
      { numRuns: 20 },
    );
  });
  await t.step("with k = 1 the IWAE gradient is the reparameterization gradient", () => {
    const model = linearGaussianModel({ weight: [[1, 0.2]], bias: [0], noiseScale: 0.5 });
    const q = new DiagNormal([0.1, -0.3], [0.9, 1.1]), x = new Float64Array([1]);
    const a = importanceWeightedGradient(model, q, x, {
      k: 1,
      estimator: "iwae",
      samples: 50,
      rng: createRng(3),
    });
    const b = elboGradient(model, q, x, {
      estimator: "reparameterization",
      samples: 50,
      rng: createRng(3),
    });
    for (let i = 0; i < 2; i++) assertClose(a.loc[i]!, b.loc[i]!, { abs: 1e-12 });
  });
});
