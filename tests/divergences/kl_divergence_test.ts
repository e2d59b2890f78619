import assert from "node:assert/strict";
import {
  Bernoulli,
  createRng,
  DiagNormal,
  type Distribution,
  Exponential,
  klDivergence,
  klMonteCarlo,
  klStandardNormal,
  Mixture,
  MultivariateNormal,
  Normal,
  registeredKLPairs,
  registerKL,
} from "../../mod.ts";
import { REFERENCE } from "../_scipy_reference.ts";
import { bernoulli, diagNormal, dim, exponential, mvn, normal } from "../_arbitraries.ts";
import { fc } from "../_fc.ts";
import { assertKLLaws } from "../../testing.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

/** For each registered pair of the Gaussians, Bernoulli and exponential: p, and q of p's size. */
const PAIRS: Array<
  [string, fc.Arbitrary<Distribution>, (p: Distribution) => fc.Arbitrary<Distribution>]
> = [
  ["Normal‖Normal", normal(), () => normal()],
  ["Exponential‖Exponential", exponential(), () => exponential()],
  ["DiagNormal‖DiagNormal", dim().chain(diagNormal), (p) => diagNormal(p.eventSize)],
  ["MultivariateNormal‖MultivariateNormal", dim().chain(mvn), (p) => mvn(p.eventSize)],
  ["DiagNormal‖MultivariateNormal", dim().chain(diagNormal), (p) => mvn(p.eventSize)],
  ["MultivariateNormal‖DiagNormal", dim().chain(mvn), (p) => diagNormal(p.eventSize)],
  ["Bernoulli‖Bernoulli", dim().chain(bernoulli), (p) => bernoulli(p.eventSize)],
];

Deno.test("klDivergence()", async (t) => {
  await t.step("matches scipy/numpy for every registered pair", () => {
    for (const r of REFERENCE.klNormal) {
      assertClose(
        klDivergence(new Normal(r.p[0], r.p[1]), new Normal(r.q[0], r.q[1])),
        r.kl,
        {},
        "Normal‖Normal",
      );
    }
    for (const r of REFERENCE.klExponential) {
      assertClose(
        klDivergence(new Exponential(r.p), new Exponential(r.q)),
        r.kl,
        {},
        "Exponential‖Exponential",
      );
    }
    const m = REFERENCE.klMvn;
    const p = MultivariateNormal.fromCovariance(m.p.loc, m.p.covariance);
    const q = MultivariateNormal.fromCovariance(m.q.loc, m.q.covariance);
    assertClose(klDivergence(p, q), m.kl, {}, "MultivariateNormal‖MultivariateNormal");
    const dg = REFERENCE.klDiag;
    const dp = new DiagNormal(dg.p.loc, dg.p.scale), dq = new DiagNormal(dg.q.loc, dg.q.scale);
    assertClose(klDivergence(dp, dq), dg.kl, {}, "DiagNormal‖DiagNormal");
    assertClose(klDivergence(dp, q), REFERENCE.klDiagMvn, {}, "DiagNormal‖MultivariateNormal");
    assertClose(klDivergence(p, dq), REFERENCE.klMvnDiag, {}, "MultivariateNormal‖DiagNormal");
    const b = REFERENCE.klBernoulli;
    assertClose(
      klDivergence(new Bernoulli({ probs: b.p }), new Bernoulli({ probs: b.q })),
      b.kl,
      {},
      "Bernoulli",
    );
  });

  await t.step("KL ≥ 0, KL(p‖p) = 0, and within 4 standard errors of klMonteCarlo", () => {
    for (const [, p, q] of PAIRS) assertKLLaws(p, q, { numRuns: 30 });
  });

  await t.step("agrees across representations", () => {
    fc.assert(
      fc.property(normal(), normal(), (a, b) => {
        const da = new DiagNormal([a.loc], [a.scale]), db = new DiagNormal([b.loc], [b.scale]);
        assertClose(klDivergence(da, db), klDivergence(a, b), { abs: 1e-14 });
        const ma = new MultivariateNormal([a.loc], [a.scale]),
          mb = new MultivariateNormal([b.loc], [b.scale]);
        assertClose(klDivergence(ma, mb), klDivergence(a, b), { abs: 1e-13, rel: 1e-12 });
        assertClose(klDivergence(da, mb), klDivergence(a, b), { abs: 1e-13, rel: 1e-12 });
      }),
    );
    fc.assert(
      fc.property(dim().chain(diagNormal), (q) => {
        const std = new DiagNormal(
          new Float64Array(q.eventSize),
          new Float64Array(q.eventSize).fill(1),
        );
        assertClose(klStandardNormal(q), klDivergence(q, std), { abs: 1e-13 });
        const sumForm = 0.5 *
          q.loc.reduce(
            (s, m, j) => s + q.scale[j]! ** 2 + m * m - 1 - Math.log(q.scale[j]! ** 2),
            0,
          );
        assertClose(klStandardNormal(q), sumForm, { abs: 1e-12, rel: 1e-12 });
      }),
    );
  });

  await t.step("stays finite and correct at extremes", () => {
    const ln10 = Math.log(10);
    // ½ σ₀²/σ₁² − ½ − log(σ₀/σ₁) with σ₀/σ₁ = 1e-300
    assertClose(klDivergence(new Normal(0, 1e-150), new Normal(0, 1e150)), 300 * ln10 - 0.5);
    assertClose(klDivergence(new Normal(0, 1), new Normal(0, 1 + 1e-9)), 1e-18, { rel: 1e-6 });
    assertClose(
      klDivergence(new Bernoulli({ logits: [1e4] }), new Bernoulli({ logits: [-1e4] })),
      1e4,
    );
    assert.equal(
      klDivergence(new Bernoulli({ probs: [0.5] }), new Bernoulli({ probs: [1] })),
      Infinity,
    );
    assert.equal(
      klDivergence(new Bernoulli({ probs: [1] }), new Bernoulli({ probs: [0.5] })),
      Math.LN2,
    );
    const eps = 1e-10;
    const near = MultivariateNormal.fromCovariance([0, 0], [[1, 1 - eps], [1 - eps, 1]]);
    const kl = klDivergence(near, MultivariateNormal.fromCovariance([0, 0], [[1, 0], [0, 1]]));
    // ½ (tr Σ₀ − 2 − log det Σ₀) = −½ log(2ε − ε²)
    assertClose(kl, -0.5 * Math.log(2 * eps - eps * eps), { rel: 1e-6 });
  });

  await t.step("an unregistered pair names both types and lists the registered pairs", () => {
    const m = new Mixture([0.5, 0.5], [new Normal(0, 1), new Normal(1, 1)]);
    assertThrowsNaming(
      () => klDivergence(m, new Normal(0, 1)),
      TypeError,
      "Mixture",
      "Normal",
      "Normal‖Normal",
      "Bernoulli‖Bernoulli",
      "klMonteCarlo",
    );
    assertThrowsNaming(
      () => klDivergence(new Normal(0, 1), new Exponential(1)),
      TypeError,
      "(Normal, Exponential)",
    );
    assertThrowsNaming(
      () => klDivergence(new DiagNormal([0], [1]), new DiagNormal([0, 0], [1, 1])),
      TypeError,
      "differ in size",
    );
    assertThrowsNaming(() => klDivergence(null as never, new Normal(0, 1)), TypeError, "p");
  });

  await t.step("a registered function that returns NaN is refused, naming the pair", () => {
    class Odd extends Exponential {}
    registerKL(Odd, Odd, () => NaN);
    assertThrowsNaming(() => klDivergence(new Odd(1), new Odd(2)), RangeError, "Odd", "NaN");
    assertThrowsNaming(() => klDivergence(Object.create(null), new Normal(0, 1)), TypeError, "p");
  });

  await t.step("registeredKLPairs() lists the closed forms", () => {
    const names = registeredKLPairs().map(([a, b]) => `${a}‖${b}`);
    for (const [pair] of PAIRS) assert.ok(names.includes(pair), pair);
  });
});

