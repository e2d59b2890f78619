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
import { assertClose, assertThrowsNaming, assertWithinSE } from "../_tolerance.ts";

/** A pair of distributions of one registered kind and one random size. */
const pairs = (): fc.Arbitrary<[Distribution, Distribution]> =>
  fc.oneof(
    fc.tuple(normal(), normal()),
    fc.tuple(exponential(), exponential()),
    dim().chain((d) => fc.tuple(diagNormal(d), diagNormal(d))),
    dim().chain((d) => fc.tuple(mvn(d), mvn(d))),
    dim().chain((d) => fc.tuple(diagNormal(d), mvn(d))),
    dim().chain((d) => fc.tuple(mvn(d), diagNormal(d))),
    dim().chain((d) => fc.tuple(bernoulli(d), bernoulli(d))),
  ) as fc.Arbitrary<[Distribution, Distribution]>;

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

  await t.step("KL ≥ 0 and KL(p‖p) = 0", () => {
    fc.assert(
      fc.property(pairs(), ([p, q]) => {
        assert.ok(klDivergence(p, q) >= 0);
        assertClose(klDivergence(p, p), 0, { abs: 1e-12 });
        assertClose(klDivergence(q, q), 0, { abs: 1e-12 });
      }),
    );
  });

  await t.step("lies within 4 standard errors of klMonteCarlo", () => {
    fc.assert(
      fc.property(pairs(), fc.noShrink(fc.nat()), ([p, q], seed) => {
        // A KL below ~1e-30 (a near-identical pair) is beyond what the
        // average of log-densities rounded to float64 (~1e-16 each)
        // resolves: allow that much.
        assertWithinSE(
          klMonteCarlo(p, q, { samples: 4000, rng: createRng(seed) }),
          klDivergence(p, q),
          4,
          "",
          1e-30,
        );
      }),
      { numRuns: 60 },
    );
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
    for (
      const pair of [
        "Normal‖Normal",
        "DiagNormal‖DiagNormal",
        "MultivariateNormal‖MultivariateNormal",
        "DiagNormal‖MultivariateNormal",
        "MultivariateNormal‖DiagNormal",
        "Bernoulli‖Bernoulli",
        "Exponential‖Exponential",
      ]
    ) assert.ok(names.includes(pair), pair);
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
