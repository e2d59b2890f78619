import assert from "node:assert/strict";
import { createRng, DiagNormal, MultivariateNormal } from "../../mod.ts";
import { REFERENCE } from "../_scipy_reference.ts";
import { diagNormal, dim, mvn } from "../_arbitraries.ts";
import { assertEntropy, assertLogProbBatch } from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, assertThrowsNaming, assertWithinSE } from "../_tolerance.ts";

Deno.test("MultivariateNormal", async (t) => {
  await t.step("logProb() and entropy() match scipy", () => {
    const r = REFERENCE.mvn;
    const p = MultivariateNormal.fromCovariance(r.loc, r.covariance);
    assertClose(p.logProb(r.x), r.logProb);
    assertClose(p.entropy(), r.entropy);
    assertAllClose(p.covariance(), r.covariance.flat(), { rel: 1e-14, abs: 1e-15 });
  });
  await t.step("with diagonal covariance equals DiagNormal", () => {
    fc.assert(
      fc.property(dim().chain(diagNormal), fc.noShrink(fc.nat()), (q, seed) => {
        const d = q.eventSize, cov = new Float64Array(d * d);
        for (let j = 0; j < d; j++) cov[j * d + j] = q.scale[j]! ** 2;
        const p = MultivariateNormal.fromCovariance(q.loc, cov);
        const x = q.sample(createRng(seed));
        assertClose(p.logProb(x), q.logProb(x), { abs: 1e-13 });
        assertClose(p.entropy(), q.entropy(), { abs: 1e-13 });
      }),
    );
  });
  await t.step("entropy() equals −E[log p] within its standard error", () => {
    assertEntropy(dim().chain(mvn), { numRuns: 30 });
  });
  await t.step("samples have covariance L Lᵀ; batch matches pointwise", () => {
    const p = MultivariateNormal.fromCovariance([1, -1], [[2, 0.8], [0.8, 1]]);
    const n = 40000, xs = p.sampleN(createRng(9), n);
    let c01 = 0;
    for (let i = 0; i < n; i++) c01 += (xs[2 * i]! - 1) * (xs[2 * i + 1]! + 1);
    // Var[(X₀−μ₀)(X₁−μ₁)] = Σ₀₀Σ₁₁ + Σ₀₁²
    assertWithinSE({ value: c01 / n, standardError: Math.sqrt((2 + 0.64) / n) }, 0.8);
    assertLogProbBatch(p, { points: xs.subarray(0, 40) });
    assertAllClose(p.reparameterize([1, 1]), [
      1 + Math.SQRT2,
      -1 + 0.8 / Math.SQRT2 + Math.sqrt(1 - 0.32),
    ]);
    assertAllClose(p.variance(), [2, 1]);
  });
  await t.step("stays finite and correct on a near-singular covariance", () => {
    const eps = 1e-10;
    const p = MultivariateNormal.fromCovariance([0, 0], [[1, 1 - eps], [1 - eps, 1]]);
    const det = 2 * eps - eps * eps;
    assertClose(p.entropy(), 1 + Math.log(2 * Math.PI) + 0.5 * Math.log(det), { rel: 1e-6 });
    // Along the long axis the density is huge but finite.
    assertClose(p.logProb([1, 1]), -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 1 / (2 - eps), {
      rel: 1e-6,
    });
    const far = new MultivariateNormal([0, 0], [[1e-150, 0], [0, 1e150]]);
    assert.ok(Number.isFinite(far.logProb([1e-150, 1e150])));
  });
  await t.step("rejects bad parameters, naming them", () => {
    assertThrowsNaming(
      () => MultivariateNormal.fromCovariance([0, 0], [[1, 2], [2, 1]]),
      RangeError,
      "covariance",
      "not positive definite",
      "pivot 1",
    );
    assertThrowsNaming(
      () => MultivariateNormal.fromCovariance([0, 0], [[1, 0.5], [0, 1]]),
      RangeError,
      "not symmetric",
    );
    assertThrowsNaming(
      () => MultivariateNormal.fromCovariance([0, 0], [[1, 0, 0]]),
      TypeError,
      "covariance",
      "2 rows",
    );
    assertThrowsNaming(
      () => new MultivariateNormal([0, 0], [[1, 1], [0, 1]]),
      RangeError,
      "lower triangular",
      "scaleTril[0][1]",
    );
    assertThrowsNaming(
      () => new MultivariateNormal([0, 0], [[1, 0], [0, -1]]),
      RangeError,
      "scaleTril[1][1]",
      "-1",
    );
    assertThrowsNaming(
      () => new MultivariateNormal([0, Infinity], [[1, 0], [0, 1]]),
      RangeError,
      "loc[1]",
      "Infinity",
    );
    assertThrowsNaming(
      () => new MultivariateNormal([0, 0], [1, 0, 0, 1, 0]),
      TypeError,
      "scaleTril",
      "length is 5",
    );
    assertThrowsNaming(() => new DiagNormal([0], [1]).logProb([]), TypeError, "x");
  });
});
