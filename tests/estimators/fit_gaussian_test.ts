import assert from "node:assert/strict";
import { createRng, fitGaussian, Mixture, MultivariateNormal, Normal } from "../../mod.ts";
import { assertAllClose, assertThrowsNaming } from "../_tolerance.ts";

const target = new Mixture([0.4, 0.6], [
  MultivariateNormal.fromCovariance([-2.5, 1], [[1, 0.6], [0.6, 1]]),
  MultivariateNormal.fromCovariance([2.5, -1], [[1, -0.5], [-0.5, 0.8]]),
]);

Deno.test("fitGaussian()", async (t) => {
  const m = fitGaussian(target, { divergence: "forward", rng: createRng(1) });
  const i = fitGaussian(target, { divergence: "reverse", rng: createRng(2), steps: 1500 });
  await t.step("the M-projection matches the mixture's moments", () => {
    assertAllClose(m.q.loc, target.mean());
    assertAllClose(m.q.covariance(), target.covariance(), { rel: 1e-12, abs: 1e-14 });
  });
  await t.step("the I-projection locks onto one mode", () => {
    const near = target.components.some((c) =>
      Math.hypot(c.mean()[0]! - i.q.loc[0]!, c.mean()[1]! - i.q.loc[1]!) < 0.3
    );
    assert.ok(near, `I-projection at ${i.q.loc}`);
  });
  await t.step("each fit wins on its own divergence", () => {
    assert.ok(m.forwardKL.value + 4 * m.forwardKL.standardError < i.forwardKL.value);
    assert.ok(i.reverseKL.value + 4 * i.reverseKL.standardError < m.reverseKL.value);
  });
  await t.step("rejects bad options", () => {
    assertThrowsNaming(
      () => fitGaussian(target, { divergence: "both" as never, rng: createRng(0) }),
      TypeError,
      "divergence",
      '"both"',
    );
    assertThrowsNaming(
      () =>
        fitGaussian(new Mixture([1], [new Normal(0, 1)]) as never, {
          divergence: "reverse",
          rng: createRng(0),
        }),
      TypeError,
    );
  });
});
