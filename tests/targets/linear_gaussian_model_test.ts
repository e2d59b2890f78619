import { linearGaussianModel } from "../../mod.ts";
import { assertAllClose, assertThrowsNaming } from "../_tolerance.ts";

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
  await t.step("posterior(x) is N(Λ⁻¹ Wᵀ(x − b)/σ², Λ⁻¹), Λ = I + WᵀW/σ²", () => {
    // W = [[1, 0], [0, 2], [1, 1]], b = 0, σ = 1: Λ = [[3, 1], [1, 6]], Λ⁻¹ = [[6, −1], [−1, 3]]/17;
    // x = (1, 2, 3): Wᵀx = (4, 7), so the mean is Λ⁻¹ (4, 7) = (1, 1).
    const m = linearGaussianModel({
      weight: [[1, 0], [0, 2], [1, 1]],
      bias: [0, 0, 0],
      noiseScale: 1,
    });
    const post = m.posterior(new Float64Array([1, 2, 3]));
    assertAllClose(post.loc, [1, 1], { abs: 1e-15 });
    assertAllClose(post.covariance(), [6 / 17, -1 / 17, -1 / 17, 3 / 17], { abs: 1e-15 });
  });
});
