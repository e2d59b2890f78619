import * as tf from "@tensorflow/tfjs";
import {
  bernoulliLogProb,
  diagGaussianLogProb,
  gaussianLogLikelihood,
  klDiagGaussians,
  klStandardNormalPerDim,
  klStandardNormalTensor,
  logMeanExp,
  reparameterize,
  useBackend,
} from "../../models.ts";
import { Bernoulli, DiagNormal, klDiagNormal, klStandardNormal, logSumExp } from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming, FLOAT32 } from "../_tolerance.ts";
import assert from "node:assert/strict";

await useBackend("cpu");

/** A batch of rows of d values in [lo, hi]. */
const rows = (n: number, d: number, lo: number, hi: number) =>
  fc.array(
    fc.array(fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true }), {
      minLength: d,
      maxLength: d,
    }),
    {
      minLength: n,
      maxLength: n,
    },
  );

const batch = () =>
  fc.record({ n: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 6 }) }).chain((
    { n, d },
  ) =>
    fc.record({
      x: rows(n, d, -4, 4),
      loc: rows(n, d, -3, 3),
      logVar: rows(n, d, -3, 2),
      loc1: rows(n, d, -3, 3),
      logVar1: rows(n, d, -3, 2),
    })
  );

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};
const scaleOf = (lv: number[]) => lv.map((v) => Math.exp(0.5 * v));

