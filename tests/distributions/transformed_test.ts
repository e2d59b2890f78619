import assert from "node:assert/strict";
import type { Bijector } from "../../lib/bijectors/bijector.ts";
import { Chain } from "../../lib/bijectors/chain.ts";
import { Exp } from "../../lib/bijectors/exp.ts";
import { FillScaleTriL } from "../../lib/bijectors/fill_scale_tril.ts";
import { Scale } from "../../lib/bijectors/scale.ts";
import { Shift } from "../../lib/bijectors/shift.ts";
import { Sigmoid } from "../../lib/bijectors/sigmoid.ts";
import { SoftmaxCentered } from "../../lib/bijectors/softmax_centered.ts";
import { Softplus } from "../../lib/bijectors/softplus.ts";
import { DiagNormal } from "../../lib/distributions/diag_normal.ts";
import { Gamma } from "../../lib/distributions/gamma.ts";
import { LogNormal } from "../../lib/distributions/log_normal.ts";
import { Normal } from "../../lib/distributions/normal.ts";
import { TransformedDistribution } from "../../lib/distributions/transformed.ts";
import { createRng } from "../../lib/math/rng.ts";
import { FAMILIES } from "../reference/families_reference.ts";
import {
  assertEntropy,
  assertIntegratesToOne,
  assertLogProbBatch,
  assertSampleMoments,
} from "../../testing.ts";
import { fc } from "../_fc.ts";
import { assertAllClose, assertClose, assertThrowsNaming } from "../_tolerance.ts";
import { assertNoNaN, ENTROPY, REF, value } from "./_family_checks.ts";

const normal = () =>
  fc.tuple(
    fc.double({ min: -1, max: 1, noNaN: true }),
    fc.double({ min: 0.3, max: 1.2, noNaN: true }),
  )
    .map(([m, s]) => new Normal(m, s));

Deno.test("TransformedDistribution", async (t) => {
  await t.step("a transformed 1-D density integrates to 1 by quadrature", () => {
    // ∫ p_Y(y) dy over y = g(t), with g a map onto the support, so that the
    // integrand is smooth in t.
    const twoExpMinusOne = () => new Chain([new Shift(-1), new Scale(2), new Exp()]);
    const cases: Array<[Bijector, Bijector, (lo: number, hi: number) => [number, number]]> = [
      [new Exp(), new Exp(), (lo, hi) => [lo, hi]],
      [new Softplus(), new Exp(), (lo, hi) => [lo - 1, Math.log(hi + 1)]],
      [new Sigmoid(), new Sigmoid(), (lo, hi) => [lo, hi]],
      [twoExpMinusOne(), twoExpMinusOne(), (lo, hi) => [lo, hi]],
    ];
    for (const [b, g, support] of cases) {
      assertIntegratesToOne(normal().map((n) => new TransformedDistribution(n, b)), {
        transform: g,
        support: ({ base }) => {
          const n = base as Normal;
          return support(n.loc - 12 * n.scale, n.loc + 12 * n.scale);
        },
        tolerance: { abs: 1e-8 },
        numRuns: 4,
      });
    }
  });
  await t.step("logProb is the change of variables; −∞ outside the range", () => {
    const n = new Normal(0.3, 0.7), d = new TransformedDistribution(n, new Softplus());
    const y = 1.7, x = Math.log(Math.expm1(y));
    assertClose(d.logProb(y), n.logProb(x) - Math.log(-Math.expm1(-y)), { rel: 1e-14 });
    assert.equal(d.logProb(0), -Infinity);
    assert.equal(d.logProb(-1), -Infinity);
    assert.equal(d.logProb(Infinity), -Infinity);
    assertLogProbBatch(d, { points: [0.5, 1, -2, 0, 3] });
  });
  await t.step("affine maps have closed-form moments and entropy", () => {
    fc.assert(
      fc.property(
        normal(),
        fc.double({ min: -3, max: 3, noNaN: true }).filter((a) => Math.abs(a) > 0.1),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (n, a, b, y) => {
          const d = new TransformedDistribution(n, new Chain([new Shift(b), new Scale(a)]));
          const e = new Normal(a * n.loc + b, Math.abs(a) * n.scale);
          assertClose(d.logProb(y), e.logProb(y), { abs: 1e-13, rel: 1e-13 });
          assertClose(d.mean() as number, e.mean(), { abs: 1e-14, rel: 1e-14 });
          assertClose(d.variance() as number, e.variance(), { rel: 1e-14 });
          assertClose(d.entropy(), e.entropy(), { abs: 1e-14, rel: 1e-14 });
        },
      ),
    );
    const g = new TransformedDistribution(new Gamma(3, 2), new Shift(1));
    assertSampleMoments(g);
    assertEntropy(g);
  });
  await t.step("other maps point to Monte Carlo for their moments", () => {
    const d = new TransformedDistribution(new Gamma(2, 1), new Softplus());
    for (const f of [() => d.mean(), () => d.variance(), () => d.entropy()]) {
      assertThrowsNaming(f, TypeError, "Softplus of Gamma", "Monte Carlo", "sampleN");
    }
  });
  await t.step(
    "vector bijectors: a logistic-normal on the simplex, a random Cholesky factor",
    () => {
      const base = new DiagNormal([0.5, -0.2, 0.1], [1, 0.5, 2]);
      const simplex = new TransformedDistribution(base, new SoftmaxCentered());
      assert.equal(simplex.eventSize, 4);
      const ys = simplex.sampleN(createRng(4), 100);
      for (let i = 0; i < 100; i++) {
        assertClose(ys.subarray(4 * i, 4 * i + 4).reduce((s, v) => s + v, 0), 1, { abs: 1e-15 });
      }
      const y = ys.subarray(0, 4), x = new SoftmaxCentered().inverse(y);
      const expected = base.logProb(x) - Array.from(y).reduce((s, v) => s + Math.log(v), 0);
      assertClose(simplex.logProb(y), expected, { rel: 1e-13 });
      assert.equal(simplex.logProb([0.5, 0.5, 0, 0]), -Infinity);
      assertLogProbBatch(simplex, { points: ys.subarray(0, 40) });

      const tril = new TransformedDistribution(base, new FillScaleTriL());
      assert.equal(tril.eventSize, 4);
      const L = tril.sample(createRng(5)) as Float64Array;
      assert.equal(L[1], 0);
      assert.ok(L[0]! > 0 && L[3]! > 0 && Number.isFinite(tril.logProb(L)));
      assert.equal(tril.logProb([1, 1, 1, 1]), -Infinity);
    },
  );
  await t.step("a univariate base through a vector bijector gives arrays", () => {
    const d = new TransformedDistribution(new Normal(0, 1), new SoftmaxCentered());
    const y = d.sample(createRng(1)) as Float64Array;
    assert.equal(y.length, 2);
    assertClose(
      d.logProb(y),
      new Normal(0, 1).logProb(Math.log(y[0]! / y[1]!)) - Math.log(y[0]! * y[1]!),
      { rel: 1e-13 },
    );
    const tril = new TransformedDistribution(new Normal(0, 1), new FillScaleTriL({ diagShift: 0 }));
    const v = tril.sample(createRng(2)) as Float64Array;
    assert.equal(v.length, 1);
    assertClose(tril.logProb(v[0]!), tril.logProb(v), { rel: 1e-15 });
    assert.equal(tril.sampleN(createRng(3), 4).length, 4);
  });
  await t.step("rejects a bad base, bijector or point, naming it", () => {
    assertThrowsNaming(
      () => new TransformedDistribution({} as never, new Exp()),
      TypeError,
      "base",
    );
    assertThrowsNaming(
      () => new TransformedDistribution(new Normal(0, 1), null as never),
      TypeError,
      "bijector",
    );
    assertThrowsNaming(
      () => new TransformedDistribution(new DiagNormal([0, 0], [1, 1]), new FillScaleTriL()),
      TypeError,
      "triangular",
    );
    const d = new TransformedDistribution(new Normal(0, 1), new Exp());
    assertThrowsNaming(() => d.logProb(NaN), RangeError, "x", "NaN");
    assertThrowsNaming(() => d.logProb([1, 2]), TypeError, "x");
    assertThrowsNaming(() => d.sampleN(createRng(1), -1), RangeError, "n");
    assertThrowsNaming(() => d.sample(3 as never), TypeError, "rng");
  });
});

