// The tensor layer against its float64 twin: for every tensor class and
// random parameters, logProb, entropy, mean, variance and every registered
// KL agree with the core to float32 tolerance; and the gradient of a
// reparameterized Monte Carlo expectation agrees with the analytic one.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertWithinSE, FLOAT32, type Tolerance } from "../_tolerance.ts";
import { assertTensorAgreement } from "../../testing.ts";

await T.useBackend("cpu");

const num = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map(Math.fround);
const vec = (n: number, min: number, max: number) =>
  fc.array(num(min, max), { minLength: n, maxLength: n });

/** A tensor distribution, its float64 twins (one per batch member, row-major), and points. */
interface Twin {
  t: T.TensorDistribution;
  twins: core.Distribution[];
  /** Flat values of shape [m, ...batchShape, ...eventShape]. */
  x: number[];
  m: number;
}

/** A lower-triangular factor with diagonal in [0.3, 2], off-diagonal in [−1, 1], as rows. */
const tril = (d: number) =>
  fc.tuple(vec(d * d, -1, 1), vec(d, 0.3, 2)).map(([off, diag]) =>
    Array.from(
      { length: d },
      (_, i) =>
        Array.from({ length: d }, (_, j) => (j < i ? off[i * d + j]! : j === i ? diag[i]! : 0)),
    )
  );

const dims = fc.record({
  b: fc.integer({ min: 1, max: 3 }),
  d: fc.integer({ min: 1, max: 4 }),
  m: fc.integer({ min: 1, max: 3 }),
});