Deno.test("tensor twins agree with the float64 core", async (t) => {
  await t.step("diagGaussianLogProb() = DiagNormal.logProb", () => {
    fc.assert(
      fc.property(batch(), ({ x, loc, logVar }) => {
        const got = read(
          diagGaussianLogProb(tf.tensor2d(x), tf.tensor2d(loc), tf.tensor2d(logVar)),
        );
        got.forEach((g, i) =>
          assertClose(g, new DiagNormal(loc[i]!, scaleOf(logVar[i]!)).logProb(x[i]!), FLOAT32)
        );
      }),
      { numRuns: 50 },
    );
  });
  await t.step("klStandardNormal() and klDiagGaussians() = the closed forms", () => {
    fc.assert(
      fc.property(batch(), ({ loc, logVar, loc1, logVar1 }) => {
        const kl = read(klStandardNormalTensor(tf.tensor2d(loc), tf.tensor2d(logVar)));
        const perDim = read(klStandardNormalPerDim(tf.tensor2d(loc), tf.tensor2d(logVar)));
        const kl2 = read(
          klDiagGaussians(
            tf.tensor2d(loc),
            tf.tensor2d(logVar),
            tf.tensor2d(loc1),
            tf.tensor2d(logVar1),
          ),
        );
        const d = loc[0]!.length;
        kl.forEach((g, i) => {
          const q = new DiagNormal(loc[i]!, scaleOf(logVar[i]!));
          assertClose(g, klStandardNormal(q), FLOAT32);
          assertClose(perDim.slice(i * d, (i + 1) * d).reduce((a, b) => a + b, 0), g, FLOAT32);
          assertClose(
            kl2[i]!,
            klDiagNormal(q, new DiagNormal(loc1[i]!, scaleOf(logVar1[i]!))),
            FLOAT32,
          );
        });
      }),
      { numRuns: 50 },
    );
  });
  await t.step("bernoulliLogProb() = Bernoulli.logProb, stable for large logits", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) =>
          fc.tuple(rows(2, d, -40, 40), rows(2, d, 0, 1))
        ),
        ([logits, x]) => {
          const got = read(bernoulliLogProb(tf.tensor2d(x), tf.tensor2d(logits)));
          got.forEach((g, i) =>
            assertClose(g, new Bernoulli({ logits: logits[i]! }).logProb(x[i]!), FLOAT32)
          );
        },
      ),
      { numRuns: 50 },
    );
    // Its hand-written gradient equals autodiff's of the same formula.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((d) =>
          fc.tuple(rows(3, d, -20, 20), rows(3, d, 0, 1), rows(3, 1, -2, 2))
        ),
        ([l, x, w]) => {
          const f = (ref: boolean) => (xs: tf.Tensor, ls: tf.Tensor) =>
            tf.sum(
              tf.mul(
                tf.tensor1d(w.flat()),
                ref
                  ? tf.sum(tf.sub(tf.mul(xs, ls), tf.softplus(ls)), -1)
                  : bernoulliLogProb(xs, ls),
              ),
            );
          const mine = tf.grads(f(false))([tf.tensor2d(x), tf.tensor2d(l)]);
          const ref = tf.grads(f(true))([tf.tensor2d(x), tf.tensor2d(l)]);
          mine.forEach((g, k) =>
            read(g).forEach((v, i) => assertClose(v, ref[k]!.dataSync()[i]!, FLOAT32))
          );
        },
      ),
      { numRuns: 30 },
    );
    const big = read(bernoulliLogProb(tf.tensor2d([[1, 0]]), tf.tensor2d([[1e4, 1e4]])));
    assertClose(big[0]!, -1e4, FLOAT32);
  });
  await t.step("gaussianLogLikelihood() with a fixed σ = DiagNormal.logProb", () => {
    fc.assert(
      fc.property(
        batch(),
        fc.float({ min: Math.fround(0.1), max: Math.fround(3), noNaN: true }),
        ({ x, loc }, s) => {
          const got = read(gaussianLogLikelihood(tf.tensor2d(x), tf.tensor2d(loc), s));
          got.forEach((g, i) =>
            assertClose(g, new DiagNormal(loc[i]!, loc[i]!.map(() => s)).logProb(x[i]!), {
              abs: 1e-4,
              rel: 1e-4,
            })
          );
        },
      ),
      { numRuns: 50 },
    );
  });
  await t.step("gaussianLogLikelihood() with a learned log-variance = DiagNormal.logProb", () => {
    fc.assert(
      fc.property(batch(), ({ x, loc, logVar }) => {
        const got = read(
          gaussianLogLikelihood(tf.tensor2d(x), tf.tensor2d(loc), tf.tensor2d(logVar)),
        );
        got.forEach((g, i) =>
          assertClose(g, new DiagNormal(loc[i]!, scaleOf(logVar[i]!)).logProb(x[i]!), FLOAT32)
        );
      }),
      { numRuns: 50 },
    );
  });
  await t.step(
    "reparameterize() = DiagNormal.reparameterize; logMeanExp() = logSumExp − log k",
    () => {
      fc.assert(
        fc.property(batch(), ({ x, loc, logVar }) => {
          const got = read(reparameterize(tf.tensor2d(loc), tf.tensor2d(logVar), tf.tensor2d(x)));
          const d = loc[0]!.length;
          loc.forEach((_, i) => {
            const want = new DiagNormal(loc[i]!, scaleOf(logVar[i]!)).reparameterize(x[i]!);
            want.forEach((w, j) => assertClose(got[i * d + j]!, w, FLOAT32));
          });
          const lme = read(logMeanExp(tf.tensor2d(x), 1));
          x.forEach((row, i) =>
            assertClose(lme[i]!, logSumExp(row) - Math.log(row.length), FLOAT32)
          );
        }),
        { numRuns: 50 },
      );
    },
  );
});

