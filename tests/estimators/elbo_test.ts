import assert from "node:assert/strict";
import {
  createRng,
  DiagNormal,
  elbo,
  estimateLogEvidence,
  exponentialGaussianModel,
  importanceWeightedBound,
  klDivergence,
  linearGaussianModel,
  logisticRegressionData,
  logisticRegressionModel,
} from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming, assertWithinSE } from "../_tolerance.ts";
import { linearCase } from "./_models.ts";

Deno.test("elbo()", async (t) => {
  await t.step("log p(x) = ELBO(q) + KL(q ‖ p(z|x)) to 1e-9 with the exact ELBO", () => {
    fc.assert(
      fc.property(linearCase(), ({ model, x, q }) => {
        const gap = model.logEvidence(x) - elbo(model, q, x, { method: "exact" }).value;
        assertClose(gap, klDivergence(q, model.posterior(x)), { abs: 1e-9, rel: 1e-9 });
      }),
    );
  });
  await t.step(
    "Monte Carlo and analytic-KL ELBOs are within 4 standard errors of the exact one",
    () => {
      fc.assert(
        fc.property(linearCase(), fc.noShrink(fc.nat()), ({ model, x, q }, seed) => {
          const exact = model.logEvidence(x) - klDivergence(q, model.posterior(x));
          const mc = elbo(model, q, x, {
            method: "monteCarlo",
            samples: 2000,
            rng: createRng(seed),
          });
          const ak = elbo(model, q, x, {
            method: "analyticKL",
            samples: 2000,
            rng: createRng(seed + 1),
          });
          assertWithinSE(mc, exact, 4, "monteCarlo");
          assertWithinSE(ak, exact, 4, "analyticKL");
          assert.ok(
            Math.abs(mc.value - ak.value) <= 4 * Math.hypot(mc.standardError, ak.standardError),
          );
        }),
        { numRuns: 60 },
      );
    },
  );
  await t.step("at the exact posterior the Monte Carlo ELBO is log p(x) with no noise", () => {
    const model = linearGaussianModel({
      weight: [[1, 0.3], [0.2, -1]],
      bias: [0.5, 0],
      noiseScale: 0.8,
    });
    const x = new Float64Array([1, 2]);
    const r = elbo(model, model.posterior(x), x, {
      method: "monteCarlo",
      samples: 50,
      rng: createRng(0),
    });
    assertClose(r.value, model.logEvidence(x), { abs: 1e-10 });
    assert.ok(r.standardError < 1e-10);
  });
  await t.step("works on a non-conjugate model", () => {
    const data = logisticRegressionData(createRng(5), { examples: 40, dimension: 3 });
    const model = logisticRegressionModel({ features: data.features, dimension: 3 });
    const q = new DiagNormal(data.weights, [0.3, 0.3, 0.3]);
    const mc = elbo(model, q, data.labels, {
      method: "monteCarlo",
      samples: 4000,
      rng: createRng(1),
    });
    const ak = elbo(model, q, data.labels, {
      method: "analyticKL",
      samples: 4000,
      rng: createRng(2),
    });
    assert.ok(Math.abs(mc.value - ak.value) <= 4 * Math.hypot(mc.standardError, ak.standardError));
    assertThrowsNaming(() => elbo(model, q, data.labels, { method: "exact" }), TypeError, "exact");
  });
  await t.step("rejects bad input, naming it", () => {
    const model = exponentialGaussianModel();
    const q = new DiagNormal([0], [1]);
    assertThrowsNaming(
      () => elbo(model, q, 1, { method: "nope" as never }),
      TypeError,
      "method",
      '"nope"',
    );
    assertThrowsNaming(
      () => elbo(model, q, 1, { method: "monteCarlo", samples: 0, rng: createRng(0) }),
      RangeError,
      "samples",
      "0",
    );
    assertThrowsNaming(
      () =>
        elbo(model, new DiagNormal([0, 0], [1, 1]), 1, {
          method: "monteCarlo",
          samples: 9,
          rng: createRng(0),
        }),
      TypeError,
      "size 1",
    );
    assertThrowsNaming(
      () => elbo(model, q, 1, { method: "analyticKL", samples: 9, rng: createRng(0) }),
      TypeError,
      "prior",
    );
    assertThrowsNaming(
      () => elbo(model, q, 1, { method: "monteCarlo", samples: 9 }),
      TypeError,
      "rng",
    );
  });
});

