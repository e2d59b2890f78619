import assert from "node:assert/strict";
import {
  createRng,
  DiagNormal,
  type Exponential,
  Mixture,
  MultivariateNormal,
  Normal,
} from "../../mod.ts";
import { REFERENCE } from "../_scipy_reference.ts";
import { dim, mvn, normal } from "../_arbitraries.ts";
import { assertIntegratesToOne, assertLogProbBatch } from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, assertThrowsNaming, assertWithinSE } from "../_tolerance.ts";

Deno.test("Mixture", async (t) => {
  await t.step("logProb() matches scipy", () => {
    const r = REFERENCE.mixture;
    const m = new Mixture(r.weights, r.components.map(([l, s]) => new Normal(l, s)));
    assertClose(m.logProb(r.x), r.logProb);
  });
  await t.step("with one component equals that component", () => {
    fc.assert(
      fc.property(dim().chain(mvn), fc.noShrink(fc.nat()), (p, seed) => {
        const m = new Mixture([1], [p]);
        const x = p.sample(createRng(seed));
        assertClose(m.logProb(x), p.logProb(x), { abs: 1e-14 });
        assertAllClose(m.mean(), p.mean());
        assertAllClose(m.covariance(), p.covariance(), { abs: 1e-14 });
        assertAllClose(m.variance(), p.variance(), { abs: 1e-14 });
      }),
    );
  });
  await t.step("a one-coordinate vector component: covariance is its variance", () => {
    // Its variance() is an array, once added as a string: [2]² read as "4" + "0".
    const m = new Mixture([1], [new MultivariateNormal([0], [[2]])]);
    assertAllClose(m.covariance(), [4], { abs: 1e-15 });
  });
  await t.step("a univariate mixture integrates to 1", () => {
    const mixtures = fc.tuple(normal(), normal(), fc.double({ min: 0.05, max: 0.95, noNaN: true }))
      .map(([a, b, w]) => new Mixture([w, 1 - w], [a, b]));
    assertIntegratesToOne(mixtures, { numRuns: 20, tolerance: { abs: 1e-8 } });
  });
  await t.step("moments match the sample moments", () => {
    const m = new Mixture([0.3, 0.7], [
      MultivariateNormal.fromCovariance([-2, 0], [[1, 0.5], [0.5, 1]]),
      new DiagNormal([2, 1], [0.5, 2]),
    ]);
    const n = 40000, xs = m.sampleN(createRng(12), n);
    const mu = m.mean(), cov = m.covariance();
    let s0 = 0;
    for (let i = 0; i < n; i++) s0 += xs[2 * i]!;
    assertWithinSE({ value: s0 / n, standardError: Math.sqrt(cov[0]! / n) }, mu[0]!);
    assertAllClose(m.variance(), [cov[0]!, cov[3]!], { rel: 1e-14 });
    assertLogProbBatch(m, { points: xs.subarray(0, 40) });
    const u = new Mixture([0.5, 0.5], [new Normal(-1, 1), new Normal(1, 1)]);
    assert.equal(u.variance(), 2);
    assert.equal(typeof u.sample(createRng(0)), "number");
  });
  await t.step("entropy() points to the Monte Carlo estimate, which is consistent", () => {
    const m = new Mixture([0.5, 0.5], [new Normal(-50, 1), new Normal(50, 1)]);
    assertThrowsNaming(() => m.entropy(), TypeError, "entropyMonteCarlo");
    // Well-separated components: H = H[N(0,1)] + log 2.
    assertWithinSE(
      m.entropyMonteCarlo({ samples: 20000, rng: createRng(1) }),
      new Normal(0, 1).entropy() + Math.LN2,
    );
  });
  await t.step("rejects bad weights and components, naming them", () => {
    const n = new Normal(0, 1);
    assertThrowsNaming(() => new Mixture([0.5, 0.6], [n, n]), RangeError, "weights", "1.1");
    assertThrowsNaming(() => new Mixture([-0.5, 1.5], [n, n]), RangeError, "weights[0]", "-0.5");
    assertThrowsNaming(() => new Mixture([NaN, 1], [n, n]), RangeError, "weights[0]", "NaN");
    assertThrowsNaming(
      () => new Mixture([0.5, 0.5], [n]),
      TypeError,
      "components",
      "one entry per weight",
    );
    assertThrowsNaming(
      () =>
        new Mixture<ArrayLike<number>, Float64Array>([0.5, 0.5], [
          new DiagNormal([0], [1]),
          new DiagNormal([0, 0], [1, 1]),
        ]),
      TypeError,
      "event size",
      "components[1]",
    );
    assertThrowsNaming(() => new Mixture([1], [{} as Exponential]), TypeError, "components[0]");
  });
});
