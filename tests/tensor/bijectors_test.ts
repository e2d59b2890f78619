// The tensor bijectors against their float64 twins (forward, inverse, both
// log-Jacobians, on fast-check points), their own laws (round trip, the
// log-Jacobian against tfjs autodiff), gradients reaching parameters and
// inputs (also inside an optimizer's minimize), errors, and tensor counts.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { fc } from "../_fc.ts";
import { logAbsDet } from "../../lib/testing/bijector_laws.ts";
import { assertClose, FLOAT32, type Tolerance } from "../_tolerance.ts";
import { agree, worstTable } from "./_conformance.ts";
import { onEveryBackend, THREADED } from "./_backends.ts";

await T.useBackend("cpu");

const num = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map(Math.fround);
const vec = (n: number, min: number, max: number) =>
  fc.array(num(min, max), { minLength: n, maxLength: n });
/** A non-zero scale, |a| in [0.2, 5]. */
const nonzero = () => fc.tuple(num(0.2, 5), fc.boolean()).map(([a, neg]) => (neg ? -a : a));

function read(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Runs `fn` and checks that it leaves no tensor behind. */
function noLeak(fn: () => void): void {
  const before = tf.memory().numTensors;
  fn();
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
}

type Map = (v: ArrayLike<number>) => Float64Array;

/** A tensor bijector, its float64 twin, and what frees the tensor one. */
interface Pair {
  t: T.TensorBijector;
  c: core.Bijector;
  free(): void;
}

/**
 * A pair of twins made afresh by `make` (fast-check may replay a value while
 * shrinking, so the tensors are not made by the arbitrary), and m points x
 * of d coordinates each (event rank 1).
 */
interface Case {
  make: () => Pair;
  d: number;
  m: number;
  x: number[];
  /** Whether the twins act coordinate by coordinate. */
  elementwise: boolean;
}

/** m rows of d values in [lo, hi], for twins made from d. */
const rowsOf = (
  dims: fc.Arbitrary<number>,
  lo: number,
  hi: number,
  elementwise: boolean,
  make: (d: number) => fc.Arbitrary<() => Pair>,
): fc.Arbitrary<Case> =>
  fc.record({ d: dims, m: fc.integer({ min: 1, max: 3 }) }).chain(({ d, m }) =>
    fc.tuple(make(d), vec(m * d, lo, hi)).map(([make, x]) => ({ make, d, m, x, elementwise }))
  );

const dim = fc.integer({ min: 1, max: 4 });
/** Twins of members `ts` (outermost first) and their core chain, or a single pair. */
const pair = (ts: T.TensorBijector[], c: core.Bijector, chain = false): Pair => ({
  t: chain || ts.length !== 1 ? new T.Chain(ts) : ts[0]!,
  c,
  free: () => ts.forEach((b) => b.dispose()),
});

/** A parameter as one number or one per coordinate, for both layers. */
const param = (d: number, arb: fc.Arbitrary<number>) =>
  fc.oneof(arb, fc.array(arb, { minLength: d, maxLength: d }));

/** One case per exported tensor bijector. */
const CASES: Record<string, fc.Arbitrary<Case>> = {
  Exp: rowsOf(dim, -80, 80, true, () => fc.constant(() => pair([new T.Exp()], new core.Exp()))),
  // To −80 and 80: softplus(−17) = 4·10⁻⁸ is where log(1 + eˣ) in float32 gave 0.
  Softplus: rowsOf(
    dim,
    -80,
    80,
    true,
    () => fc.constant(() => pair([new T.Softplus()], new core.Softplus())),
  ),
  Sigmoid: rowsOf(
    dim,
    -30,
    30,
    true,
    () => fc.constant(() => pair([new T.Sigmoid()], new core.Sigmoid())),
  ),
  Shift: rowsOf(
    dim,
    -10,
    10,
    true,
    (d) => param(d, num(-5, 5)).map((s) => () => pair([new T.Shift(s)], new core.Shift(s))),
  ),
  Scale: rowsOf(
    dim,
    -10,
    10,
    true,
    (d) => param(d, nonzero()).map((a) => () => pair([new T.Scale(a)], new core.Scale(a))),
  ),
  Chain: fc.oneof(
    // Elementwise: a sigmoid shifted and scaled, parameters per coordinate.
    rowsOf(
      dim,
      -5,
      5,
      true,
      (d) =>
        fc.tuple(vec(d, -3, 3), fc.array(nonzero(), { minLength: d, maxLength: d })).map(
          ([s, a]) => () =>
            pair(
              [new T.Shift(s), new T.Scale(a), new T.Sigmoid()],
              new core.Chain([new core.Shift(s), new core.Scale(a), new core.Sigmoid()]),
            ),
        ),
    ),
    // Ranks threaded: a vector shifted, then filled into a matrix (one axis more).
    rowsOf(fc.constantFrom(1, 3, 6), -4, 4, false, (d) =>
      vec(d, -2, 2).map((s) => () =>
        pair(
          [new T.FillScaleTriL({ diagShift: 0.1 }), new T.Shift(s)],
          new core.Chain([new core.FillScaleTriL({ diagShift: 0.1 }), new core.Shift(s)]),
        )
      )),
    // Onto the simplex after an affine map; a chain of one; the empty chain (the identity).
    rowsOf(dim, -3, 3, false, () =>
      nonzero().map((a) => () =>
        pair(
          [new T.SoftmaxCentered(), new T.Scale(a)],
          new core.Chain([new core.SoftmaxCentered(), new core.Scale(a)]),
        )
      )),
    rowsOf(
      dim,
      -10,
      10,
      true,
      () => fc.constant(() => pair([new T.Exp()], new core.Chain([new core.Exp()]), true)),
    ),
    rowsOf(dim, -10, 10, true, () => fc.constant(() => pair([], new core.Chain([]), true))),
  ),
  FillScaleTriL: rowsOf(
    fc.constantFrom(1, 3, 6, 10),
    -5,
    5,
    false,
    () =>
      fc.constantFrom(0, 1e-5, 0.5).map((diagShift) => () =>
        pair([new T.FillScaleTriL({ diagShift })], new core.FillScaleTriL({ diagShift }))
      ),
  ),
  SoftmaxCentered: rowsOf(
    dim,
    -5,
    5,
    false,
    () => fc.constant(() => pair([new T.SoftmaxCentered()], new core.SoftmaxCentered())),
  ),
};

/**
 * forward, inverse and both log-Jacobians of one case against the core, row
 * by row, to float32's tolerance (the exact answer's sensitivity to one
 * rounding of the row); the inverse at the core's y rounded to float32.
 */
function checkTwin(k: Case, { t, c }: Pair, backend: string): void {
  const { d, m } = k;
  const yShape = t.forwardEventShape([d]), ySize = yShape.reduce((a, s) => a * s, 1);
  const x = tf.tensor(k.x, [m, d]);
  const y = read(t.forward(x)), fldj = read(t.forwardLogDetJacobian(x, 1));
  assert.equal(y.length, m * ySize);
  assert.equal(fldj.length, m);
  const y32: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row = k.x.slice(i * d, (i + 1) * d);
    const want = (c.forward as Map)(row);
    y32.push(Array.from(want, Math.fround));
    want.forEach((_, j) =>
      agree(backend, y[i * ySize + j]!, (v) => (c.forward as Map)(v)[j]!, row, `${t.name}.forward`)
    );
    agree(backend, fldj[i]!, (v) => c.forwardLogDetJacobian(v), row, `${t.name}.fldj`);
  }
  const yt = tf.tensor(y32.flat(), [m, ...yShape]);
  const back = read(t.inverse(yt)), ildj = read(t.inverseLogDetJacobian(yt, 1));
  assert.equal(back.length, m * d);
  // SoftmaxCentered's y (one more coordinate than x) lies on the simplex.
  const simplex = t.name.includes("SoftmaxCentered");
  y32.forEach((row, i) => {
    // The core refuses a y that rounding put on the edge of the range (σ(x) = 1).
    if (thrown(() => c.inverse(onSimplex(row, simplex)))) return;
    for (let j = 0; j < d; j++) {
      const inv = (v: number[]) => (c.inverse as Map)(onSimplex(v, simplex))[j]!;
      agree(backend, back[i * d + j]!, inv, row, `${t.name}.inverse`);
    }
    const ild = (v: number[]) => c.inverseLogDetJacobian(onSimplex(v, simplex));
    agree(backend, ildj[i]!, ild, row, `${t.name}.ildj`);
  });
  if (k.elementwise) {
    // Event rank 0: one log-derivative per coordinate, summing to the row's.
    const per = read(t.forwardLogDetJacobian(x, 0));
    assert.equal(per.length, m * d);
    for (let i = 0; i < m; i++) {
      const row = per.slice(i * d, (i + 1) * d).reduce((a, v) => a + v, 0);
      assertClose(row, fldj[i]!, FLOAT32, `${t.name} rank 0 summed`);
    }
    // Where the core takes one coordinate alone (no per-coordinate parameters):
    if ((c as { size?: number }).size === 0) {
      k.x.forEach((v, j) =>
        agree(backend, per[j]!, ([u]) => c.forwardLogDetJacobian(u!), [v], `${t.name} rank 0`)
      );
    }
  }
  tf.dispose([x, yt]);
}

