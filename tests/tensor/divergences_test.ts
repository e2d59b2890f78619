import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  Bernoulli,
  Exponential,
  klDivergence,
  MultivariateNormal,
  Normal,
  useBackend,
} from "../../tensor.ts";
import * as core from "../../mod.ts";
import { createRng } from "../../mod.ts";
import { fc } from "../_fc.ts";
import { assertClose } from "../_tolerance.ts";

await useBackend("cpu");

const read = async (t: tf.Tensor) => {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
};

// KL(Bernoulli(σ(a)) ‖ Bernoulli(σ(b))) = A(b) − A(a) − σ(a)(b − a), A = log(1 + eˣ), at
// float32 logits [a, b], from mpmath (60 digits):
//   import numpy as np, mpmath as mp; mp.mp.dps = 60
//   A = lambda x: mp.log(1 + mp.e**x); sig = lambda x: 1 / (1 + mp.e**(-x))
//   a, b = mp.mpf(float(np.float32(a))), mp.mpf(float(np.float32(a + d)))
//   print(mp.nstr(A(b) - A(a) - sig(a) * (b - a), 17))
const BERNOULLI: [number, number, number][] = [
  [0.30000001192092896, 0.30000999569892883, 1.2183285663692128e-11],
  [0.30000001192092896, 0.3009999990463257, 1.222199377949533e-7],
  [5.0, 5.000100135803223, 3.3329529798438421e-11],
  [-8.0, -7.999999046325684, 1.5244849112341812e-16],
  [12.0, 12.00100040435791, 3.0735283617350462e-12],
  [-15.0, -14.979999542236328, 6.1593172304101849e-11],
  [3.0, 2.9600000381469727, 3.6580962981431266e-5],
  [0.0, 0.07000000029802322, 0.00061237499396510654],
  [-2.0, -1.399999976158142, 0.021967647536492434],
  [7.0, 6.099999904632568, 0.00050894384404780922],
  [1.0, 4.0, 0.51171250450957227],
  [20.0, 22.0, 2.3401004253140133e-9],
  [-20.0, -23.0, 4.2249260305679836e-9],
];
// KL(N(0, e^{2l₀}) ‖ N(0, e^{2l₁})) = ½ (e^{2Δ} − 1 − 2Δ), Δ = l₀ − l₁, at float32 log-scales
// [l₀, l₁], from mpmath as above; the same numbers are KL(Exp(e^{−2l₀}) ‖ Exp(e^{−2l₁})) / 1
// with δ = 2Δ.
const GAUSSIAN: [number, number, number][] = [
  [0.0, 9.999999974752427e-07, 9.9999932828415714e-13],
  [0.5, 0.5001000165939331, 1.0002652096733436e-8],
  [-3.0, -3.0000200271606445, 4.0109251862685576e-10],
  [2.0, 1.9900000095367432, 0.00010066982072300646],
];

Deno.test("tensor klDivergence() of near-identical distributions", async (t) => {
  await t.step("Bernoulli: accurate to float32 rounding, in both tails", async () => {
    for (const [a, b, want] of BERNOULLI) {
      const [got] = await read(
        klDivergence(new Bernoulli({ logits: [a] }), new Bernoulli({ logits: [b] })),
      );
      assertClose(got!, want, { rel: 2e-6 }, `logits ${a} → ${b}`);
    }
  });
  await t.step("Normal: accurate for log-scales 1e-6 apart", async () => {
    for (const [l0, l1, want] of GAUSSIAN) {
      const [got] = await read(
        klDivergence(Normal.fromLogScale(0, l0), Normal.fromLogScale(0, l1)),
      );
      assertClose(got!, want, { rel: 2e-6 }, `log-scales ${l0}, ${l1}`);
    }
  });
  await t.step("Bernoulli, Normal and Exponential: never negative", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.integer({ min: -40, max: 0 }),
        fc.boolean(),
        async (a, e, up) => {
          const b = a + (up ? 1 : -1) * 2 ** e;
          const kls = [
            klDivergence(new Bernoulli({ logits: [a] }), new Bernoulli({ logits: [b] })),
            klDivergence(Normal.fromLogScale(0, a / 10), Normal.fromLogScale(0, b / 10)),
            klDivergence(new Exponential(Math.exp(a / 10)), new Exponential(Math.exp(b / 10))),
          ];
          for (const kl of kls) {
            const [v] = await read(kl);
            assert.ok(v! >= 0, `KL ${v} < 0 for ${a} vs ${b}`);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
  await t.step(
    "MultivariateNormal: never negative, and the core's value, for near-identical pairs",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 2, max: 12 }),
          fc.integer({ min: -24, max: -8 }),
          fc.noShrink(fc.nat()),
          async (d, e, seed) => {
            const rng = createRng(seed);
            const L = Array.from({ length: d }, (_, i) =>
              Array.from(
                { length: d },
                (_, j) => (j < i ? rng.normal() / 2 : j === i ? 1 + rng.uniform() : 0),
              ));
            const L1 = L.map((row) => row.map((v) => v * (1 + 2 ** e * rng.normal())));
            const loc = Array.from({ length: d }, () => rng.normal());
            const loc1 = loc.map((v) => v + 2 ** e * rng.normal());
            const p = new MultivariateNormal(loc, L), q = new MultivariateNormal(loc1, L1);
            const [v] = await read(klDivergence(p, q));
            p.dispose();
            q.dispose();
            assert.ok(v! >= 0, `KL ${v} < 0 at d = ${d}, perturbation 2^${e}`);
            const want = core.klDivergence(
              new core.MultivariateNormal(loc, L),
              new core.MultivariateNormal(loc1, L1),
            );
            assertClose(v!, want, { abs: 1e-6, rel: 1e-2 }, `d = ${d}, 2^${e}`);
          },
        ),
        { numRuns: 30 },
      );
    },
  );
  await t.step("the Bernoulli KL's gradient is the closed form in every branch", async () => {
    const a = tf.tensor1d([0.3, 5, -8, 12, 0.3, -15, 20]);
    const b = tf.tensor1d([0.30001, 5.0001, -7, 14, -2, -14.98, 22]);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      klDivergence(new Bernoulli({ logits: x }), new Bernoulli({ logits: y })).sum()
    )([a, b]);
    const A = await read(a), B = await read(b);
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    // ∂/∂a = −σ(a)σ(−a)(b − a),   ∂/∂b = σ(b) − σ(a).
    (await read(ga!)).forEach((g, i) =>
      assertClose(g, -sig(A[i]!) * sig(-A[i]!) * (B[i]! - A[i]!), { abs: 1e-9, rel: 1e-4 })
    );
    (await read(gb!)).forEach((g, i) =>
      assertClose(g, sig(B[i]!) - sig(A[i]!), { abs: 1e-9, rel: 1e-4 })
    );
  });
});
