import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tensor.ts";
import { logSumExp as logSumExp64 } from "../../mod.ts";
import { expm1MinusX, logMeanExp, logSumExp } from "../../lib/tensor/_stable.ts";
import { fc } from "../_fc.ts";
import { assertClose, FLOAT32 } from "../_tolerance.ts";

await useBackend("cpu");

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

// f(t) = eᵗ − 1 − t at float32 inputs t, from mpmath (50 digits):
//   import numpy as np, mpmath as mp; mp.mp.dps = 50
//   x = mp.mpf(float(np.float32(t))); print(mp.nstr(mp.e**x - 1 - x, 17))
const F_NEAR_ZERO: [number, number][] = [
  [9.99999993922529e-09, 4.9999999558919569e-17],
  [-9.99999993922529e-09, 4.9999999225586242e-17],
  [3.000000106112566e-07, 4.5000007683377847e-14],
  [9.999999974752427e-07, 5.0000016414194978e-13],
  [-9.999999747378752e-06, 4.9999830807550178e-11],
  [9.999999747378752e-05, 5.00016641819954e-9],
  [-0.0010000000474974513, 4.9983342246537968e-7],
  [0.009999999776482582, 5.0167081921670171e-5],
  [-0.30000001192092896, 0.040818223771405496],
  [0.49000000953674316, 0.14231622598561643],
  [0.699999988079071, 0.31375269538560266],
  [5.0, 142.4131591025766],
  [-20.0, 19.000000002061154],
  [40.0, 2.3538526683701994e+17],
];

Deno.test("expm1MinusX() is eᵗ − 1 − t without cancellation", async (t) => {
  await t.step("accurate to float32 rounding near 0, where eᵗ − 1 − t rounds to 0", () => {
    const got = read(expm1MinusX(tf.tensor1d(F_NEAR_ZERO.map(([x]) => x))));
    F_NEAR_ZERO.forEach(([x, want], i) => assertClose(got[i]!, want, { rel: 2e-6 }, `t = ${x}`));
  });
  await t.step("never negative, and its gradient is expm1(t), finite everywhere", () => {
    const xs = [-100, -1e-6, 0, 1e-6, 3, 80];
    const g = read(tf.grad((v: tf.Tensor) => tf.sum(expm1MinusX(v)))(tf.tensor1d(xs)));
    xs.forEach((x, i) => assertClose(g[i]!, Math.expm1(Math.fround(x)), { rel: 1e-5 }, `t = ${x}`));
    fc.assert(
      fc.property(fc.float({ min: -80, max: 80, noNaN: true }), (x) => {
        assert.ok(read(expm1MinusX(tf.scalar(x)))[0]! >= 0, `f(${x}) < 0`);
      }),
      { numRuns: 100 },
    );
  });
});

Deno.test("logSumExp() and logMeanExp() over one axis", async (t) => {
  await t.step("agree with the float64 logSumExp (minus log k)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((k) =>
          fc.array(
            fc.array(fc.float({ min: -80, max: 80, noNaN: true }), {
              minLength: k,
              maxLength: k,
            }),
            { minLength: 1, maxLength: 4 },
          )
        ),
        (rows) => {
          const a = tf.tensor2d(rows);
          const lse = read(logSumExp(a, 1)), lme = read(logMeanExp(a, 1));
          a.dispose();
          rows.forEach((row, i) => {
            assertClose(lse[i]!, logSumExp64(row), FLOAT32);
            assertClose(lme[i]!, logSumExp64(row) - Math.log(row.length), FLOAT32);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
  await t.step("no overflow for large values; −∞ where every term is −∞ (not NaN)", () => {
    const [big] = read(logMeanExp(tf.tensor2d([[1e4, 1e4]]), 1));
    assertClose(big!, 1e4, FLOAT32);
    const [m] = read(logMeanExp(tf.tensor2d([[0, Math.log(3)]]), 1));
    assertClose(m!, Math.log(2), FLOAT32);
    assert.deepEqual(read(logSumExp(tf.tensor2d([[-Infinity, -Infinity], [0, -Infinity]]), 1)), [
      -Infinity,
      0,
    ]);
  });
});