/** One case per tensor class. */
const CASES: Record<string, fc.Arbitrary<Twin>> = {
  Normal: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, -5, 5), vec(b, 0.2, 4), vec(m * b, -8, 8)).map(([loc, scale, x]) => ({
      t: new T.Normal(loc, scale),
      twins: loc.map((l, i) => new core.Normal(l, scale[i]!)),
      x,
      m,
    }))
  ),
  DiagNormal: dims.chain(({ b, d, m }) =>
    fc.tuple(vec(b * d, -5, 5), vec(b * d, 0.2, 4), vec(m * b * d, -8, 8)).map((
      [loc, scale, x],
    ) => ({
      t: new T.DiagNormal(rows(loc, d), rows(scale, d)),
      twins: Array.from(
        { length: b },
        (_, i) =>
          new core.DiagNormal(loc.slice(i * d, (i + 1) * d), scale.slice(i * d, (i + 1) * d)),
      ),
      x,
      m,
    }))
  ),
  MultivariateNormal: dims.chain(({ d, m }) =>
    fc.tuple(vec(d, -3, 3), tril(d), vec(m * d, -5, 5)).map(([loc, L, x]) => ({
      t: new T.MultivariateNormal(loc, L),
      twins: [new core.MultivariateNormal(loc, L)],
      x,
      m,
    }))
  ),
  Bernoulli: dims.chain(({ b, d, m }) =>
    fc.tuple(
      vec(b * d, -8, 8),
      fc.array(fc.constantFrom(0, 1, 0.25), { minLength: m * b * d, maxLength: m * b * d }),
      fc.boolean(),
    )
      .map(([logits, x, byProbs]) => {
        const probs = logits.map((l) => Math.fround(1 / (1 + Math.exp(-l))));
        return {
          t: new T.Bernoulli(byProbs ? { probs: rows(probs, d) } : { logits: rows(logits, d) }),
          twins: Array.from({ length: b }, (_, i) =>
            new core.Bernoulli(
              byProbs
                ? { probs: probs.slice(i * d, (i + 1) * d) }
                : { logits: logits.slice(i * d, (i + 1) * d) },
            )),
          x,
          m,
        };
      })
  ),
  Exponential: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, 0.1, 10), vec(m * b, -1, 5)).map(([rate, x]) => ({
      t: new T.Exponential(rate),
      twins: rate.map((r) => new core.Exponential(r)),
      x,
      m,
    }))
  ),
  Mixture: fc.record({ k: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 3 }) })
    .chain((
      { k, m },
    ) =>
      fc.tuple(vec(k, 0.05, 1), vec(k, -4, 4), vec(k, 0.3, 3), vec(m, -6, 6)).map(
        ([w, loc, scale, x]) => {
          const sum = w.reduce((a, c) => a + c, 0);
          const weights = w.map((v) => v / sum);
          return {
            t: new T.Mixture(weights, loc.map((l, i) => new T.Normal(l, scale[i]!))),
            twins: [new core.Mixture(weights, loc.map((l, i) => new core.Normal(l, scale[i]!)))],
            x,
            m,
          };
        },
      )
    ),
  LogNormal: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, -2, 2), vec(b, 0.2, 2), vec(m * b, -0.5, 12)).map(([loc, scale, x]) => ({
      t: new T.LogNormal(loc, scale),
      twins: loc.map((l, i) => new core.LogNormal(l, scale[i]!)),
      x,
      m,
    }))
  ),
  // An affine bijector, so that mean, variance and entropy have closed forms to compare.
  TransformedDistribution: dims.chain(({ b, m }) =>
    fc.tuple(
      vec(b, -3, 3),
      vec(b, 0.2, 3),
      num(-2, 2),
      num(0.3, 3),
      fc.boolean(),
      vec(m * b, -8, 8),
    )
      .map(([loc, scale, s, a, flip, x]) => {
        const sa = flip ? -a : a;
        return {
          t: new T.TransformedDistribution(
            new T.Normal(loc, scale),
            new T.Chain([new T.Shift(s), new T.Scale(sa)]),
          ),
          twins: loc.map((l, i) =>
            new core.TransformedDistribution(
              new core.Normal(l, scale[i]!),
              new core.Chain([new core.Shift(s), new core.Scale(sa)]),
            )
          ),
          x,
          m,
        };
      })
  ),
  // more families
  Gamma: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, 0.2, 40), vec(b, 0.2, 5), vec(m * b, -1, 30)).map(([a, r, x]) => ({
      t: new T.Gamma(a, r),
      twins: a.map((v, i) => new core.Gamma(v, r[i]!)),
      x,
      m,
    }))
  ),
  Beta: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, 0.3, 20), vec(b, 0.3, 20), vec(m * b, -0.1, 1.1)).map(([a, c, x]) => ({
      t: new T.Beta(a, c),
      twins: a.map((v, i) => new core.Beta(v, c[i]!)),
      x,
      m,
    }))
  ),
  Laplace: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, -5, 5), vec(b, 0.2, 4), vec(m * b, -10, 10)).map(([loc, scale, x]) => ({
      t: new T.Laplace(loc, scale),
      twins: loc.map((l, i) => new core.Laplace(l, scale[i]!)),
      x,
      m,
    }))
  ),
  // df > 1, where the mean exists (both twins throw below); 1 < df ≤ 2 has Var = ∞.
  StudentT: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, 1.1, 60), vec(b, -5, 5), vec(b, 0.2, 4), vec(m * b, -10, 10)).map((
      [df, loc, scale, x],
    ) => ({
      t: new T.StudentT(df, loc, scale),
      twins: df.map((v, i) => new core.StudentT(v, loc[i]!, scale[i]!)),
      x,
      m,
    }))
  ),
  Uniform: dims.chain(({ b, m }) =>
    fc.tuple(vec(b, -5, 0), vec(b, 0.1, 8), vec(m * b, -6, 9)).map(([low, w, x]) => {
      const high = low.map((l, i) => Math.fround(l + w[i]!));
      return {
        t: new T.Uniform(low, high),
        twins: low.map((l, i) => new core.Uniform(l, high[i]!)),
        x,
        m,
      };
    })
  ),
  // Integer points in and out of {0, …, K − 1}, and a non-integer.
  Categorical: dims.chain(({ b, d, m }) =>
    fc.tuple(
      vec(b * (d + 1), -5, 5),
      fc.array(fc.constantFrom(-1, 0, 1, 2, 3, 4, 5, 1.5), {
        minLength: m * b,
        maxLength: m * b,
      }),
      fc.boolean(),
    ).map(([logits, x, byProbs]) => {
      const k = d + 1, ls = rows(logits, k);
      const probs = ls.map((l) => {
        const e = l.map(Math.exp), sum = e.reduce((a, v) => a + v, 0);
        return e.map((v) => v / sum);
      });
      const params = (i: number) => byProbs ? { probs: probs[i]! } : { logits: ls[i]! };
      return {
        t: new T.Categorical(byProbs ? { probs } : { logits: ls }),
        twins: ls.map((_, i) => new core.Categorical(params(i))),
        x,
        m,
      };
    })
  ),
  // Points of the simplex: positive entries divided by their sum.
  Dirichlet: dims.chain(({ b, d, m }) =>
    fc.tuple(vec(b * (d + 1), 0.3, 20), vec(m * b * (d + 1), 0.01, 1)).map(([a, raw]) => {
      const k = d + 1;
      const x = rows(raw, k).flatMap((r) => {
        const sum = r.reduce((s, v) => s + v, 0);
        return r.map((v) => v / sum);
      });
      return {
        t: new T.Dirichlet(rows(a, k)),
        twins: rows(a, k).map((c) => new core.Dirichlet(c)),
        x,
        m,
      };
    })
  ),
  // Counts, and points that are negative or not integers (log-mass −∞).
  Poisson: dims.chain(({ b, m }) =>
    fc.tuple(
      vec(b, 0.05, 200),
      fc.array(fc.oneof(fc.integer({ min: 0, max: 250 }), fc.constantFrom(-1, 2.5)), {
        minLength: m * b,
        maxLength: m * b,
      }),
    ).map(([rate, x]) => ({
      t: new T.Poisson(rate),
      twins: rate.map((r) => new core.Poisson(r)),
      x,
      m,
    }))
  ),
};

