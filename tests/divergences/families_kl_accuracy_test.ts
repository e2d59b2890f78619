import assert from "node:assert/strict";
import { Beta } from "../../lib/distributions/beta.ts";
import { Categorical } from "../../lib/distributions/categorical.ts";
import { Dirichlet } from "../../lib/distributions/dirichlet.ts";
import { Exponential } from "../../lib/distributions/exponential.ts";
import { Gamma } from "../../lib/distributions/gamma.ts";
import { Laplace } from "../../lib/distributions/laplace.ts";
import { LogNormal } from "../../lib/distributions/log_normal.ts";
import { Poisson } from "../../lib/distributions/poisson.ts";
import { Uniform } from "../../lib/distributions/uniform.ts";
import { klBeta } from "../../lib/divergences/beta_kl.ts";
import { klCategorical } from "../../lib/divergences/categorical_kl.ts";
import { klDirichlet } from "../../lib/divergences/dirichlet_kl.ts";
import { klExponentialGamma, klGamma } from "../../lib/divergences/gamma_kl.ts";
import { klLaplace } from "../../lib/divergences/laplace_kl.ts";
import { klLogNormal } from "../../lib/divergences/log_normal_kl.ts";
import { klPoisson } from "../../lib/divergences/poisson_kl.ts";
import { klUniform } from "../../lib/divergences/uniform_kl.ts";
import { FAMILIES_KL as R } from "../reference/families_kl_reference.ts";
import { fc } from "../_fc.ts";
import { assertClose } from "../_tolerance.ts";
import { value } from "../distributions/_family_checks.ts";

/** Relative error ≤ `rel` (1e-12 unless given), or absolute ≤ 1e-300 where the true KL underflows; never < 0. */
function assertAccurate(actual: number, expected: number, msg: string, rel = 1e-12): void {
  assert.ok(actual >= 0, `${msg}: KL ${actual} < 0`);
  if (Math.abs(expected) < 1e-290) assertClose(actual, expected, { abs: 1e-300, rel: 0 }, msg);
  else assertClose(actual, expected, { rel }, msg);
}

const QUAD = 1e-10;

Deno.test("the families' KL divergences match quadrature", async (t) => {
  await t.step("Gamma‖Gamma and Exponential‖Gamma", () => {
    for (const [a, b, c, d, kl] of R.quad.gamma) {
      assertAccurate(
        klGamma(new Gamma(a, b), new Gamma(c, d)),
        kl,
        `Ga(${a},${b})‖Ga(${c},${d})`,
        QUAD,
      );
    }
    for (const [l, c, d, kl] of R.quad.exponentialGamma) {
      assertAccurate(
        klExponentialGamma(new Exponential(l), new Gamma(c, d)),
        kl,
        `Exp(${l})‖Ga(${c},${d})`,
        QUAD,
      );
    }
  });
  await t.step("Beta‖Beta and Dirichlet‖Dirichlet", () => {
    for (const [a, b, c, d, kl] of R.quad.beta) {
      assertAccurate(
        klBeta(new Beta(a, b), new Beta(c, d)),
        kl,
        `Beta(${a},${b})‖Beta(${c},${d})`,
        QUAD,
      );
      assertAccurate(
        klDirichlet(new Dirichlet([a, b]), new Dirichlet([c, d])),
        kl,
        "as a Dirichlet",
        QUAD,
      );
    }
    for (const [a, b, kl] of R.quad.dirichlet) {
      assertAccurate(
        klDirichlet(new Dirichlet(a), new Dirichlet(b)),
        kl,
        `Dir(${a})‖Dir(${b})`,
        1e-9,
      );
    }
  });
  await t.step("Laplace, LogNormal, Uniform, Poisson and Categorical", () => {
    for (const [m0, b0, m1, b1, kl] of R.quad.laplace) {
      assertAccurate(
        klLaplace(new Laplace(m0, b0), new Laplace(m1, b1)),
        kl,
        `Laplace ${m0} ${b0} ${m1} ${b1}`,
        QUAD,
      );
    }
    for (const [m0, s0, m1, s1, kl] of R.quad.logNormal) {
      assertAccurate(
        klLogNormal(new LogNormal(m0, s0), new LogNormal(m1, s1)),
        kl,
        `LogNormal ${m0} ${s0}`,
        QUAD,
      );
    }
    for (const [a0, b0, a1, b1, kl] of R.quad.uniform) {
      assertAccurate(
        klUniform(new Uniform(a0, b0), new Uniform(a1, b1)),
        kl,
        `U(${a0},${b0})‖U(${a1},${b1})`,
        QUAD,
      );
    }
    for (const [l0, l1, kl] of R.quad.poisson) {
      assertAccurate(klPoisson(new Poisson(l0), new Poisson(l1)), kl, `Poisson ${l0} ${l1}`, QUAD);
    }
    for (const [p, q, kl] of R.quad.categorical) {
      assertAccurate(
        klCategorical(new Categorical({ probs: p }), new Categorical({ probs: q })),
        kl,
        `Cat ${p} ${q}`,
        1e-14,
      );
    }
  });
});

