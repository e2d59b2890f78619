// The tensor TransformedDistribution and LogNormal: densities that integrate
// to 1 by quadrature, agreement with the float64 twins (also for vector
// bijectors and batches), closed forms where f is affine, sampling and its
// gradients, the LogNormal‖LogNormal KL, errors, and tensor counts.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertWithinSE, FLOAT32, type Tolerance } from "../_tolerance.ts";

await T.useBackend("cpu");

const num = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map(Math.fround);
const vec = (n: number, min: number, max: number) =>
  fc.array(num(min, max), { minLength: n, maxLength: n });
/** Looser where a float32 y carries its rounding through an inverse map. */
const INVERSE: Tolerance = { abs: 1e-4, rel: 1e-4 };

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

/** Composite Simpson's rule of exp(logProb) on [a, b] with n (even) intervals. */
function integrate(d: T.TensorDistribution, a: number, b: number, n: number, shape: number[] = []) {
  const h = (b - a) / n;
  const ys = Array.from({ length: n + 1 }, (_, i) => a + i * h);
  const lp = read(tf.tidy(() => d.logProb(tf.tensor(ys, [n + 1, ...shape]))));
  let s = 0;
  lp.forEach((l, i) => {
    assert.ok(!Number.isNaN(l), `logProb(${ys[i]}) is NaN`);
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(l);
  });
  return (s * h) / 3;
}

Deno.test("transformed densities integrate to 1 by quadrature", async (t) => {
  const cases: Array<[string, () => { d: T.TensorDistribution; free: () => void }, number[]]> = [
    ["LogNormal(0.3, 0.6) on (0, 40)", () => {
      const d = new T.LogNormal(0.3, 0.6);
      return { d, free: () => d.dispose() };
    }, [0, 40]],
    ["Sigmoid ∘ Normal(0.3, 1.2) on [0, 1], its ends included", () => {
      const b = new T.Normal(0.3, 1.2), f = new T.Sigmoid();
      return { d: new T.TransformedDistribution(b, f), free: () => b.dispose() };
    }, [0, 1]],
    ["Softplus ∘ Normal(−1, 0.8) on [0, 12]", () => {
      const b = new T.Normal(-1, 0.8), f = new T.Softplus();
      return { d: new T.TransformedDistribution(b, f), free: () => b.dispose() };
    }, [0, 12]],
    ["Chain([Shift(1), Scale(2), Exp]) ∘ Normal(0, 0.5) on [1, 30]", () => {
      const b = new T.Normal(0, 0.5), m = [new T.Shift(1), new T.Scale(2), new T.Exp()];
      return {
        d: new T.TransformedDistribution(b, new T.Chain(m)),
        free: () => [b, ...m].forEach((x) => x.dispose()),
      };
    }, [1, 30]],
  ];
  for (const [name, make, [a, b]] of cases) {
    await t.step(name, () => {
      noLeak(() => {
        const { d, free } = make();
        assertClose(integrate(d, a!, b!, 40000), 1, { abs: 1e-4 }, name);
        free();
      });
    });
  }
  await t.step("FillScaleTriL ∘ DiagNormal([0.2], [0.5]): a 1 × 1 'matrix' on (0.1, 12]", () => {
    noLeak(() => {
      const base = new T.DiagNormal([0.2], [0.5]), f = new T.FillScaleTriL({ diagShift: 0.1 });
      const d = new T.TransformedDistribution(base, f);
      assert.deepEqual(d.eventShape, [1, 1]);
      assertClose(integrate(d, 0.1, 12, 40000, [1, 1]), 1, { abs: 1e-4 });
      base.dispose();
    });
  });
});

/** A tensor distribution, its float64 twins (one per batch member), and points [m, ...batch, ...event]. */
interface Twin {
  d: T.TransformedDistribution;
  twins: core.Distribution[];
  x: number[];
  m: number;
}

