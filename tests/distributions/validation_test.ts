// What every float64 distribution does with points and counts it cannot use:
// refuse them with a TypeError or RangeError naming the argument, never
// return NaN.
import assert from "node:assert/strict";
import {
  Bernoulli,
  Beta,
  Categorical,
  createRng,
  DiagNormal,
  Dirichlet,
  type Distribution,
  Exp,
  Exponential,
  Gamma,
  Laplace,
  LogNormal,
  Mixture,
  MultivariateNormal,
  Normal,
  Poisson,
  StudentT,
  TransformedDistribution,
  Uniform,
} from "../../mod.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

const families: Array<[string, Distribution, unknown]> = [
  ["Normal", new Normal(0, 1), 0.5],
  ["Exponential", new Exponential(2), 0.5],
  ["Mixture", new Mixture([0.5, 0.5], [new Normal(0, 1), new Normal(1, 1)]), 0.5],
  ["DiagNormal", new DiagNormal([0, 1], [1, 2]), [0.5, 0.5]],
  ["MultivariateNormal", MultivariateNormal.fromCovariance([0, 0], [[2, 1], [1, 2]]), [0.5, 0.5]],
  ["Bernoulli", new Bernoulli({ probs: [0.2, 0.7] }), [1, 0]],
];

Deno.test("logProb() and logProbBatch() of every family", async (t) => {
  for (const [name, d, good] of families) {
    await t.step(`${name} rejects NaN, null, strings and wrong lengths`, () => {
      const lp = (x: unknown) => (d.logProb as (x: unknown) => number)(x);
      assert.equal(typeof lp(good), "number");
      const univariate = d.eventSize === 1 && typeof good === "number";
      const bad: unknown[] = univariate ? [NaN, null, "0.5", [0.5], undefined] : [
        [0.5, NaN],
        null,
        "ab",
        [0.5],
        [0.5, 0.5, 0.5],
        [0.5, "0.5"],
        { length: 2 },
      ];
      for (const x of bad) {
        let thrown: unknown;
        try {
          lp(x);
        } catch (e) {
          thrown = e;
        }
        assert.ok(
          thrown instanceof TypeError || thrown instanceof RangeError,
          `${name}.logProb(${String(x)})`,
        );
        assert.match((thrown as Error).message, /\bx\b|x\[/, (thrown as Error).message);
      }
      assertThrowsNaming(
        () => d.logProbBatch([NaN, 0].slice(0, d.eventSize)),
        RangeError,
        "xs[0]",
        "NaN",
      );
      assertThrowsNaming(
        () => d.logProbBatch(["a", 0].slice(0, d.eventSize) as never),
        TypeError,
        "xs[0]",
      );
      assertThrowsNaming(() => d.logProbBatch(null as never), TypeError, "xs");
      assertThrowsNaming(
        () => d.logProbBatch(new Float64Array(d.eventSize), new Float64Array(5)),
        TypeError,
        "out",
      );
    });
    await t.step(`${name} refuses bad random sources and counts`, () => {
      assertThrowsNaming(() => d.sample(undefined as never), TypeError, "rng", "undefined");
      assertThrowsNaming(() => d.sampleN({} as never, 3), TypeError, "rng");
      for (const n of [-1, 1.5, NaN, Infinity, 1e15, 2 ** 53]) {
        assertThrowsNaming(() => d.sampleN(createRng(0), n), RangeError, "n", String(n));
      }
      assertThrowsNaming(() => d.sampleN(createRng(0), "3" as never), TypeError, "n", '"3"');
      assert.equal(d.sampleN(createRng(0), 3).length, 3 * d.eventSize);
    });
  }
  await t.step("±∞ is a point of zero density, not NaN", () => {
    assert.equal(new Normal(0, 1).logProb(Infinity), -Infinity);
    assert.equal(new Exponential(1).logProb(Infinity), -Infinity);
    assert.equal(new DiagNormal([0, 0], [1, 1]).logProb([0, -Infinity]), -Infinity);
    assert.equal(
      new MultivariateNormal([0, 0], [[1, 0], [0.5, 1]]).logProb([Infinity, 0]),
      -Infinity,
    );
  });
});

Deno.test("scales and rates must be positive normal floats", () => {
  // A subnormal scale has no finite reciprocal: refused rather than left to
  // produce NaN (Normal(0, 5e-324).logProbBatch([0]) was NaN).
  for (const v of [5e-324, 1e-310]) {
    assertThrowsNaming(() => new Normal(0, v), RangeError, "scale", "subnormal");
    assertThrowsNaming(() => new DiagNormal([0], [v]), RangeError, "scale[0]");
    assertThrowsNaming(() => new Exponential(v), RangeError, "rate");
    assertThrowsNaming(() => new MultivariateNormal([0], [[v]]), RangeError, "scaleTril[0][0]");
  }
  assertThrowsNaming(() => Normal.fromLogScale(0, -800), RangeError, "logScale", "-800");
  assertThrowsNaming(() => Normal.fromLogScale(0, 710), RangeError, "logScale", "710");
  assertThrowsNaming(() => DiagNormal.fromLogScale([0], [-745]), RangeError, "logScale[0]");
  // The smallest normal scale works, and gives finite answers.
  const tiny = new Normal(0, 2.2250738585072014e-308);
  assert.ok(Number.isFinite(tiny.logProb(0)) && Number.isFinite(tiny.logProbBatch([0])[0]!));
  assert.equal(tiny.gradLogProb(0), -0);
  const wide = new Normal(1e308, 1e308);
  assert.ok(Number.isFinite(wide.logProb(-1e308)), "x − μ overflows, z does not");
});

Deno.test("gradLogProb(), reparameterize() and whiten() refuse non-finite input", () => {
  const n = new Normal(0, 1), dn = new DiagNormal([0, 0], [1, 1]);
  const mvn = new MultivariateNormal([0, 0], [[1, 0], [0.5, 1]]);
  assertThrowsNaming(() => n.gradLogProb(NaN), RangeError, "x");
  assertThrowsNaming(() => n.reparameterize(Infinity), RangeError, "epsilon");
  assertThrowsNaming(() => dn.reparameterize([0, NaN]), RangeError, "epsilon[1]");
  assertThrowsNaming(() => dn.gradLogProb([0, 0], new Float64Array(3)), TypeError, "out");
  assertThrowsNaming(() => mvn.whiten([0, Infinity]), RangeError, "v[1]");
  assertThrowsNaming(() => mvn.gradLogProb(["a", 0] as never), TypeError, "x[0]");
  assertThrowsNaming(
    () =>
      new Mixture([1], [new Normal(0, 1)]).entropyMonteCarlo({ samples: 1e15, rng: createRng(0) }),
    RangeError,
    "samples",
  );
  assertThrowsNaming(() => new Mixture([0.5, 0.5], [new Normal(0, 1)]), TypeError, "weights");
  assertThrowsNaming(() => new Mixture([0.5, 0.5], new Array(2)), TypeError, "components[0]");
});

Deno.test("logProbBatch() of every family refuses a NaN in a typed batch, naming its index", () => {
  const all: [string, Distribution, number[]][] = [
    ["Normal", new Normal(0, 1), [0.5, 1]],
    ["DiagNormal", new DiagNormal([0, 1], [1, 2]), [0.5, 0.5, 1, 1]],
    ["MultivariateNormal", MultivariateNormal.fromCovariance([0, 0], [[2, 1], [1, 2]]), [
      0,
      1,
      1,
      0,
    ]],
    ["Bernoulli", new Bernoulli({ probs: [0.2, 0.7] }), [1, 0, 0, 1]],
    ["Exponential", new Exponential(2), [0.5, 1]],
    ["Mixture", new Mixture([0.5, 0.5], [new Normal(0, 1), new Normal(1, 1)]), [0.5, 1]],
    ["Gamma", new Gamma(2, 1), [0.5, 1]],
    ["Beta", new Beta(2, 3), [0.5, 0.25]],
    ["LogNormal", new LogNormal(0, 1), [0.5, 1]],
    ["Laplace", new Laplace(0, 1), [0.5, 1]],
    ["StudentT", new StudentT(3, 0, 1), [0.5, 1]],
    ["Uniform", new Uniform(0, 1), [0.5, 0.25]],
    ["Categorical", new Categorical({ probs: [0.2, 0.3, 0.5] }), [0, 2]],
    ["Dirichlet", new Dirichlet([1, 2, 3]), [0.25, 0.25, 0.5, 0.125, 0.125, 0.75]],
    ["Poisson", new Poisson(3), [0, 2]],
    ["TransformedDistribution", new TransformedDistribution(new Normal(0, 1), new Exp()), [0.5, 1]],
  ];
  for (const [name, d, good] of all) {
    for (const Typed of [Float64Array, Float32Array]) {
      assert.equal(d.logProbBatch(Typed.from(good)).length, good.length / d.eventSize, name);
      for (const i of [0, good.length - 1]) {
        const bad = Typed.from(good);
        bad[i] = NaN;
        assertThrowsNaming(() => d.logProbBatch(bad), RangeError, `xs[${i}]`, "NaN");
      }
    }
  }
});