/**
 * A row of SoftmaxCentered's range that float32 rounding moved off the
 * simplex, renormalised in float64 (the core checks the sum to 10⁻¹⁰; the
 * inverse, a log-ratio, does not change); other rows as they are.
 */
function onSimplex(v: number[], simplex: boolean): number[] {
  const sum = v.reduce((a, x) => a + x, 0);
  return simplex ? v.map((x) => x / sum) : v;
}

function thrown(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

/** Looser for the round trip: a float32 y carries a relative error of 6e-8 into x. */
const INVERSE: Tolerance = { abs: 1e-4, rel: 1e-4 };

/** inverse(forward(x)) = x and fldj(x) = −ildj(f(x)), on the tensor side alone. */
function checkRoundTrip(k: Case, { t }: Pair): void {
  const x = tf.tensor(k.x, [k.m, k.d]);
  const y = t.forward(x);
  const back = read(t.inverse(y));
  back.forEach((v, i) => assertClose(v, k.x[i]!, INVERSE, `${t.name} round trip`));
  const f = read(t.forwardLogDetJacobian(x, 1)), g = read(t.inverseLogDetJacobian(y, 1));
  f.forEach((v, i) => assertClose(v, -g[i]!, INVERSE, `${t.name} fldj = −ildj`));
  tf.dispose([x, y]);
}

Deno.test(
  "tensor bijectors agree with their float64 twins on every backend",
  THREADED,
  async (t) => {
    await onEveryBackend(t, async (t, backend) => {
      for (const [name, arb] of Object.entries(CASES)) {
        await t.step(`${name}: forward, inverse, log-Jacobians; round trip`, () => {
          noLeak(() =>
            fc.assert(
              fc.property(arb, (k) => {
                const twins = k.make();
                try {
                  checkTwin(k, twins, backend);
                  if (name !== "Softplus" && name !== "Sigmoid" && name !== "Exp") {
                    checkRoundTrip(k, twins);
                  }
                } finally {
                  twins.free();
                }
              }),
              { numRuns: 60 },
            )
          );
        });
      }
    });
    console.log(worstTable());
    await t.step("every exported tensor bijector has a case and a core twin", () => {
      const exported = Object.entries(T).filter(([, v]) =>
        typeof v === "function" && v.prototype && "forwardLogDetJacobian" in v.prototype
      ).map(([n]) => n);
      // ElementwiseBijector is the abstract base of the elementwise ones, checked through them;
      // the flows and the bijectors made to compose them are the tensor layer's alone,
      // checked by the tensor bijector laws in flows_test.ts.
      const tensorOnly = new Set([
        "ElementwiseBijector",
        "VectorFlow",
        "MaskedAutoregressiveFlow",
        "RealNVP",
        "Invert",
        "Permute",
      ]);
      assert.deepEqual(
        exported.filter((n) => !tensorOnly.has(n)).sort(),
        Object.keys(CASES).sort(),
      );
      for (const n of exported.filter((n) => !tensorOnly.has(n) || n === "ElementwiseBijector")) {
        assert.equal(
          typeof (core as Record<string, unknown>)[n],
          "function",
          `the core has no ${n}`,
        );
      }
    });
  },
);

Deno.test("log-Jacobians agree with tfjs autodiff", async (t) => {
  /** The bijectors to test, and every bijector made (to dispose). */
  const elementwise = () => {
    const members = [new T.Scale(-2), new T.Softplus(), new T.Shift(1)];
    const bs = [
      new T.Exp(),
      new T.Softplus(),
      new T.Sigmoid(),
      new T.Shift([1, -2, 0.5]),
      new T.Scale([2, -0.25, 3]),
      new T.Chain(members),
    ];
    return { bs, all: [...bs, ...members] };
  };
  await t.step(
    "elementwise: log |f′(x)| = log |∂ Σ f(x) / ∂x| = forwardLogDetJacobian(x, 0)",
    () => {
      noLeak(() =>
        fc.assert(
          fc.property(fc.integer({ min: 0, max: 5 }), vec(6, -8, 8), (i, xs) => {
            const { bs, all } = elementwise(), b = bs[i]!;
            tf.tidy(() => {
              const x = tf.tensor(xs, [2, 3]);
              const g = tf.grad((v: tf.Tensor) => tf.sum(b.forward(v)))(x);
              const want = read(tf.log(tf.abs(g))), got = read(b.forwardLogDetJacobian(x, 0));
              got.forEach((v, j) => assertClose(v, want[j]!, FLOAT32, `${b.name} at ${xs[j]}`));
            });
            all.forEach((m) => m.dispose());
          }),
          { numRuns: 60 },
        )
      );
    },
  );
  await t.step("softplus has gradient ½ at 0, and its log-Jacobians are right at the edges", () => {
    noLeak(() => {
      const b = new T.Softplus();
      tf.tidy(() => {
        const g = tf.grad((v: tf.Tensor) => tf.sum(b.forward(v)))(tf.tensor1d([0, 100, -100]));
        assert.deepEqual(read(g).map((v) => Math.round(v * 1e6) / 1e6), [0.5, 1, 0]);
        // log σ(−100) = −100 exactly; −log(1 − e⁻ʸ) at y = 50 is e⁻⁵⁰, not 0 − 0 noise.
        assertClose(read(b.forwardLogDetJacobian(tf.tensor1d([-100]), 1))[0]!, -100, FLOAT32);
        const far = read(b.inverseLogDetJacobian(tf.tensor1d([50]), 1))[0]!;
        assertClose(far, Math.exp(-50), { rel: 1e-5 });
        const near = read(b.inverseLogDetJacobian(tf.tensor1d([1e-6]), 1))[0]!;
        // −log(1 − e^{−10⁻⁶}) by python3: -math.log(-math.expm1(-1e-6)) = 13.815510057964274
        assertClose(near, 13.815510057964274, { rel: 1e-6 });
      });
    });
  });
  /** The Jacobian of the free coordinates of y by one tf.grad per coordinate. */
  const jacobian = (f: (x: tf.Tensor) => tf.Tensor, xs: number[], free: number[]) =>
    free.map((k) =>
      read(
        tf.grad((v: tf.Tensor) => tf.gather(tf.reshape(f(v), [-1]), [k]).sum())(
          tf.tensor1d(xs),
        ),
      )
    );
  await t.step("FillScaleTriL: log |det| of the autodiff Jacobian of the triangle", () => {
    noLeak(() =>
      fc.assert(
        fc.property(
          fc.constantFrom(1, 2, 3, 4).chain((d) =>
            fc.tuple(fc.constant(d), vec(d * (d + 1) / 2, -4, 4))
          ),
          ([d, xs]) => {
            const b = new T.FillScaleTriL();
            const triangle: number[] = [];
            for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) triangle.push(i * d + j);
            tf.tidy(() => {
              const J = jacobian((v) => b.forward(v), xs, triangle);
              const got = read(b.forwardLogDetJacobian(tf.tensor1d(xs), 1))[0]!;
              assertClose(got, logAbsDet(J), FLOAT32);
            });
          },
        ),
        { numRuns: 30 },
      )
    );
  });
  await t.step("SoftmaxCentered: log |det| of the autodiff Jacobian of y₁…yₖ₋₁", () => {
    noLeak(() =>
      fc.assert(
        fc.property(dim.chain((k) => vec(k, -4, 4)), (xs) => {
          const b = new T.SoftmaxCentered();
          tf.tidy(() => {
            const J = jacobian((v) => b.forward(v), xs, xs.map((_, i) => i));
            const got = read(b.forwardLogDetJacobian(tf.tensor1d(xs), 1))[0]!;
            assertClose(got, logAbsDet(J), { abs: 1e-4, rel: 1e-4 });
          });
        }),
        { numRuns: 30 },
      )
    );
  });
});