/** logProb of one case against its twins, point by point (`affine`: mean, variance, entropy too). */
function checkTwin(c: Twin, tol: Tolerance, affine: boolean): void {
  const { d } = c, B = c.twins.length, E = d.eventShape.reduce((a, s) => a * s, 1);
  const lp = read(
    tf.tidy(() => d.logProb(tf.tensor(c.x, [c.m, ...d.batchShape, ...d.eventShape]))),
  );
  assert.equal(lp.length, c.m * B);
  for (let j = 0; j < c.m; j++) {
    for (let i = 0; i < B; i++) {
      const at = (j * B + i) * E;
      const point = d.eventShape.length === 0 ? c.x[at]! : c.x.slice(at, at + E);
      const want = (c.twins[i]!.logProb as (x: unknown) => number)(point);
      assertClose(lp[j * B + i]!, want, tol, `${d.bijector.name} logProb at ${point}`);
    }
  }
  if (!affine) {
    for (const m of ["mean", "variance", "entropy"] as const) {
      assert.throws(
        () => d[m](),
        (e: Error) => e instanceof TypeError && /Monte Carlo/.test(e.message),
      );
    }
    return;
  }
  const mean = read(d.mean()), variance = read(d.variance()), h = read(d.entropy());
  c.twins.forEach((tw, i) => {
    const m = tw.mean(), v = tw.variance();
    (typeof m === "number" ? [m] : Array.from(m)).forEach((w, k) =>
      assertClose(mean[i * E + k]!, w, tol, "mean")
    );
    (typeof v === "number" ? [v] : Array.from(v)).forEach((w, k) =>
      assertClose(variance[i * E + k]!, w, tol, "variance")
    );
    assertClose(h[i]!, tw.entropy(), tol, "entropy");
  });
}

const dims = fc.record({
  b: fc.integer({ min: 1, max: 3 }),
  d: fc.integer({ min: 1, max: 3 }),
  m: fc.integer({ min: 1, max: 3 }),
});

Deno.test("TransformedDistribution agrees with the core's", async (t) => {
  await t.step(
    "Normal batch through Sigmoid (points in and out of (0, 1)); no closed forms",
    () => {
      noLeak(() =>
        fc.assert(
          fc.property(
            dims.chain(({ b, m }) =>
              fc.tuple(fc.constant(m), vec(b, -3, 3), vec(b, 0.3, 3), vec(m * b, -0.2, 1.2))
            ),
            ([m, loc, scale, x]) => {
              const base = new T.Normal(loc, scale);
              checkTwin(
                {
                  d: new T.TransformedDistribution(base, new T.Sigmoid()),
                  twins: loc.map((l, i) =>
                    new core.TransformedDistribution(
                      new core.Normal(l, scale[i]!),
                      new core.Sigmoid(),
                    )
                  ),
                  x,
                  m,
                },
                INVERSE,
                false,
              );
              base.dispose();
            },
          ),
          { numRuns: 40 },
        )
      );
    },
  );
  await t.step("DiagNormal batch through Chain([Shift, Scale]): closed forms", () => {
    noLeak(() =>
      fc.assert(
        fc.property(
          dims.chain(({ b, d, m }) =>
            fc.tuple(
              fc.constant({ b, d, m }),
              vec(b * d, -3, 3),
              vec(b * d, 0.3, 3),
              vec(d, -2, 2),
              vec(d, 0.2, 3),
              fc.boolean(),
              vec(m * b * d, -8, 8),
            )
          ),
          ([{ b, d, m }, loc, scale, s, a, flip, x]) => {
            const rows = (v: number[]) =>
              Array.from({ length: b }, (_, i) => v.slice(i * d, (i + 1) * d));
            const sa = a.map((v) => (flip ? -v : v));
            const base = new T.DiagNormal(rows(loc), rows(scale));
            const members = [new T.Shift(s), new T.Scale(sa)];
            checkTwin(
              {
                d: new T.TransformedDistribution(base, new T.Chain(members)),
                twins: rows(loc).map((l, i) =>
                  new core.TransformedDistribution(
                    new core.DiagNormal(l, rows(scale)[i]!),
                    new core.Chain([new core.Shift(s), new core.Scale(sa)]),
                  )
                ),
                x,
                m,
              },
              FLOAT32,
              true,
            );
            [base, ...members].forEach((v) => v.dispose());
          },
        ),
        { numRuns: 40 },
      )
    );
  });
  await t.step("DiagNormal through SoftmaxCentered and FillScaleTriL (vector bijectors)", () => {
    noLeak(() =>
      fc.assert(
        fc.property(
          fc.constantFrom(1, 3, 6).chain((d) =>
            fc.tuple(fc.constant(d), vec(d, -2, 2), vec(d, 0.3, 2), vec(2 * d, -3, 3))
          ),
          ([d, loc, scale, xs]) => {
            for (
              const [tb, cb] of [
                [new T.SoftmaxCentered(), new core.SoftmaxCentered()],
                [
                  new T.FillScaleTriL({ diagShift: 0.05 }),
                  new core.FillScaleTriL({ diagShift: 0.05 }),
                ],
              ] as const
            ) {
              const base = new T.DiagNormal(loc, scale);
              // Points of Y: the core's images of two points x (rounded to float32 by the tensor).
              const ys = [xs.slice(0, d), xs.slice(d)].flatMap((x) => Array.from(cb.forward(x)));
              checkTwin(
                {
                  d: new T.TransformedDistribution(base, tb),
                  twins: [new core.TransformedDistribution(new core.DiagNormal(loc, scale), cb)],
                  x: ys,
                  m: 2,
                },
                { abs: 2e-4, rel: 2e-4 },
                false,
              );
              base.dispose();
            }
          },
        ),
        { numRuns: 30 },
      )
    );
  });
  await t.step("outside the range: −∞; a NaN point stays NaN", () => {
    noLeak(() => {
      const base = new T.Normal(0, 1), d = new T.TransformedDistribution(base, new T.Exp());
      const at = (v: number[][] | number[]) => read(tf.tidy(() => d.logProb(tf.tensor(v))));
      assert.deepEqual(at([-1, 0, Infinity, NaN]), [
        -Infinity,
        -Infinity,
        -Infinity,
        NaN,
      ]);
      const sb = new T.DiagNormal([0, 0], [1, 1]);
      const s = new T.TransformedDistribution(sb, new T.SoftmaxCentered());
      // One coordinate ≤ 0: off the simplex's interior; a NaN anywhere in a point: NaN.
      const on = (v: number[][]) => read(tf.tidy(() => s.logProb(tf.tensor(v))));
      assert.deepEqual(on([[0.5, 0.5, 0], [0.2, NaN, 0.3], [-0.1, 0.6, 0.5]]), [
        -Infinity,
        NaN,
        -Infinity,
      ]);
      [base, sb].forEach((v) => v.dispose());
    });
  });
});