Deno.test("klMonteCarlo()", async (t) => {
  await t.step("estimates a mixture's KL consistently across seeds", () => {
    const p = new Mixture([0.5, 0.5], [new Normal(-2, 1), new Normal(2, 1)]);
    const q = new Normal(0, 2);
    const a = klMonteCarlo(p, q, { samples: 20000, rng: createRng(1) });
    const b = klMonteCarlo(p, q, { samples: 20000, rng: createRng(2) });
    assert.ok(a.value > 0 && a.standardError > 0 && a.standardError < 0.01);
    assert.ok(Math.abs(a.value - b.value) < 4 * Math.hypot(a.standardError, b.standardError));
  });
  await t.step("is +∞ when q has no mass where p does", () => {
    const r = klMonteCarlo(new Normal(0, 1), new Exponential(1), {
      samples: 100,
      rng: createRng(0),
    });
    assert.equal(r.value, Infinity);
  });
  await t.step("rejects bad options, naming them", () => {
    const p = new Normal(0, 1);
    assertThrowsNaming(
      () => klMonteCarlo(p, p, { samples: 1, rng: createRng(0) }),
      RangeError,
      "samples",
      "1",
    );
    assertThrowsNaming(
      () => klMonteCarlo(p, p, { samples: 10.5, rng: createRng(0) }),
      RangeError,
      "samples",
      "10.5",
    );
    assertThrowsNaming(
      () => klMonteCarlo(p, p, { samples: 10 } as never),
      TypeError,
      "rng",
      "undefined",
    );
    assertThrowsNaming(
      () => klMonteCarlo(p, new DiagNormal([0, 0], [1, 1]), { samples: 10, rng: createRng(0) }),
      TypeError,
      "size",
    );
    // Huge counts fail at once instead of dying in the engine (or running for hours).
    for (const n of [1e15, 2 ** 53, 2 ** 27 + 1]) {
      assertThrowsNaming(
        () => klMonteCarlo(p, p, { samples: n, rng: createRng(0) }),
        RangeError,
        "samples",
        String(n),
      );
    }
    assertThrowsNaming(
      () =>
        klMonteCarlo(new DiagNormal([0, 0], [1, 1]), new DiagNormal([0, 0], [1, 1]), {
          samples: 2 ** 26 + 1,
          rng: createRng(0),
        }),
      RangeError,
      "samples",
      "2²⁷",
    );
    assertThrowsNaming(() => klMonteCarlo(p, p, null as never), TypeError, "options");
  });
});