Deno.test("the families' KL divergences keep their digits for near-identical and extreme pairs", async (t) => {
  await t.step("Gamma‖Gamma, to 1e-12 relative (mpmath at 100+ digits)", () => {
    for (const [a, b, c, d, kl] of R.near.gamma) {
      assertAccurate(
        klGamma(new Gamma(a, b), new Gamma(c, d)),
        value(kl),
        `Ga(${a},${b})‖Ga(${c},${d})`,
      );
    }
  });
  await t.step("Beta‖Beta and Dirichlet‖Dirichlet, to 1e-12 relative", () => {
    for (const [a, b, c, d, kl] of R.near.beta) {
      assertAccurate(
        klBeta(new Beta(a, b), new Beta(c, d)),
        value(kl),
        `Beta(${a},${b})‖Beta(${c},${d})`,
      );
    }
    for (const [a, b, kl] of R.near.dirichlet) {
      assertAccurate(
        klDirichlet(new Dirichlet(a), new Dirichlet(b)),
        value(kl),
        `Dir(${a})‖Dir(${b})`,
      );
    }
  });
  await t.step("Laplace, Poisson, LogNormal and Categorical, to 1e-12 relative", () => {
    for (const [m0, b0, m1, b1, kl] of R.near.laplace) {
      assertAccurate(
        klLaplace(new Laplace(m0, b0), new Laplace(m1, b1)),
        value(kl),
        `Laplace ${m0} ${b0} ${m1} ${b1}`,
      );
    }
    for (const [l0, l1, kl] of R.near.poisson) {
      assertAccurate(klPoisson(new Poisson(l0), new Poisson(l1)), value(kl), `Poisson ${l0} ${l1}`);
    }
    for (const [m0, s0, m1, s1, kl] of R.near.logNormal) {
      assertAccurate(
        klLogNormal(new LogNormal(m0, s0), new LogNormal(m1, s1)),
        value(kl),
        `LogNormal ${m0} ${s0} ${m1} ${s1}`,
      );
    }
    for (const [l0, l1, kl] of R.near.categoricalLogits) {
      assertAccurate(
        klCategorical(new Categorical({ logits: l0 }), new Categorical({ logits: l1 })),
        value(kl),
        `logits ${l0} ${l1}`,
      );
    }
    for (const [p, q, kl] of R.near.categoricalProbs) {
      assertAccurate(
        klCategorical(new Categorical({ probs: p }), new Categorical({ probs: q })),
        value(kl),
        `probs ${p} ${q}`,
      );
    }
  });
  await t.step("are never negative for pairs a relative 1e-15 … 1e-3 apart", () => {
    const pos = fc.double({ min: 1e-6, max: 1e6, noNaN: true });
    const eps = fc.tuple(fc.integer({ min: 3, max: 15 }), fc.boolean()).map(([e, s]) =>
      (s ? 1 : -1) * 10 ** -e
    );
    fc.assert(
      fc.property(pos, pos, pos, eps, eps, eps, (a, b, c, e1, e2, e3) => {
        const kls = [
          klGamma(new Gamma(a, b), new Gamma(a * (1 + e1), b * (1 + e2))),
          klBeta(new Beta(a, b), new Beta(a * (1 + e1), b * (1 + e2))),
          klDirichlet(
            new Dirichlet([a, b, c]),
            new Dirichlet([a * (1 + e1), b * (1 + e2), c * (1 + e3)]),
          ),
          klLaplace(new Laplace(a, b), new Laplace(a + e1 * b, b * (1 + e2))),
          klPoisson(new Poisson(a), new Poisson(a * (1 + e1))),
          klCategorical(
            new Categorical({ logits: [0, Math.log(a), Math.log(b)] }),
            new Categorical({ logits: [e1, Math.log(a) + e2, Math.log(b)] }),
          ),
          klExponentialGamma(new Exponential(a), new Gamma(1 + e1, a * (1 + e2))),
        ];
        kls.forEach((kl, i) => assert.ok(kl >= 0 && Number.isFinite(kl), `KL #${i}: ${kl}`));
      }),
      { numRuns: 200 },
    );
  });
});