// ½ (eᵗ − 1 − t) at float32 inputs t, from mpmath (50 digits):
//   import numpy as np, mpmath as mp; mp.mp.dps = 50
//   t = mp.mpf(float(np.float32(lv))); print(mp.nstr(0.5 * (mp.e**t - 1 - t), 17))
const KL_NEAR_ONE: [number, number][] = [
  [9.99999993922529e-09, 2.4999999779459784e-17],
  [-9.99999993922529e-09, 2.4999999612793121e-17],
  [3.000000106112566e-07, 2.2500003841688923e-14],
  [9.999999974752427e-07, 2.5000008207097489e-13],
  [-9.999999747378752e-06, 2.4999915403775089e-11],
  [9.999999747378752e-05, 2.50008320909977e-9],
  [-0.0010000000474974513, 2.4991671123268984e-7],
  [0.009999999776482582, 2.5083540960835086e-5],
  [-0.30000001192092896, 0.020409111885702748],
  [0.49000000953674316, 0.071158112992808216],
  [0.699999988079071, 0.15687634769280133],
  [5.0, 71.206579551288302],
  [-20.0, 9.5000000010305768],
  [40.0, 1.1769263341850997e+17],
];
// KL(N(μ₀, e^lv₀) ‖ N(μ₁, e^lv₁)) = ½ (e^(lv₀−lv₁) − 1 − (lv₀−lv₁) + (μ₀−μ₁)² e^(−lv₁)) at
// float32 inputs [lv₀, lv₁, μ₀, μ₁], from mpmath as above.
const KL_NEAR_PAIRS: [number, number, number, number, number][] = [
  [
    0.30000001192092896,
    0.30000099539756775,
    0.2000000029802322,
    0.2000000029802322,
    2.4180649549300612e-13,
  ],
  [-2.0, -1.999899983406067, 0.2000000029802322, 0.2000000029802322, 2.5007463927545518e-9],
  [1.0, 0.996999979019165, 0.20100000500679016, 0.2000000029802322, 2.4367763270750378e-6],
  [0.0, 2.0000000233721948e-07, 0.2000000029802322, 0.2000000029802322, 9.9999995670552931e-15],
  [5.0, 5.25, 0.2000000029802322, 0.2000000029802322, 0.014400391535702434],
];

Deno.test("klStandardNormalPerDim() and klDiagGaussians() near σ² = 1", async (t) => {
  await t.step("the KL of log σ² → 0 is accurate to float32 rounding, not 0", () => {
    for (const [lv, want] of KL_NEAR_ONE) {
      const [got] = read(klStandardNormalPerDim(tf.zeros([1, 1]), tf.fill([1, 1], lv)));
      assertClose(got!, want, { rel: 2e-6 }, `logVar ${lv}`);
      const [sum] = read(klStandardNormalTensor(tf.zeros([1, 1]), tf.fill([1, 1], lv)));
      assertClose(sum!, want, { rel: 2e-6 }, `klStandardNormal, logVar ${lv}`);
    }
  });
  await t.step("near-identical diagonal Gaussians: accurate and never negative", () => {
    for (const [lv0, lv1, mu0, mu1, want] of KL_NEAR_PAIRS) {
      const [got] = read(
        klDiagGaussians(
          tf.tensor2d([[mu0]]),
          tf.tensor2d([[lv0]]),
          tf.tensor2d([[mu1]]),
          tf.tensor2d([[lv1]]),
        ),
      );
      assertClose(got!, want, { rel: 1e-5 }, `${lv0} vs ${lv1}`);
    }
    fc.assert(
      fc.property(batch(), fc.integer({ min: -30, max: 0 }), ({ loc, logVar }, e) => {
        const eps = 2 ** e;
        const kl = read(
          klDiagGaussians(
            tf.tensor2d(loc),
            tf.tensor2d(logVar),
            tf.add(tf.tensor2d(loc), eps),
            tf.add(tf.tensor2d(logVar), eps),
          ),
        );
        kl.forEach((v) => assert.ok(v >= 0, `KL ${v} < 0`));
      }),
      { numRuns: 50 },
    );
  });
  await t.step("the gradient of the KL in logVar is ½ expm1(logVar), finite everywhere", () => {
    const lv = tf.tensor2d([[-100, -1e-6, 0, 1e-6, 3, 80]]);
    const g = read(
      tf.grad((v: tf.Tensor) => tf.sum(klStandardNormalPerDim(tf.zeros([1, 6]), v)))(lv),
    );
    [-100, -1e-6, 0, 1e-6, 3, 80].forEach((v, i) =>
      assertClose(g[i]!, 0.5 * Math.expm1(Math.fround(v)), { rel: 1e-5 }, `logVar ${v}`)
    );
  });
});