Deno.test("LogNormal agrees with the core's LogNormal", async (t) => {
  await t.step("logProb, mean, variance, entropy on a batch", () => {
    noLeak(() =>
      fc.assert(
        fc.property(
          dims.chain(({ b, m }) =>
            fc.tuple(fc.constant(m), vec(b, -3, 3), vec(b, 0.1, 2.5), vec(m * b, -0.5, 20))
          ),
          ([m, loc, scale, x]) => {
            const d = new T.LogNormal(loc, scale);
            checkTwin(
              {
                d,
                twins: loc.map((l, i) => new core.LogNormal(l, scale[i]!)),
                x,
                m,
              },
              FLOAT32,
              true,
            );
            d.dispose();
          },
        ),
        { numRuns: 60 },
      )
    );
  });
  await t.step("the variance at the edges of its three forms", () => {
    noLeak(() => {
      // Tiny σ with a large μ (σ² e^{2μ}), σ² = 36, σ² = 100 (where expm1 overflows float32).
      const loc = [10, -3, -70, 0.5], scale = [1e-6, 6, 10, 1e-3];
      const d = new T.LogNormal(loc, scale);
      read(d.variance()).forEach((v, i) =>
        assertClose(v, new core.LogNormal(loc[i]!, scale[i]!).variance(), { rel: 2e-5 }, `${i}`)
      );
      // The gradient of the variance is finite in every branch.
      const sv = tf.tensor1d(scale);
      const g = tf.grad((s: tf.Tensor) => {
        const e = new T.LogNormal(loc, s);
        const v = tf.sum(tf.log(e.variance()));
        e.dispose();
        return v;
      })(sv);
      assert.ok(read(g).every(Number.isFinite));
      [d, sv].forEach((v) => v.dispose());
    });
  });
  await t.step("sampling: positive, seeded, moments within standard errors", () => {
    noLeak(() => {
      const d = new T.LogNormal([0.2, -1], [0.5, 0.3]);
      const a = d.sample(20000, 11), b = d.sample(20000, 11);
      assert.deepEqual(a.shape, [20000, 2]);
      assert.deepEqual(a.dataSync(), b.dataSync());
      b.dispose();
      const draws = read(tf.tidy(() => tf.transpose(a)));
      a.dispose();
      const mean = read(d.mean());
      for (let k = 0; k < 2; k++) {
        const col = draws.slice(k * 20000, (k + 1) * 20000);
        assert.ok(col.every((v) => v > 0));
        const est = core.meanAndStandardError(col);
        assertWithinSE(est, mean[k]!, 4.5, `mean ${k}`);
      }
      d.dispose();
    });
  });
  await t.step(
    "reparameterized: ∂/∂μ and ∂/∂σ of a Monte Carlo E[Y] match the analytic ones",
    () => {
      noLeak(() => {
        const n = 20000, mu = 0.3, sigma = 0.4;
        // Per-draw gradients: one copy of the parameters per draw.
        const params = [tf.fill([n], mu), tf.fill([n], sigma)];
        const [gm, gs] = tf.grads((m: tf.Tensor, s: tf.Tensor) => {
          const d = new T.LogNormal(m, s);
          const y = tf.sum(d.sample(1, 5));
          d.dispose();
          return y;
        })(params);
        tf.dispose(params);
        const mean = Math.exp(mu + sigma * sigma / 2);
        // ∂E[Y]/∂μ = E[Y], ∂E[Y]/∂σ = σ E[Y]
        assertWithinSE(core.meanAndStandardError(read(gm!)), mean, 4.5, "∂/∂μ");
        assertWithinSE(core.meanAndStandardError(read(gs!)), sigma * mean, 4.5, "∂/∂σ");
      });
    },
  );
  await t.step(
    "TensorDistributionBase.tidy and dispose free all it made, never the caller's",
    () => {
      noLeak(() => {
        const d = T.TensorDistributionBase.tidy(() => new T.LogNormal(tf.zeros([3]), tf.ones([3])));
        d.dispose();
      });
      noLeak(() => {
        const loc = tf.zeros([2]), scale = tf.ones([2]);
        const d = new T.LogNormal(loc, scale);
        d.dispose();
        assert.ok(!loc.isDisposed && !scale.isDisposed);
        tf.dispose([loc, scale]);
        const e = new T.LogNormal([1, 2], 3);
        e.dispose();
      });
    },
  );
});

