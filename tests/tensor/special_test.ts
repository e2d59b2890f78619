// The tensor layer's special functions against the float64 core's
// (lib/math/special.ts, scipy-checked there) and against scipy, and their
// autodiff gradients: d/dx log Γ = ψ, d/dx ψ = ψ′.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../lib/tensor/backend.ts";
import { digamma, logGamma, logMultivariateBeta } from "../../lib/tensor/_special.ts";
import { digammaRemainder, stirlingRemainder } from "../../lib/tensor/_gamma_series.ts";
import { log1pmx } from "../../lib/tensor/_stable.ts";
import { digamma as digamma64, logBeta, logGamma as logGamma64 } from "../../mod.ts";
import {
  digammaRemainder as digammaRemainder64,
  stirlingRemainder as stirlingRemainder64,
} from "../../lib/math/_gamma_series.ts";
import { log1pmx as log1pmx64 } from "../../lib/math/_stable.ts";
import { fc } from "../_fc.ts";
import { assertClose, type Tolerance } from "../_tolerance.ts";

await useBackend("cpu");

const read = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

/** float32 points: log-spaced on [10⁻³, 10⁴], and dense around the zeros of log Γ and ψ. */
const GRID: number[] = [];
for (let e = -3; e <= 4.0001; e += 0.02) GRID.push(Math.fround(10 ** e));
for (let v = 0.4; v < 3; v += 0.003) GRID.push(Math.fround(v));
GRID.push(1, 2, 8, Math.fround(7.9999), Math.fround(2.5), Math.fround(0.5), Math.fround(1.5));

/** float32 rounding relative to the value, and a floor for values near 0. */
const F32: Tolerance = { abs: 1e-7, rel: 1e-6 };

function checkGrid(f: (x: tf.Tensor) => tf.Tensor, ref: (x: number) => number, tol: Tolerance) {
  const got = read(tf.tidy(() => f(tf.tensor1d(GRID))));
  GRID.forEach((x, i) => assertClose(got[i]!, ref(x), tol, `x = ${x}`));
}

Deno.test("logGamma() on tensors", async (t) => {
  await t.step("matches the core's log Γ on (0, 10⁴] to float32 rounding", () => {
    checkGrid(logGamma, logGamma64, F32);
  });
  await t.step("is relatively accurate next to its zeros at 1 and 2, and 0 there", () => {
    const xs = [0.999, 1.001, 1.999, 2.001, 0.9999, 2.0001].map(Math.fround);
    const got = read(tf.tidy(() => logGamma(tf.tensor1d(xs))));
    xs.forEach((x, i) => assertClose(got[i]!, logGamma64(x), { rel: 2e-6 }, `x = ${x}`));
    assert.deepEqual(read(tf.tidy(() => logGamma(tf.tensor1d([1, 2])))), [0, 0]);
  });
  await t.step("satisfies log Γ(x + 1) = log Γ(x) + log x", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }).map(Math.fround), (x) => {
        const [a, b] = read(tf.tidy(() => logGamma(tf.tensor1d([x, Math.fround(x + 1)]))));
        // x + 1 is rounded to float32: compare with the core at the same points.
        const want = logGamma64(Math.fround(x + 1)) - logGamma64(x);
        // Each value carries its own float32 rounding, ~6e-8 of its size.
        assertClose(
          b! - a!,
          want,
          { abs: 3e-7 + 1.2e-7 * (Math.abs(a!) + Math.abs(b!)) },
          `x = ${x}`,
        );
      }),
    );
  });
  await t.step("its autodiff gradient is ψ", () => {
    const g = read(tf.tidy(() => tf.grad((x: tf.Tensor) => logGamma(x).sum())(tf.tensor1d(GRID))));
    GRID.forEach((x, i) => assertClose(g[i]!, digamma64(x), { abs: 5e-7, rel: 2e-6 }, `x = ${x}`));
  });
});