Deno.test("elbo(), importanceWeightedBound() and estimateLogEvidence() refuse bad input", async (t) => {
  const model = linearGaussianModel({ weight: [[1], [0.5]], bias: [0, 0], noiseScale: 1 });
  const q = new DiagNormal([0], [1]), x = new Float64Array([1, 2]);
  await t.step("huge counts fail at once with a RangeError naming them", () => {
    for (const n of [1e15, 2 ** 53, 2 ** 27 + 1]) {
      assertThrowsNaming(
        () => elbo(model, q, x, { method: "monteCarlo", samples: n, rng: createRng(0) }),
        RangeError,
        "samples",
        String(n),
      );
      assertThrowsNaming(
        () => importanceWeightedBound(model, q, x, { k: n, samples: 2, rng: createRng(0) }),
        RangeError,
        "k",
        String(n),
      );
      assertThrowsNaming(
        () => estimateLogEvidence(model, q, x, { samples: n, rng: createRng(0) }),
        RangeError,
        "samples",
      );
    }
    for (const n of [NaN, 1.5, -1, Infinity]) {
      assertThrowsNaming(
        () => importanceWeightedBound(model, q, x, { k: n, samples: 2, rng: createRng(0) }),
        RangeError,
        "k",
        String(n),
      );
    }
    assertThrowsNaming(
      () =>
        importanceWeightedBound(model, q, x, { k: "3" as never, samples: 2, rng: createRng(0) }),
      TypeError,
      "k",
    );
    assertThrowsNaming(() => estimateLogEvidence(model, q, x, null as never), TypeError, "options");
  });
  await t.step("NaN or infinite data is refused, not averaged into NaN", () => {
    for (const bad of [new Float64Array([1, NaN]), new Float64Array([Infinity, 0])]) {
      assertThrowsNaming(
        () => elbo(model, q, bad, { method: "monteCarlo", samples: 4, rng: createRng(0) }),
        RangeError,
        "x[",
      );
      assertThrowsNaming(() => elbo(model, q, bad, { method: "exact" }), RangeError, "x[");
      assertThrowsNaming(
        () => importanceWeightedBound(model, q, bad, { k: 2, samples: 2, rng: createRng(0) }),
        RangeError,
        "x[",
      );
    }
    const expo = exponentialGaussianModel();
    assertThrowsNaming(
      () => elbo(expo, q, NaN, { method: "monteCarlo", samples: 4, rng: createRng(0) }),
      RangeError,
      "x",
      "NaN",
    );
  });
  await t.step("a model that returns NaN is named, not averaged", () => {
    const broken = { latentSize: 1, logJoint: () => NaN };
    assertThrowsNaming(
      () => elbo(broken, q, 0, { method: "monteCarlo", samples: 4, rng: createRng(0) }),
      RangeError,
      "model.logJoint",
      "NaN",
    );
    assertThrowsNaming(
      () => importanceWeightedBound(broken, q, 0, { k: 2, samples: 2, rng: createRng(0) }),
      RangeError,
      "model.logJoint",
    );
  });
});

Deno.test("importanceWeightedBound()", async (t) => {
  await t.step("ELBO ≤ L_k ≤ L_k' ≤ log p(x), judged with standard errors", () => {
    fc.assert(
      fc.property(linearCase(), fc.noShrink(fc.nat()), ({ model, x, q }, seed) => {
        const rng = createRng(seed);
        const logPx = model.logEvidence(x);
        const e = elbo(model, q, x, { method: "exact" }).value;
        const l5 = importanceWeightedBound(model, q, x, { k: 5, samples: 400, rng });
        const l50 = importanceWeightedBound(model, q, x, { k: 50, samples: 400, rng });
        assert.ok(e <= l5.value + 4 * l5.standardError, `ELBO ${e} > L_5 ${l5.value}`);
        assert.ok(
          l5.value <= l50.value + 4 * Math.hypot(l5.standardError, l50.standardError),
          "L_5 > L_50",
        );
        assert.ok(l50.value <= logPx + 4 * l50.standardError, "L_50 > log p(x)");
      }),
      { numRuns: 40 },
    );
  });
  await t.step("L_1 is the Monte Carlo ELBO, and estimateLogEvidence approaches log p(x)", () => {
    const model = linearGaussianModel({
      weight: [[1.2, -0.4], [0.3, 0.9]],
      bias: [0, 0.2],
      noiseScale: 0.6,
    });
    const x = new Float64Array([0.8, -1.1]), q = new DiagNormal([0, 0], [1, 1]);
    const l1 = importanceWeightedBound(model, q, x, { k: 1, samples: 4000, rng: createRng(2) });
    assertWithinSE(l1, elbo(model, q, x, { method: "exact" }).value);
    const post = model.posterior(x);
    const proposal = new DiagNormal(post.loc, post.variance().map((v) => 1.5 * Math.sqrt(v)));
    const est = estimateLogEvidence(model, proposal, x, {
      k: 2000,
      samples: 10,
      rng: createRng(3),
    });
    assert.ok(
      Math.abs(est.value - model.logEvidence(x)) < 0.02,
      `${est.value} vs ${model.logEvidence(x)}`,
    );
    assertThrowsNaming(
      () => importanceWeightedBound(model, q, x, { k: 0, samples: 5, rng: createRng(0) }),
      RangeError,
      "k",
      "0",
    );
  });
});