Deno.test("gradients reach the bijector's variables through logProb and sample", () => {
  noLeak(() => {
    const s = tf.tidy(() => tf.variable(tf.scalar(0.5))),
      a = tf.tidy(() => tf.variable(tf.scalar(2)));
    const base = new T.Normal(0, 1), shift = new T.Shift(s), scale = new T.Scale(a);
    const d = new T.TransformedDistribution(base, new T.Chain([shift, scale]));
    tf.tidy(() => {
      // y = a x + s: log p(y) = log φ((y − s)/a) − log a; at y = 1.5: z = 0.5
      const { grads } = tf.variableGrads(() => d.logProb(1.5).sum() as tf.Scalar);
      assertClose(read(grads[s.name]!)[0]!, 0.5 / 2, FLOAT32); // z/a
      assertClose(read(grads[a.name]!)[0]!, 0.25 / 2 - 1 / 2, FLOAT32); // z²/a − 1/a
      // Σ draws a x + s: ∂/∂s = n
      const g = tf.variableGrads(() => d.sample(7, 1).sum() as tf.Scalar).grads;
      assertClose(read(g[s.name]!)[0]!, 7, FLOAT32);
    });
    d.dispose();
    assert.ok(!base.loc.isDisposed, "dispose() must not free the base");
    [base, shift, scale].forEach((v) => v.dispose());
    tf.dispose([s, a]);
  });
});

Deno.test("a surrogate's own draws: ∇ of E_q[log q(Z)] reaches its variables", () => {
  noLeak(() => {
    // q = Softplus ∘ N(μ, σ): E_q[−log q(Z)] = H[N(μ, σ)] + E[log softplus′(X)], whose
    // reparameterized gradient in log σ is 1 + E[ε σ ∂/∂x log σ(x)]: finite and non-zero.
    const mu = tf.tidy(() => tf.variable(tf.scalar(0.3)));
    const logSigma = tf.tidy(() => tf.variable(tf.scalar(-0.5)));
    const f = new T.Softplus();
    const { value, grads } = tf.variableGrads(() => {
      const q = T.Normal.fromLogScale(mu, logSigma);
      const d = new T.TransformedDistribution(q, f);
      const z = d.sample(256, 3);
      const loss = tf.neg(tf.mean(d.logProb(z))) as tf.Scalar;
      q.dispose();
      return loss;
    });
    for (const v of [mu, logSigma]) {
      const g = read(grads[v.name]!)[0]!;
      assert.ok(Number.isFinite(g) && g !== 0, `∂/∂${v.name} = ${g}`);
    }
    assert.ok(Number.isFinite(read(value)[0]!));
    tf.dispose([mu, logSigma]);
  });
});