// ψ′(x) = polygamma(1, x) at float32 points, from scipy:
//   import numpy as np; from scipy.special import polygamma
//   for x in [...]: xf = float(np.float32(x)); print([xf, float(polygamma(1, xf))])
const TRIGAMMA: [number, number][] = [
  [0.0010000000474974513, 1000001.5475382999],
  [0.10000000149011612, 101.43329616778679],
  [0.5, 4.93480220054468],
  [1.0, 1.6449340668482266],
  [1.4616321325302124, 0.9676722564619309],
  [2.5, 0.4903577561002349],
  [7.900000095367432, 0.13493078172294942],
  [8.0, 0.13313701469403144],
  [8.100000381469727, 0.1313902400006535],
  [100.0, 0.010050166663333573],
  [10000.0, 0.00010000500016666666],
];

Deno.test("digamma() on tensors", async (t) => {
  await t.step("matches the core's ψ on (0, 10⁴] to float32 rounding", () => {
    checkGrid(digamma, digamma64, F32);
  });
  await t.step("is relatively accurate next to its root x₀ ≈ 1.4616", () => {
    const xs = [1.4606, 1.4626, 1.46163, 1.4617].map(Math.fround);
    const got = read(tf.tidy(() => digamma(tf.tensor1d(xs))));
    xs.forEach((x, i) => assertClose(got[i]!, digamma64(x), { rel: 1e-5 }, `x = ${x}`));
  });
  await t.step("its autodiff gradient is the trigamma function (scipy)", () => {
    const xs = TRIGAMMA.map(([x]) => x);
    const g = read(tf.tidy(() => tf.grad((x: tf.Tensor) => digamma(x).sum())(tf.tensor1d(xs))));
    TRIGAMMA.forEach(([x, want], i) => assertClose(g[i]!, want, { rel: 1e-5 }, `x = ${x}`));
  });
});

Deno.test("the remainders of Stirling's series and log1pmx() match the core's", async (t) => {
  await t.step("stirlingRemainder() and digammaRemainder()", () => {
    checkGrid(stirlingRemainder, stirlingRemainder64, { abs: 1e-9, rel: 1e-6 });
    checkGrid(digammaRemainder, digammaRemainder64, { abs: 1e-9, rel: 1e-6 });
  });
  await t.step("log1pmx() keeps its digits near 0 and is log1p(y) − y beyond", () => {
    const ys = [-0.9, -0.5, -0.3, -1e-3, -1e-6, 1e-6, 1e-3, 0.3, 0.49, 0.5, 3, 1e4].map(
      Math.fround,
    );
    const got = read(tf.tidy(() => log1pmx(tf.tensor1d(ys))));
    ys.forEach((y, i) => assertClose(got[i]!, log1pmx64(y), { rel: 2e-6 }, `y = ${y}`));
  });
});

Deno.test("logMultivariateBeta() matches the core's log B", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 1e-3, max: 1e4, noNaN: true }).map(Math.fround), {
        minLength: 2,
        maxLength: 5,
      }),
      (a) => {
        const got = read(tf.tidy(() => logMultivariateBeta(tf.tensor1d(a))))[0]!;
        // log B(α) = Σ log Γ(αᵢ) − log Γ(s), with s in float64 (and a pair through logBeta).
        const s = a.reduce((x, y) => x + y, 0);
        const want = a.length === 2
          ? logBeta(a[0]!, a[1]!)
          : a.reduce((x, y) => x + logGamma64(y), 0) - logGamma64(s);
        // float32 rounding relative to the terms αᵢ log(αᵢ/s), and of s itself
        // (an error δ in s moves log B by about δ).
        const size = a.reduce((x, y) => x + Math.abs(y * Math.log(y / s)), 1);
        assertClose(got, want, { abs: 1e-6 * size + 1.2e-7 * s, rel: 1e-6 }, `α = ${a}`);
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("the special functions free every tensor they make", () => {
  const x = tf.tensor1d([0.1, 1.5, 9]), before = tf.memory().numTensors;
  for (const f of [logGamma, digamma, stirlingRemainder, digammaRemainder, log1pmx]) {
    f(x).dispose();
  }
  logMultivariateBeta(x).dispose();
  tf.grad((v: tf.Tensor) => logGamma(v).sum())(x).dispose();
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
});
