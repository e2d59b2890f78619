import assert from "node:assert/strict";
import { Beta } from "../../lib/distributions/beta.ts";
import { Categorical } from "../../lib/distributions/categorical.ts";
import { Dirichlet } from "../../lib/distributions/dirichlet.ts";
import { Exponential } from "../../lib/distributions/exponential.ts";
import { Gamma } from "../../lib/distributions/gamma.ts";
import { Laplace } from "../../lib/distributions/laplace.ts";
import { LogNormal } from "../../lib/distributions/log_normal.ts";
import { Normal } from "../../lib/distributions/normal.ts";
import { Poisson } from "../../lib/distributions/poisson.ts";
import { Uniform } from "../../lib/distributions/uniform.ts";
import { klBeta } from "../../lib/divergences/beta_kl.ts";
import { klCategorical } from "../../lib/divergences/categorical_kl.ts";
import { klDirichlet } from "../../lib/divergences/dirichlet_kl.ts";
import { klExponentialGamma, klGamma } from "../../lib/divergences/gamma_kl.ts";
import { klDivergence, registeredKLPairs } from "../../lib/divergences/kl_divergence.ts";
import { klLaplace } from "../../lib/divergences/laplace_kl.ts";
import { klLogNormal } from "../../lib/divergences/log_normal_kl.ts";
import { klPoisson } from "../../lib/divergences/poisson_kl.ts";
import "../../lib/divergences/register_families.ts";
import { klUniform } from "../../lib/divergences/uniform_kl.ts";
import type { Distribution } from "../../lib/distributions/distribution.ts";
import {
  assertKLLaws,
  beta,
  categorical,
  dirichlet,
  exponential,
  gamma,
  laplace,
  logNormal,
  poisson,
  uniform,
} from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

/** Each registered pair of the families: p, and q (or q of p's size, or covering p's support). */
const PAIRS: Array<[string, fc.Arbitrary<Distribution>, (p: never) => fc.Arbitrary<Distribution>]> =
  [
    ["Gamma‖Gamma", gamma(), () => gamma()],
    ["Exponential‖Gamma", exponential(), () => gamma()],
    ["Beta‖Beta", beta(), () => beta()],
    [
      "Dirichlet‖Dirichlet",
      fc.integer({ min: 2, max: 5 }).chain(dirichlet),
      (p: Dirichlet) => dirichlet(p.eventSize),
    ],
    [
      "Categorical‖Categorical",
      fc.integer({ min: 1, max: 6 }).chain(categorical),
      (p: Categorical) => categorical(p.numCategories),
    ],
    ["Laplace‖Laplace", laplace(), () => laplace()],
    [
      "Uniform‖Uniform",
      uniform(),
      // q covers p's support, so that the KL is finite and Monte Carlo has something to check.
      (p: Uniform) => {
        const margin = fc.double({ min: 0, max: 3, noNaN: true });
        return fc.tuple(margin, margin).map(([a, b]) => new Uniform(p.low - a, p.high + b));
      },
    ],
    ["Poisson‖Poisson", poisson(), () => poisson()],
    ["LogNormal‖LogNormal", logNormal(), () => logNormal()],
  ];

Deno.test("the families' KL divergences keep the KL laws, through klDivergence", async (t) => {
  for (const [name, p, q] of PAIRS) {
    await t.step(name, () => {
      assertKLLaws(p, q as (p: Distribution) => fc.Arbitrary<Distribution>, { numRuns: 25 });
    });
  }
});

