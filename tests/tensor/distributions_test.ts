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
import { assertClose, FLOAT32 } from "../_tolerance.ts";

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