/** A tf.Variable holding `v` (without leaving its initial tensor behind). */
const variable = (v: number | number[]) => tf.tidy(() => tf.variable(tf.tensor(v)));

Deno.test("gradients reach parameters and inputs", async (t) => {
  await t.step("Shift and Scale variables, through forward, inverse and the log-Jacobians", () => {
    noLeak(() => {
      const s = variable([0.5, -1]), a = variable([2, -4]);
      const shift = new T.Shift(s), scale = new T.Scale(a), chain = new T.Chain([shift, scale]);
      tf.tidy(() => {
        const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
        // f(x) = a x + s: Σ f(x) + fldj(x, 1) = Σ (a x + s) + 3 Σ log |a|
        const { grads } = tf.variableGrads(() =>
          tf.add(tf.sum(chain.forward(x)), tf.sum(chain.forwardLogDetJacobian(x, 1))) as tf.Scalar
        );
        assert.deepEqual(read(grads[s.name]!), [3, 3]);
        const ga = read(grads[a.name]!);
        assertClose(ga[0]!, 9 + 3 / 2, FLOAT32);
        assertClose(ga[1]!, 12 + 3 / -4, FLOAT32);
        // x = (y − s)/a: ∂/∂s Σ x = −3/a;  ildj = −3 Σ log|a|: ∂/∂a = −3/a
        const inv = tf.variableGrads(() =>
          tf.add(tf.sum(chain.inverse(x)), tf.sum(chain.inverseLogDetJacobian(x, 1))) as tf.Scalar
        ).grads;
        assert.deepEqual(read(inv[s.name]!), [-1.5, 0.75]);
        tf.dispose(inv);
      });
      [shift, scale, chain].forEach((b) => b.dispose());
      assert.ok(!s.isDisposed && !a.isDisposed, "a caller's variable must survive dispose()");
      tf.dispose([s, a]);
    });
  });
  await t.step("FillScaleTriL and SoftmaxCentered inputs, by tf.grads", () => {
    noLeak(() => {
      const b = new T.FillScaleTriL({ diagShift: 0 });
      tf.tidy(() => {
        const w = tf.tensor2d([[1, 0], [2, 3]]);
        const x = tf.tensor1d([0.3, -0.7, 1.1]);
        const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(b.forward(v), w)))([x]);
        // ∂/∂x: w₀₀ σ(x₀), w₁₀, w₁₁ σ(x₂)
        const sig = (v: number) => 1 / (1 + Math.exp(-v));
        read(g!).forEach((v, i) =>
          assertClose(v, [sig(0.3), 2, 3 * sig(1.1)][i]!, FLOAT32, `∂/∂x${i}`)
        );
        const sm = new T.SoftmaxCentered();
        const [h] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(sm.forward(v), tf.tensor1d([1, 0]))))(
          [tf.tensor1d([0.4])],
        );
        // ∂σ(x)/∂x = σ(x)(1 − σ(x))
        assertClose(read(h!)[0]!, sig(0.4) * (1 - sig(0.4)), FLOAT32);
      });
    });
  });
  await t.step("inside an optimizer's minimize: variables move by −η ∇", () => {
    noLeak(() => {
      const lr = 0.1;
      const xv = variable([0.3, -0.7, 1.1]), zv = variable([0.4, -0.2]);
      const av = variable(1.5), sv = variable(0.25);
      const fill = new T.FillScaleTriL({ diagShift: 0 }), soft = new T.SoftmaxCentered();
      const shift = new T.Shift(sv), scale = new T.Scale(av), affine = new T.Chain([shift, scale]);
      const w = tf.tensor2d([[1, 0], [2, 3]]), u = tf.tensor1d([1, -1, 2]);
      const loss = () =>
        tf.addN([
          tf.sum(tf.mul(fill.forward(xv), w)),
          tf.sum(fill.forwardLogDetJacobian(xv, 1)),
          tf.sum(tf.mul(soft.forward(zv), u)),
          tf.sum(affine.forward(tf.tensor1d([1, 2]))),
          tf.sum(affine.forwardLogDetJacobian(tf.tensor1d([1, 2]), 1)),
        ]) as tf.Scalar;
      const expected = tf.tidy(() => {
        const { grads } = tf.variableGrads(loss, [xv, zv, av, sv]);
        return [xv, zv, av, sv].map((v) => tf.sub(v, tf.mul(lr, grads[v.name]!)));
      });
      const opt = tf.train.sgd(lr);
      opt.minimize(loss, false, [xv, zv, av, sv]);
      [xv, zv, av, sv].forEach((v, i) => {
        const got = Array.from(v.dataSync()), want = Array.from(expected[i]!.dataSync());
        got.forEach((g, j) => assertClose(g, want[j]!, FLOAT32, `${v.name}[${j}]`));
        // Every one of them actually moved.
        assert.ok(got.some((g, j) => g !== [[0.3, -0.7, 1.1], [0.4, -0.2], [1.5], [0.25]][i]![j]));
      });
      opt.dispose();
      [fill, soft, shift, scale, affine].forEach((b) => b.dispose());
      tf.dispose([...expected, xv, zv, av, sv, w, u]);
    });
  });
});