Deno.test("tensor functions give no NaN for finite input", async (t) => {
  await t.step("0·∞ does not occur: x = μ with σ → 0, ε = 0 with σ → ∞", () => {
    // log N(0; 0, e⁻²⁰⁰) = −½ (log 2π − 200); exp(100) overflows float32.
    const [lp] = read(
      diagGaussianLogProb(tf.zeros([1, 1]), tf.zeros([1, 1]), tf.fill([1, 1], -200)),
    );
    assertClose(lp!, -0.5 * (Math.log(2 * Math.PI) - 200), FLOAT32);
    const [kl] = read(
      klDiagGaussians(tf.zeros([1, 1]), tf.zeros([1, 1]), tf.zeros([1, 1]), tf.fill([1, 1], -200)),
    );
    // ½ (e²⁰⁰ − 201) is beyond float32: ∞, not NaN.
    assert.equal(kl, Infinity);
    const [z] = read(reparameterize(tf.tensor1d([3]), tf.tensor1d([1000]), tf.tensor1d([0])));
    assert.equal(z, 3);
    // σ = 1e-200: 1/σ² overflows float64 and float32, log σ² does not.
    const [g] = read(gaussianLogLikelihood(tf.zeros([1, 2]), tf.zeros([1, 2]), 1e-200));
    assertClose(g!, -(Math.log(2 * Math.PI) + 2 * Math.log(1e-200)), FLOAT32);
    const [m] = read(logMeanExp(tf.tensor2d([[0, Math.log(3)]]), -1));
    assertClose(m!, Math.log(2), FLOAT32);
  });
  await t.step("a property over values up to 1e4 in size, ±0 and subnormals", () => {
    const v = fc.oneof(
      fc.float({ min: -1e4, max: 1e4, noNaN: true }),
      fc.constantFrom(0, -0, 1e-45, -1e-45, 1e4, -1e4),
    );
    const vals = (n: number) => fc.array(v, { minLength: n, maxLength: n });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((d) => fc.tuple(vals(d), vals(d), vals(d), vals(d))),
        ([a, b, c, e]) => {
          const T = (x: number[]) => tf.tensor2d([x]);
          const p01 = a.map((x) => Math.abs(x) / 1e4);
          const outs = tf.tidy(() => [
            diagGaussianLogProb(T(a), T(b), T(c)),
            klStandardNormalPerDim(T(a), T(b)),
            klDiagGaussians(T(a), T(b), T(c), T(e)),
            reparameterize(T(a), T(b), T(c)),
            bernoulliLogProb(T(p01), T(b)),
            gaussianLogLikelihood(T(a), T(b), T(c)),
            logMeanExp(T(a), 1),
          ]);
          outs.forEach((o, i) =>
            read(o).forEach((x) => assert.ok(!Number.isNaN(x), `output ${i}`))
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

Deno.test("tensor functions check their arguments", async (t) => {
  await t.step("not a tensor, a disposed one, or shapes that do not broadcast: TypeError", () => {
    const gone = tf.zeros([1, 2]);
    gone.dispose();
    const two = tf.zeros([2, 2]), three = tf.zeros([3, 3]);
    assertThrowsNaming(
      () => diagGaussianLogProb([[0]] as never, two, two),
      TypeError,
      "x",
      "tf.Tensor",
    );
    assertThrowsNaming(() => klStandardNormalPerDim(gone, two), TypeError, "loc", "disposed");
    assertThrowsNaming(() => klDiagGaussians(two, two, two, three), TypeError, "logVar1", "[3,3]");
    assertThrowsNaming(() => bernoulliLogProb(two, tf.zeros([1, 2])), TypeError, "logits");
    assertThrowsNaming(
      () => reparameterize(two, two, tf.zeros([2, 2], "int32")),
      TypeError,
      "epsilon",
      "int32",
    );
    tf.dispose([two, three]);
  });
  await t.step("numbers: scale > 0 and axis an axis of a", () => {
    const x = tf.zeros([2, 3]);
    for (const s of [0, -1, NaN, Infinity]) {
      assertThrowsNaming(() => gaussianLogLikelihood(x, x, s), RangeError, "scale", String(s));
    }
    assertThrowsNaming(() => gaussianLogLikelihood(x, x, "1" as never), TypeError, "scale");
    for (const axis of [2, -3, 0.5, NaN]) {
      assertThrowsNaming(() => logMeanExp(x, axis), RangeError, "axis", String(axis));
    }
    assertThrowsNaming(() => logMeanExp(tf.zeros([0, 2]), 0), RangeError, "empty");
    x.dispose();
  });
});

Deno.test("the written-out gradients equal autodiff of the plain formulas", () => {
  fc.assert(
    fc.property(batch(), fc.integer({ min: 1, max: 3 }), ({ x, loc, logVar, loc1, logVar1 }, k) => {
      tf.tidy(() => {
        const n = x.length;
        // x broadcast over k samples, [k, n, d], against loc and logVar [n, d] and a scalar.
        const xs = tf.tile(tf.expandDims(tf.tensor2d(x), 0), [k, 1, 1]);
        const plainLogProb = (a: tf.Tensor, m: tf.Tensor, lv: tf.Tensor) =>
          tf.mul(
            -0.5,
            tf.sum(
              tf.add(
                tf.add(tf.mul(tf.square(tf.sub(a, m)), tf.exp(tf.neg(lv))), lv),
                Math.log(2 * Math.PI),
              ),
              -1,
            ),
          );
        const plainKl = (m0: tf.Tensor, l0: tf.Tensor, m1: tf.Tensor, l1: tf.Tensor) =>
          tf.mul(
            0.5,
            tf.sum(
              tf.sub(
                tf.add(
                  tf.exp(tf.sub(l0, l1)),
                  tf.mul(tf.square(tf.sub(m0, m1)), tf.exp(tf.neg(l1))),
                ),
                tf.add(tf.sub(l0, l1), 1),
              ),
              -1,
            ),
          );
        const up = tf.randomNormal([k, n], 0, 1, "float32", 1);
        const args = [xs, tf.tensor2d(loc), tf.tensor2d(logVar)];
        const f = (g: typeof plainLogProb) => (a: tf.Tensor, m: tf.Tensor, lv: tf.Tensor) =>
          tf.sum(tf.mul(up, g(a, m, lv)));
        const mine = tf.grads(f(diagGaussianLogProb))(args);
        const ref = tf.grads(f(plainLogProb))(args);
        mine.forEach((g, i) => assert.deepEqual(g.shape, args[i]!.shape));
        mine.forEach((g, i) =>
          g.dataSync().forEach((v, j) =>
            assertClose(v, ref[i]!.dataSync()[j]!, { abs: 1e-3, rel: 1e-3 })
          )
        );
        const sc = tf.scalar(0.3);
        const [gs] = tf.grads((lv: tf.Tensor) => tf.sum(diagGaussianLogProb(xs, args[1]!, lv)))([
          sc,
        ]);
        const [rs] = tf.grads((lv: tf.Tensor) => tf.sum(plainLogProb(xs, args[1]!, lv)))([sc]);
        assertClose(gs!.dataSync()[0]!, rs!.dataSync()[0]!, { abs: 1e-3, rel: 1e-3 });
        const kargs = [
          tf.tensor2d(loc),
          tf.tensor2d(logVar),
          tf.tensor2d(loc1),
          tf.tensor2d(logVar1),
        ];
        const km = tf.grads((a, b, c, e) => tf.sum(klDiagGaussians(a!, b!, c!, e!)))(kargs);
        const kr = tf.grads((a, b, c, e) => tf.sum(plainKl(a!, b!, c!, e!)))(kargs);
        km.forEach((g, i) =>
          g.dataSync().forEach((v, j) =>
            assertClose(v, kr[i]!.dataSync()[j]!, { abs: 1e-3, rel: 1e-3 })
          )
        );
      });
    }),
    { numRuns: 40 },
  );
});