Deno.test("LogNormal", async (t) => {
  await t.step("logProb(), entropy(), mean() and variance() match the references", () => {
    for (const r of FAMILIES.logNormal) {
      const d = new LogNormal(r.loc, r.scale), what = `LogNormal(${r.loc}, ${r.scale})`;
      // Where σ is below the rounding of log x (σ = 1e-200 at log x ≈ 700), float64
      // cannot tell log x from μ: the exact density is 0, the computed one that at x = e^μ.
      if (r.scale > 1e-15 * Math.abs(r.loc)) {
        r.x.forEach((x, i) =>
          assertClose(d.logProb(x), value(r.logProb[i]), REF, `${what} at ${x}`)
        );
      }
      assertClose(d.entropy(), value(r.entropy), ENTROPY, `${what}.entropy`);
      assertClose(d.mean(), value(r.mean), { rel: 1e-13 }, `${what}.mean`);
      assertClose(d.variance(), value(r.variance), { rel: 1e-13 }, `${what}.variance`);
    }
  });
  await t.step("is TransformedDistribution(Normal, Exp), with the same log-density", () => {
    fc.assert(
      fc.property(normal(), fc.double({ min: 1e-3, max: 50, noNaN: true }), (n, y) => {
        const d = new LogNormal(n.loc, n.scale), g = new TransformedDistribution(n, new Exp());
        assert.ok(d instanceof TransformedDistribution);
        assertClose(d.logProb(y), g.logProb(y), { abs: 1e-13, rel: 1e-13 });
      }),
    );
  });
  await t.step("samples match the moments; entropy() equals −E[log p]; batch matches", () => {
    const d = new LogNormal(0.5, 0.4);
    assertSampleMoments(d, { samples: 40000 });
    assertEntropy(d);
    assertLogProbBatch(d, { points: [0, -1, 0.5, 2, Infinity] });
    assertAllClose(
      d.sampleN(createRng(3), 5),
      new TransformedDistribution(new Normal(0.5, 0.4), new Exp()).sampleN(createRng(3), 5),
      { rel: 1e-15 },
    );
  });
  await t.step("never returns NaN from finite input", () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const pos = fc.double({ min: 2.2250738585072014e-308, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, pos, fc.double({ noNaN: true }), (m, s, y) => {
        const d = new LogNormal(m, s);
        assertNoNaN(
          [d.logProb(y), d.entropy(), d.mean(), d.variance(), d.sample(createRng(1))],
          `${m} ${s} ${y}`,
        );
      }),
      { numRuns: 300 },
    );
  });
  await t.step("rejects bad parameters, naming them as LogNormal's", () => {
    assertThrowsNaming(() => new LogNormal(0, 0), RangeError, "LogNormal", "scale", "0");
    assertThrowsNaming(() => new LogNormal(NaN, 1), RangeError, "LogNormal", "loc", "NaN");
    assertThrowsNaming(() => new LogNormal(0, 1).logProb(NaN), RangeError, "x", "NaN");
  });
});