Deno.test("klLogNormal: the KL of the underlying Normals, registered", async (t) => {
  await t.step("agrees with the core's klLogNormal, and klDivergence finds it", () => {
    noLeak(() =>
      fc.assert(
        fc.property(num(-3, 3), num(0.2, 3), num(-3, 3), num(0.2, 3), (m0, s0, m1, s1) => {
          const p = new T.LogNormal(m0, s0), q = new T.LogNormal(m1, s1);
          const want = core.klLogNormal(new core.LogNormal(m0, s0), new core.LogNormal(m1, s1));
          assertClose(read(T.klLogNormal(p, q))[0]!, want, { abs: 2e-5, rel: 1e-4 });
          assertClose(read(T.klDivergence(p, q))[0]!, want, { abs: 2e-5, rel: 1e-4 });
          [p, q].forEach((d) => d.dispose());
        }),
        { numRuns: 60 },
      )
    );
    assert.ok(T.registeredKLPairs().some(([p, q]) => p === "LogNormal" && q === "LogNormal"));
  });
  await t.step("differentiable: ∂/∂μ₀ KL = (μ₀ − μ₁)/σ₁²", () => {
    noLeak(() => {
      const q = new T.LogNormal(1, 2), m0 = tf.scalar(0);
      const g = tf.grad((m: tf.Tensor) => {
        const p = new T.LogNormal(m, 0.5);
        const kl = T.klDivergence(p, q);
        p.dispose();
        return kl;
      })(m0);
      assertClose(read(g)[0]!, -0.25, FLOAT32);
      [q, m0].forEach((v) => v.dispose());
    });
  });
  await t.step("refuses what is not a LogNormal", () => {
    noLeak(() => {
      const n = new T.Normal(0, 1), l = new T.LogNormal(0, 1);
      assert.throws(
        () => T.klLogNormal(n as never, l),
        /klLogNormal as p must be a tensor LogNormal/,
      );
      [n, l].forEach((d) => d.dispose());
    });
  });
});

Deno.test("TransformedDistribution and LogNormal: clear errors", async (t) => {
  const throws = (fn: () => unknown, type: typeof TypeError, ...parts: string[]) =>
    assert.throws(fn, (e: Error) => {
      assert.ok(e instanceof type, `${e.constructor.name}: ${e.message}`);
      for (const p of parts) assert.ok(e.message.includes(p), `"${e.message}" lacks "${p}"`);
      return true;
    });
  await t.step("construction", () => {
    noLeak(() => {
      const n = new T.Normal([0, 1, 2], 1), exp = new T.Exp();
      const what = "Cannot construct TransformedDistribution";
      throws(() => new T.TransformedDistribution({} as never, exp), TypeError, what, "base");
      throws(
        () => new T.TransformedDistribution(new core.Normal(0, 1) as never, exp),
        TypeError,
        "base",
      );
      throws(
        () => new T.TransformedDistribution(n, new core.Exp() as never),
        TypeError,
        "bijector",
      );
      throws(
        () => new T.TransformedDistribution(n, new T.FillScaleTriL()),
        TypeError,
        "FillScaleTriL acts on points of rank ≥ 1",
        "DiagNormal",
      );
      const dn = new T.DiagNormal([0, 0], [1, 1]);
      throws(
        () => new T.TransformedDistribution(dn, new T.FillScaleTriL()),
        TypeError,
        "triangular",
      );
      const s4 = new T.Shift([1, 2, 3, 4]);
      throws(() => new T.TransformedDistribution(n, s4), TypeError, "Shift's shift", "[4]", "[3]");
      const s23 = new T.Scale([[1, 2, 3], [1, 2, 3]]);
      throws(
        () => new T.TransformedDistribution(n, new T.Chain([s23])),
        TypeError,
        "without enlarging",
      );
      throws(
        () => new T.LogNormal(0, -1),
        RangeError,
        "Cannot construct LogNormal as scale must be > 0",
      );
      throws(
        () => new T.LogNormal("a" as never, 1),
        TypeError,
        "Cannot construct LogNormal as loc",
      );
      throws(() => new T.LogNormal([0, 1], [1, 1, 1]), TypeError, "Cannot construct LogNormal");
      [n, exp, dn, s4, s23].forEach((v) => v.dispose());
    });
  });
  await t.step("methods", () => {
    noLeak(() => {
      const base = new T.DiagNormal([0, 0], [1, 1]);
      const d = new T.TransformedDistribution(base, new T.SoftmaxCentered());
      throws(() => d.logProb([0.5, 0.5]), TypeError, "event shape [3]");
      throws(() => d.sample(0, 1), RangeError, "n must be an integer ≥ 1");
      throws(() => d.mean(), TypeError, "SoftmaxCentered of DiagNormal has no closed form");
      const l = new T.LogNormal([0, 1], 1);
      throws(() => l.logProb([1, 2, 3]), TypeError, "batch shape [2]");
      [base, l].forEach((v) => v.dispose());
    });
  });
});