Deno.test("tensor bijectors: shapes and event ranks", async (t) => {
  await t.step("event shapes, and log-Jacobians summed over the event axes", () => {
    noLeak(() => {
      const fill = new T.FillScaleTriL(), soft = new T.SoftmaxCentered(), exp = new T.Exp();
      assert.deepEqual(fill.forwardEventShape([6]), [3, 3]);
      assert.deepEqual(fill.forwardEventShape([2, 6]), [2, 3, 3]);
      assert.deepEqual(fill.inverseEventShape([3, 3]), [6]);
      assert.deepEqual(soft.forwardEventShape([2]), [3]);
      assert.deepEqual(soft.inverseEventShape([3]), [2]);
      assert.deepEqual(exp.forwardEventShape([]), []);
      const chain = new T.Chain([exp, fill, soft]);
      assert.equal(chain.minEventRank, 1);
      assert.deepEqual(chain.forwardEventShape([5]), [3, 3]); // 5 → 6 → 3 × 3
      assert.deepEqual(chain.inverseEventShape([3, 3]), [5]);
      tf.tidy(() => {
        const x = tf.randomNormal([4, 2, 5], 0, 1, "float32", 3);
        assert.deepEqual(chain.forward(x).shape, [4, 2, 3, 3]);
        const r1 = chain.forwardLogDetJacobian(x, 1), r2 = chain.forwardLogDetJacobian(x, 2);
        assert.deepEqual([r1.shape, r2.shape], [[4, 2], [4]]);
        // Summing over one more axis is the sum of the rank-1 values.
        read(r2).forEach((v, i) => {
          const s = r1.dataSync()[2 * i]! + r1.dataSync()[2 * i + 1]!;
          assertClose(v, s, FLOAT32);
        });
        const y = chain.forward(x);
        assert.deepEqual(chain.inverseLogDetJacobian(y, 2).shape, [4]);
        const ild = read(chain.inverseLogDetJacobian(y, 1));
        read(r1).forEach((v, i) => assertClose(v, -ild[i]!, INVERSE));
        assert.deepEqual(exp.forwardLogDetJacobian(x, 0).shape, [4, 2, 5]);
        assert.deepEqual(exp.forwardLogDetJacobian(x, 3).shape, []);
      });
      [fill, soft, exp, chain].forEach((b) => b.dispose());
    });
  });
  await t.step("a parameter broadcasts against the points", () => {
    noLeak(() => {
      const s = new T.Shift([[1], [2]]); // [2, 1] against x [3]: y [2, 3]
      tf.tidy(() => {
        const x = tf.tensor1d([0, 1, 2]);
        assert.deepEqual(read(s.forward(x)), [1, 2, 3, 2, 3, 4]);
        assert.deepEqual(s.forwardLogDetJacobian(x, 1).shape, [2]);
      });
      s.dispose();
    });
  });
  await t.step("numbers and int32 tensors become float32 tensors the bijector owns", () => {
    const before = tf.memory().numTensors;
    const i = tf.tensor1d([1, 2], "int32");
    const s = new T.Scale(i);
    assert.equal(s.scale.dtype, "float32");
    s.dispose();
    assert.ok(!i.isDisposed);
    i.dispose();
    const n = new T.Shift(3);
    assert.equal(tf.memory().numTensors, before + 1);
    n.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
  await t.step("outside the range: NaN, not an error (values stay on the device)", () => {
    noLeak(() => {
      tf.tidy(() => {
        const y = tf.tensor1d([-1]);
        for (const b of [new T.Exp(), new T.Softplus(), new T.Sigmoid()]) {
          assert.ok(Number.isNaN(read(b.inverse(y))[0]!), b.name);
        }
      });
    });
  });
});

Deno.test("tensor bijectors: clear errors", async (t) => {
  const throws = (
    fn: () => unknown,
    type: typeof TypeError | typeof RangeError,
    ...parts: string[]
  ) =>
    assert.throws(fn, (e: Error) => {
      assert.ok(e instanceof type, `${e.constructor.name}: ${e.message}`);
      for (const p of parts) assert.ok(e.message.includes(p), `"${e.message}" lacks "${p}"`);
      return true;
    });
  await t.step("bad parameters", () => {
    noLeak(() => {
      throws(() => new T.Shift(NaN), RangeError, "Cannot construct Shift as shift must be finite");
      throws(() => new T.Shift([1, Infinity]), RangeError, "shift[1]");
      throws(() => new T.Shift("a" as never), TypeError, "Cannot construct Shift");
      throws(() => new T.Scale(0), RangeError, "Cannot construct Scale as scale must be non-zero");
      throws(() => new T.Scale([1, 1e-40]), RangeError, "scale[1]", "current value is 1e-40");
      const gone = tf.scalar(1);
      gone.dispose();
      throws(() => new T.Scale(gone), TypeError, "disposed");
      throws(
        () => tf.tidy(() => void new T.Shift(tf.tensor1d(["a"] as never, "string"))),
        TypeError,
        "dtype",
      );
      throws(() => new T.FillScaleTriL({ diagShift: -1 }), RangeError, "diagShift", "-1");
      throws(() => new T.FillScaleTriL({ diagShift: "a" as never }), TypeError, "diagShift");
      throws(() => new T.FillScaleTriL(null as never), TypeError, "options");
      throws(() => new T.Chain([new T.Exp(), 1 as never]), TypeError, "bijectors[1]");
      throws(() => new T.Chain("Exp" as never), TypeError, "Cannot construct Chain");
      // A core bijector is not a tensor one.
      throws(() => new T.Chain([new core.Exp() as never]), TypeError, "bijectors[0]");
    });
  });
  await t.step("bad points, shapes and event ranks", () => {
    noLeak(() => {
      const fill = new T.FillScaleTriL(), soft = new T.SoftmaxCentered(), exp = new T.Exp();
      const x = tf.zeros([2, 4]), sq = tf.zeros([2, 3]), k1 = tf.zeros([2, 1]);
      throws(() => exp.forward(1 as never), TypeError, "Cannot compute Exp.forward as x");
      throws(() => exp.forwardLogDetJacobian(x, 3), TypeError, "eventRank", "[0, 2]");
      throws(() => exp.forwardLogDetJacobian(x, 0.5), TypeError, "eventRank");
      throws(() => fill.forward(x), TypeError, "triangular", "4");
      throws(() => tf.tidy(() => fill.forward(tf.zeros([]))), TypeError, "rank ≥ 1");
      throws(() => fill.forwardLogDetJacobian(sq, 0), TypeError, "eventRank");
      throws(() => fill.inverse(sq), TypeError, "[..., d, d]");
      throws(
        () => tf.tidy(() => fill.inverseLogDetJacobian(tf.zeros([2, 2]), 2)),
        TypeError,
        "[1, 1]",
      );
      throws(() => fill.forwardEventShape([4]), TypeError, "triangular");
      throws(() => fill.forwardEventShape([]), TypeError, "at least 1");
      throws(() => fill.inverseEventShape([2, 3]), TypeError, "[..., d, d]");
      throws(() => soft.inverse(k1), TypeError, "K ≥ 2");
      throws(() => soft.inverseEventShape([1]), TypeError, "K ≥ 2");
      throws(() => soft.forwardLogDetJacobian(x, 0), TypeError, "eventRank");
      throws(() => exp.forwardEventShape([0] as never), TypeError, "integers ≥ 1");
      const chain = new T.Chain([fill]);
      throws(() => tf.tidy(() => chain.forward(tf.zeros([]))), TypeError, "rank ≥ 1");
      throws(() => chain.forwardEventShape([4]), TypeError, "triangular");
      const gone = tf.zeros([3]);
      gone.dispose();
      throws(() => exp.inverse(gone), TypeError, "disposed");
      tf.dispose([x, sq, k1]);
    });
  });
});

Deno.test("on the wasm backend: the values and gradients of the cpu backend", async () => {
  /** Per bijector: f(x), both log-Jacobians, and ∇x of Σ w f(x) + fldj and of Σ f⁻¹(y) + ildj. */
  const run = () =>
    tf.tidy(() => {
      const members = [new T.Shift([0.5, -1, 2]), new T.Scale([2, -0.5, 1.5]), new T.Softplus()];
      const cases: Array<[T.TensorBijector, number[], number]> = [
        [new T.Exp(), [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
        [new T.Softplus(), [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
        [new T.Sigmoid(), [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
        [members[0]!, [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
        [members[1]!, [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
        [new T.Chain(members), [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
        [new T.FillScaleTriL(), [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
        [new T.SoftmaxCentered(), [0.3, -1.2, 2, 0.1, 0.5, -0.4], 3],
      ];
      const out = cases.map(([b, xs, d]) => {
        const x = tf.tensor(xs, [xs.length / d, d]);
        const y = b.forward(x);
        const w = tf.randomUniform(y.shape, -1, 1, "float32", 7);
        const gx = tf.grad((v: tf.Tensor) =>
          tf.add(tf.sum(tf.mul(w, b.forward(v))), tf.sum(b.forwardLogDetJacobian(v, 1)))
        )(x);
        const gy = tf.grad((v: tf.Tensor) =>
          tf.add(tf.sum(b.inverse(v)), tf.sum(b.inverseLogDetJacobian(v, 1)))
        )(y);
        return [y, b.forwardLogDetJacobian(x, 1), b.inverseLogDetJacobian(y, 1), gx, gy].map((
          t,
        ) => Array.from(t.dataSync()));
      });
      // A surrogate's loss: −E_q[log q(Z)] for q = LogNormal(μ, σ), in μ and σ.
      const g = tf.grads((m: tf.Tensor, s: tf.Tensor) => {
        const q = new T.LogNormal(m, s);
        return tf.neg(tf.mean(q.logProb(q.sample(64, 2))));
      })([tf.scalar(0.2), tf.scalar(0.7)]);
      out.push([g.map((t) => t.dataSync()[0]!)]);
      members.forEach((b) => b.dispose());
      return out;
    });
  const cpu = run();
  await T.useBackend("wasm");
  try {
    const wasm = run();
    cpu.forEach((parts, i) =>
      parts.forEach((p, j) =>
        p.forEach((v, k) =>
          assertClose(wasm[i]![j]![k]!, v, { abs: 1e-4, rel: 1e-4 }, `${i}.${j}.${k}`)
        )
      )
    );
  } finally {
    await T.useBackend("cpu");
  }
});