function rows(flat: number[], d: number): number[][] {
  return Array.from({ length: flat.length / d }, (_, i) => flat.slice(i * d, (i + 1) * d));
}

function read(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

function free(c: Twin): void {
  if (c.t instanceof T.Mixture) c.t.components.forEach((p) => p.dispose());
  if (c.t instanceof T.TransformedDistribution) {
    const f = c.t.bijector;
    [c.t.base, f, ...(f instanceof T.Chain ? f.bijectors : [])].forEach((v) => v.dispose());
  }
  c.t.dispose();
}

/** Checks logProb, entropy, mean and variance of one case against its twins. */
function checkTwin(c: Twin, tol: Tolerance = FLOAT32): void {
  assertTensorAgreement(c.t, c.twins, c.x, tol);
}

Deno.test("tensor distributions agree with their float64 twins", async (t) => {
  for (const [name, arb] of Object.entries(CASES)) {
    await t.step(`${name}: logProb, entropy, mean, variance`, () => {
      fc.assert(
        fc.property(arb, (c) => {
          try {
            checkTwin(c);
          } finally {
            free(c);
          }
        }),
        { numRuns: 40 },
      );
    });
  }
  await t.step("every exported tensor distribution has a case", () => {
    // TrainableSurrogate is not a family: it rebuilds one of these from
    // variables (tests/tensor/inference_test.ts).
    const classes = Object.entries(T).filter(([n, v]) =>
      typeof v === "function" && v.prototype && "logProb" in v.prototype &&
      n !== "TrainableSurrogate"
    ).map(([n]) => n);
    assert.deepEqual(classes.sort(), Object.keys(CASES).sort());
  });
});

/** KL cases: a pair of twins each, keyed by "P‖Q". */
const gauss = (d: number) => fc.tuple(vec(d, -3, 3), tril(d)).map(([loc, L]) => ({ loc, L }));
const diag = (d: number) =>
  fc.tuple(vec(d, -3, 3), vec(d, 0.3, 3)).map(([loc, scale]) => ({ loc, scale }));
type KLCase = {
  p: T.TensorDistribution;
  q: T.TensorDistribution;
  cp: core.Distribution;
  cq: core.Distribution;
};
const dimKL = fc.integer({ min: 1, max: 4 });
const KL_CASES: Record<string, fc.Arbitrary<KLCase>> = {
  "Normal‖Normal": fc.tuple(num(-4, 4), num(0.2, 4), num(-4, 4), num(0.2, 4)).map((
    [a, s, b, r],
  ) => ({
    p: new T.Normal(a, s),
    q: new T.Normal(b, r),
    cp: new core.Normal(a, s),
    cq: new core.Normal(b, r),
  })),
  "DiagNormal‖DiagNormal": dimKL.chain((d) => fc.tuple(diag(d), diag(d))).map(([a, b]) => ({
    p: new T.DiagNormal(a.loc, a.scale),
    q: new T.DiagNormal(b.loc, b.scale),
    cp: new core.DiagNormal(a.loc, a.scale),
    cq: new core.DiagNormal(b.loc, b.scale),
  })),
  "MultivariateNormal‖MultivariateNormal": dimKL.chain((d) => fc.tuple(gauss(d), gauss(d))).map((
    [a, b],
  ) => ({
    p: new T.MultivariateNormal(a.loc, a.L),
    q: new T.MultivariateNormal(b.loc, b.L),
    cp: new core.MultivariateNormal(a.loc, a.L),
    cq: new core.MultivariateNormal(b.loc, b.L),
  })),
  "DiagNormal‖MultivariateNormal": dimKL.chain((d) => fc.tuple(diag(d), gauss(d))).map((
    [a, b],
  ) => ({
    p: new T.DiagNormal(a.loc, a.scale),
    q: new T.MultivariateNormal(b.loc, b.L),
    cp: new core.DiagNormal(a.loc, a.scale),
    cq: new core.MultivariateNormal(b.loc, b.L),
  })),
  "MultivariateNormal‖DiagNormal": dimKL.chain((d) => fc.tuple(gauss(d), diag(d))).map((
    [a, b],
  ) => ({
    p: new T.MultivariateNormal(a.loc, a.L),
    q: new T.DiagNormal(b.loc, b.scale),
    cp: new core.MultivariateNormal(a.loc, a.L),
    cq: new core.DiagNormal(b.loc, b.scale),
  })),
  "Bernoulli‖Bernoulli": dimKL.chain((d) => fc.tuple(vec(d, -8, 8), vec(d, -8, 8))).map((
    [a, b],
  ) => ({
    p: new T.Bernoulli({ logits: a }),
    q: new T.Bernoulli({ logits: b }),
    cp: new core.Bernoulli({ logits: a }),
    cq: new core.Bernoulli({ logits: b }),
  })),
  "Exponential‖Exponential": fc.tuple(num(0.1, 10), num(0.1, 10)).map(([a, b]) => ({
    p: new T.Exponential(a),
    q: new T.Exponential(b),
    cp: new core.Exponential(a),
    cq: new core.Exponential(b),
  })),
  "LogNormal‖LogNormal": fc.tuple(num(-4, 4), num(0.2, 4), num(-4, 4), num(0.2, 4)).map((
    [a, s, b, r],
  ) => ({
    p: new T.LogNormal(a, s),
    q: new T.LogNormal(b, r),
    cp: new core.LogNormal(a, s),
    cq: new core.LogNormal(b, r),
  })),
  // more families
  "Gamma‖Gamma": fc.tuple(num(0.2, 30), num(0.2, 5), num(0.2, 30), num(0.2, 5)).map((
    [a, b, c, d],
  ) => ({
    p: new T.Gamma(a, b),
    q: new T.Gamma(c, d),
    cp: new core.Gamma(a, b),
    cq: new core.Gamma(c, d),
  })),
  "Exponential‖Gamma": fc.tuple(num(0.1, 10), num(0.2, 30), num(0.2, 5)).map(([l, c, d]) => ({
    p: new T.Exponential(l),
    q: new T.Gamma(c, d),
    cp: new core.Exponential(l),
    cq: new core.Gamma(c, d),
  })),
  "Beta‖Beta": fc.tuple(num(0.3, 20), num(0.3, 20), num(0.3, 20), num(0.3, 20)).map((
    [a, b, c, d],
  ) => ({
    p: new T.Beta(a, b),
    q: new T.Beta(c, d),
    cp: new core.Beta(a, b),
    cq: new core.Beta(c, d),
  })),
  "Dirichlet‖Dirichlet": dimKL.chain((d) => fc.tuple(vec(d + 1, 0.3, 20), vec(d + 1, 0.3, 20)))
    .map(([a, b]) => ({
      p: new T.Dirichlet(a),
      q: new T.Dirichlet(b),
      cp: new core.Dirichlet(a),
      cq: new core.Dirichlet(b),
    })),
  "Categorical‖Categorical": dimKL.chain((d) =>
    fc.tuple(vec(d + 1, -5, 5), vec(d + 1, -5, 5), fc.boolean())
  ).map(([a, b, byProbs]) => {
    const params = (l: number[]) => {
      const e = l.map(Math.exp), sum = e.reduce((s, v) => s + v, 0);
      return byProbs ? { probs: e.map((v) => v / sum) } : { logits: l };
    };
    return {
      p: new T.Categorical(params(a)),
      q: new T.Categorical(params(b)),
      cp: new core.Categorical(params(a)),
      cq: new core.Categorical(params(b)),
    };
  }),
  "Laplace‖Laplace": fc.tuple(num(-4, 4), num(0.2, 4), num(-4, 4), num(0.2, 4)).map((
    [a, s, b, r],
  ) => ({
    p: new T.Laplace(a, s),
    q: new T.Laplace(b, r),
    cp: new core.Laplace(a, s),
    cq: new core.Laplace(b, r),
  })),
  // Nested intervals (a finite KL) about half the time, else +∞ in both twins.
  "Uniform‖Uniform": fc.tuple(num(-4, 4), num(0.1, 4), num(-4, 4), num(0.1, 4), fc.boolean()).map((
    [a, w, b, v, nest],
  ) => {
    const [lo1, hi1] = nest
      ? [Math.fround(a - v), Math.fround(a + w + v)]
      : [b, Math.fround(b + v)];
    const hi0 = Math.fround(a + w);
    return {
      p: new T.Uniform(a, hi0),
      q: new T.Uniform(lo1, hi1),
      cp: new core.Uniform(a, hi0),
      cq: new core.Uniform(lo1, hi1),
    };
  }),
  "Poisson‖Poisson": fc.tuple(num(0.05, 200), num(0.05, 200)).map(([a, b]) => ({
    p: new T.Poisson(a),
    q: new T.Poisson(b),
    cp: new core.Poisson(a),
    cq: new core.Poisson(b),
  })),
};

Deno.test("tensor klDivergence() agrees with the core's for every registered pair", async (t) => {
  await t.step("every registered pair has a case, and the core registers it too", () => {
    const pairs = T.registeredKLPairs().map(([a, b]) => `${a}‖${b}`).sort();
    assert.deepEqual(pairs, Object.keys(KL_CASES).sort());
    const corePairs = new Set(core.registeredKLPairs().map(([a, b]) => `${a}‖${b}`));
    for (const p of pairs) assert.ok(corePairs.has(p), `the core has no ${p}`);
  });
  for (const [name, arb] of Object.entries(KL_CASES)) {
    await t.step(name, () => {
      fc.assert(
        fc.property(arb, ({ p, q, cp, cq }) => {
          try {
            const got = read(T.klDivergence(p, q))[0]!;
            assertClose(got, core.klDivergence(cp, cq), { abs: 2e-4, rel: 2e-4 }, name);
            assertClose(read(T.klDivergence(p, p))[0]!, 0, { abs: 2e-5 }, `${name}: KL(p‖p)`);
          } finally {
            p.dispose();
            q.dispose();
          }
        }),
        { numRuns: 40 },
      );
    });
  }
  await t.step("a pair with no closed form names the registered pairs and klMonteCarlo", () => {
    const m = new T.Mixture([1], [new T.Normal(0, 1)]), n = new T.Normal(0, 1);
    assert.throws(
      () => T.klDivergence(m, n),
      (e: Error) =>
        e instanceof TypeError && e.message.includes("Mixture, Normal") &&
        e.message.includes("Normal‖Normal") && e.message.includes("klMonteCarlo"),
    );
    const est = T.klMonteCarlo(m, n, { samples: 100, seed: 1 });
    // A one-component mixture is its component: every term is exactly 0.
    assert.deepEqual(read(est.value), [0]);
    tf.dispose(est.standardError);
    m.dispose();
    n.dispose();
  });
});

/**
 * A batch of n copies of one distribution, one draw each: the gradient of
 * Σᵢ f(xᵢ)/n in the batched parameters holds the per-draw gradients, whose
 * mean is the Monte Carlo gradient and whose spread gives its standard error.
 */
Deno.test("reparameterized Monte Carlo gradients agree with the analytic ones", async (t) => {
  const n = 4000;
  const cases: Record<
    string,
    { params: number[]; build: (theta: tf.Tensor[]) => T.TensorDistribution }
  > = {
    Normal: { params: [0.7, 1.3], build: ([mu, s]) => new T.Normal(mu!, s!) },
    DiagNormal: {
      params: [-0.4, 0.8],
      build: ([mu, s]) =>
        new T.DiagNormal(tf.stack([mu!, tf.add(mu!, 1)], -1), tf.stack([s!, s!], -1)),
    },
    MultivariateNormal: {
      params: [0.3, 1.1],
      build: ([mu, s]) => {
        const z = tf.zerosLike(mu!);
        const L = tf.stack([tf.stack([s!, z], -1), tf.stack([tf.mul(0.5, s!), s!], -1)], -2);
        return new T.MultivariateNormal(tf.stack([mu!, tf.neg(mu!)], -1), L);
      },
    },
    Exponential: { params: [1.7], build: ([rate]) => new T.Exponential(rate!) },
    Laplace: { params: [0.7, 1.3], build: ([mu, b]) => new T.Laplace(mu!, b!) },
    Uniform: { params: [-0.5, 1.2], build: ([lo, hi]) => new T.Uniform(lo!, hi!) },
    StudentT: { params: [0.4, 0.9], build: ([mu, s]) => new T.StudentT(5, mu!, s!) },
  };
  for (const [name, { params, build }] of Object.entries(cases)) {
    await t.step(`${name}: ∇θ E[Σ x²] by draws = ∇θ Σ (mean² + variance)`, () => {
      const theta = params.map((v) => tf.fill([n], v));
      // f(x) = Σ x²: its expectation is Σ (mean² + variance), in closed form.
      const mc = tf.grads((...th: tf.Tensor[]) => {
        const d = build(th);
        const x = d.sample(1, 42);
        const f = tf.sum(tf.square(x));
        d.dispose();
        return f;
      })(theta);
      const exact = tf.grads((...th: tf.Tensor[]) => {
        const d = build(th);
        const e = tf.sum(tf.add(tf.square(d.mean()), d.variance()));
        d.dispose();
        return e;
      })(theta);
      mc.forEach((g, k) => {
        const per = read(g), want = read(exact[k]!);
        // The exact gradient is the same for every copy.
        const mean = per.reduce((a, v) => a + v, 0) / n;
        const sd = Math.sqrt(per.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
        assertWithinSE(
          { value: mean, standardError: sd / Math.sqrt(n) },
          want[0]!,
          4.5,
          `${name} θ${k}`,
        );
      });
      tf.dispose(theta);
    });
  }
  await t.step("non-reparameterized families say so", () => {
    const b = new T.Bernoulli({ logits: [0] }), m = new T.Mixture([1], [new T.Normal(0, 1)]);
    assert.equal(b.reparameterized, false);
    assert.equal(m.reparameterized, false);
    b.dispose();
    m.dispose();
  });
});