Deno.test("the families' KL divergences: registry, infinities and errors", async (t) => {
  await t.step("every pair is registered", () => {
    const names = registeredKLPairs().map(([a, b]) => `${a}‖${b}`);
    for (const [pair] of PAIRS) assert.ok(names.includes(pair), pair);
    assert.equal(
      klDivergence(new LogNormal(0, 1), new LogNormal(1, 2)),
      klLogNormal(new LogNormal(0, 1), new LogNormal(1, 2)),
    );
  });
  await t.step("is +∞ where q has no mass that p has, 0 for identical pairs", () => {
    assert.equal(klUniform(new Uniform(0, 2), new Uniform(0, 1)), Infinity);
    assert.equal(klUniform(new Uniform(-1, 1), new Uniform(0, 2)), Infinity);
    assert.equal(klUniform(new Uniform(0, 1), new Uniform(0, 1)), 0);
    assert.equal(
      klCategorical(new Categorical({ probs: [0.5, 0.5] }), new Categorical({ probs: [1, 0] })),
      Infinity,
    );
    assert.equal(
      klCategorical(new Categorical({ probs: [1, 0] }), new Categorical({ probs: [0.5, 0.5] })),
      Math.LN2,
    );
    for (
      const p of [
        new Gamma(2, 3),
        new Beta(2, 3),
        new Laplace(1, 2),
        new Poisson(3),
        new Dirichlet([1, 2]),
      ]
    ) {
      assert.equal(klDivergence(p, p), 0);
    }
  });
  await t.step("never NaN from finite parameters", () => {
    const pos = fc.double({ min: 2.2250738585072014e-308, max: 1e307, noNaN: true });
    const fin = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(pos, pos, pos, pos, fin, fin, (a, b, c, d, m, n) => {
        const kls = [
          klGamma(new Gamma(a, b), new Gamma(c, d)),
          klExponentialGamma(new Exponential(a), new Gamma(c, d)),
          klBeta(new Beta(a, b), new Beta(c, d)),
          klDirichlet(new Dirichlet([a, b]), new Dirichlet([c, d])),
          klLaplace(new Laplace(m, a), new Laplace(n, b)),
          klPoisson(new Poisson(a), new Poisson(c)),
          klLogNormal(new LogNormal(m, a), new LogNormal(n, b)),
          klCategorical(new Categorical({ logits: [m, n] }), new Categorical({ logits: [n, 0] })),
          m < n && Number.isFinite(m - a) && Number.isFinite(n + b)
            ? klUniform(new Uniform(m, n), new Uniform(m - a, n + b))
            : 0,
        ];
        kls.forEach((kl, i) => assert.ok(kl >= 0, `KL #${i} = ${kl} for ${[a, b, c, d, m, n]}`));
      }),
      { numRuns: 500 },
    );
  });
  await t.step("rejects what is not of its family, naming it", () => {
    assertThrowsNaming(
      () => klGamma(new Gamma(1, 1), new Normal(0, 1) as never),
      TypeError,
      "q",
      "Gamma",
      "Normal",
    );
    assertThrowsNaming(
      () => klExponentialGamma(new Gamma(1, 1) as never, new Gamma(1, 1)),
      TypeError,
      "p",
      "Exponential",
    );
    assertThrowsNaming(() => klBeta(null as never, new Beta(1, 1)), TypeError, "p", "Beta");
    assertThrowsNaming(
      () => klDirichlet(new Dirichlet([1, 1]), new Dirichlet([1, 1, 1])),
      TypeError,
      "differ in size",
    );
    assertThrowsNaming(
      () => klCategorical(new Categorical({ probs: [1] }), new Categorical({ probs: [0.5, 0.5] })),
      TypeError,
      "number of categories",
    );
    assertThrowsNaming(() => klUniform(new Uniform(0, 1), {} as never), TypeError, "q", "Uniform");
    assertThrowsNaming(
      () => klPoisson(new Poisson(1), new Exponential(1) as never),
      TypeError,
      "q",
      "Poisson",
    );
    assertThrowsNaming(
      () => klLaplace(new Laplace(0, 1), new Normal(0, 1) as never),
      TypeError,
      "q",
    );
    assertThrowsNaming(
      () => klLogNormal(new Normal(0, 1) as never, new LogNormal(0, 1)),
      TypeError,
      "p",
      "LogNormal",
    );
  });
});
