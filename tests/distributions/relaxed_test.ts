// The one-hot categorical and the relaxed (Concrete / Gumbel-softmax)
// families of Maddison et al. 2017 and Jang et al. 2017: log-densities
// against references computed without their closed forms (scipy's logistic
// density, the Gumbel integral by mpmath and scipy quadrature, scipy's
// multinomial); each density integrates to 1; the draws keep the laws that
// define the families (P(X > ½) = p, argmax X ~ Categorical(p)); the limits
// on the boundary; clear errors.
import assert from "node:assert/strict";
import {
  Categorical,
  createRng,
  klCategorical,
  klDivergence,
  OneHotCategorical,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
} from "../../mod.ts";
import {
  assertDistributionLaws,
  oneHotCategorical,
  relaxedBernoulli,
  relaxedOneHotCategorical,
} from "../../testing.ts";
import "../_fc.ts";
import { RELAXED } from "../reference/relaxed_reference.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

const value = (v: number | string): number => typeof v === "number" ? v : Number(v);

/** ∫ p over [0, 1] as ∫ p(σ(s)) σ(s)(1 − σ(s)) ds on [−r, r], trapezoid rule. */
function integrateUnit(logP: (x: number) => number, r: number, n = 40000): number {
  let sum = 0;
  const h = 2 * r / n;
  for (let i = 0; i <= n; i++) {
    const s = -r + i * h, x = 1 / (1 + Math.exp(-s));
    if (x <= 0 || x >= 1) continue;
    const w = i === 0 || i === n ? 0.5 : 1;
    sum += w * Math.exp(logP(x) + Math.log(x) + Math.log1p(-x));
  }
  return sum * h;
}

/** The logistic CDF. */
const logisticCdf = (z: number): number => 1 / (1 + Math.exp(-z));

Deno.test("RelaxedBernoulli", async (t) => {
  await t.step("log-densities match scipy's logistic density (mpmath in the tails)", () => {
    for (const r of RELAXED.relaxedBernoulli) {
      const d = new RelaxedBernoulli(r.temperature, { logits: [...r.logits] });
      assertClose(d.logProb([...r.x]), value(r.logProb), { abs: 1e-13, rel: 1e-12 }, `at ${r.x}`);
    }
    // From probabilities, the same distribution.
    const a = new RelaxedBernoulli(0.4, { probs: [0.2] });
    const b = new RelaxedBernoulli(0.4, { logits: [Math.log(0.25)] });
    assertClose(a.logProb([0.3]), b.logProb([0.3]), { rel: 1e-14 }, "probs = logits");
  });
  await t.step(
    "integrates to 1 at temperatures from 0.5 to 5 (singular at 0 and 1 below 1)",
    () => {
      // σ(s) rounds to 1 above s = 36.7: these keep under 10⁻⁷ of their mass there.
      for (const [lam, l] of [[0.5, 1], [0.8, -2], [1, 0.5], [5, 3]] as const) {
        const d = new RelaxedBernoulli(lam, { logits: [l] });
        assertClose(
          integrateUnit((x) => d.logProb([x]), 36),
          1,
          { abs: 1e-6 },
          `λ = ${lam}, ℓ = ${l}`,
        );
      }
    },
  );
  await t.step("its draws follow P(X ≤ x) = F(λ logit x − ℓ), F logistic; P(X > ½) = p", () => {
    for (const [lam, l] of [[0.5, -0.85], [0.02, 0.4], [3, 1.2]] as const) {
      const d = new RelaxedBernoulli(lam, { logits: [l] }), n = 20000;
      const xs = d.sampleN(createRng(4), n);
      for (const x0 of [1e-3, 0.1, 0.5, 0.9, 0.999]) {
        const want = logisticCdf(lam * Math.log(x0 / (1 - x0)) - l);
        const got = xs.filter((x) => x <= x0).length / n;
        const se = Math.sqrt(want * (1 - want) / n);
        assert.ok(
          Math.abs(got - want) <= 4.5 * se + 1e-12,
          `λ = ${lam}, x = ${x0}: ${got} vs ${want}`,
        );
      }
      assertClose(1 - logisticCdf(-l), d.probs[0]!, { rel: 1e-15 }, "P(X > ½) = p");
    }
    assertDistributionLaws(relaxedBernoulli(3), { moments: false, entropy: false, numRuns: 20 });
  });
  await t.step("the limits at 0 and 1; −∞ off [0, 1] outweighs +∞", () => {
    const at = (lam: number, x: number, l = 1.5) =>
      new RelaxedBernoulli(lam, { logits: [l] }).logProb([x]);
    assert.equal(at(0.5, 0), Infinity);
    assert.equal(at(2, 1), -Infinity);
    assert.equal(at(1, 0), -1.5);
    assert.equal(at(1, 1), 1.5);
    assertClose(at(1, 1e-12), -1.5, { abs: 1e-10 }, "λ = 1 near 0: the limit");
    assert.equal(at(0.5, -1e-300), -Infinity);
    assert.equal(at(0.5, 1 + 2 ** -52), -Infinity);
    const two = new RelaxedBernoulli(0.5, { logits: [0, 0] });
    assert.equal(two.logProb([0, 1.5]), -Infinity);
    assert.equal(two.logProb([0, 0.5]), Infinity);
  });
  await t.step(
    "mean, variance and entropy have no closed form: they say how to estimate them",
    () => {
      const d = new RelaxedBernoulli(0.5, { logits: [0] });
      for (const m of ["mean", "variance", "entropy"] as const) {
        assertThrowsNaming(() => d[m](), TypeError, "Monte Carlo");
      }
    },
  );
  await t.step("bad parameters are named", () => {
    for (const lam of [0, -1, NaN, Infinity]) {
      assertThrowsNaming(
        () => new RelaxedBernoulli(lam, { logits: [0] }),
        RangeError,
        "temperature",
      );
    }
    assertThrowsNaming(
      () => new RelaxedBernoulli("1" as never, { logits: [0] }),
      TypeError,
      "temperature",
    );
    assertThrowsNaming(() => new RelaxedBernoulli(1, { probs: [0] }), RangeError, "probs[0]");
    assertThrowsNaming(() => new RelaxedBernoulli(1, { logits: [Infinity] }), RangeError, "logits");
    assertThrowsNaming(() => new RelaxedBernoulli(1, {} as never), TypeError, "logits or probs");
    assertThrowsNaming(
      () => new RelaxedBernoulli(1, { logits: [0] }).logProb([NaN]),
      RangeError,
      "x",
    );
  });
});

Deno.test("RelaxedOneHotCategorical", async (t) => {
  await t.step("log-densities match the Gumbel integral (mpmath, scipy quadrature)", () => {
    for (const r of RELAXED.relaxedOneHotCategorical) {
      const d = new RelaxedOneHotCategorical(r.temperature, { logits: [...r.logits] });
      assertClose(d.logProb([...r.x]), value(r.logProb), { abs: 1e-13, rel: 1e-11 }, `at ${r.x}`);
    }
    // K = 2 is the relaxed Bernoulli of the first coordinate (ℓ₁ − ℓ₂).
    const two = new RelaxedOneHotCategorical(0.6, { logits: [1.5, 0] });
    const one = new RelaxedBernoulli(0.6, { logits: [1.5] });
    assertClose(two.logProb([0.3, 0.7]), one.logProb([0.3]), { rel: 1e-13 }, "K = 2");
  });
  await t.step("integrates to 1 over the simplex (K = 3, in log-ratio coordinates)", () => {
    for (const [lam, logits] of [[0.5, [0.3, -1, 1]], [1.5, [0, 2, -2]]] as const) {
      const d = new RelaxedOneHotCategorical(lam, { logits: [...logits] });
      // x = softmax(u₁, u₂, 0), dx₁ dx₂ = x₁ x₂ x₃ du₁ du₂.
      const n = 600, lo = -60, h = 120 / n;
      let sum = 0;
      for (let i = 0; i <= n; i++) {
        for (let j = 0; j <= n; j++) {
          const u1 = lo + i * h, u2 = lo + j * h, m = Math.max(u1, u2, 0);
          const z = Math.exp(u1 - m) + Math.exp(u2 - m) + Math.exp(-m);
          const x = [Math.exp(u1 - m) / z, Math.exp(u2 - m) / z, Math.exp(-m) / z];
          if (x.some((v) => v === 0)) continue;
          x[2] = 1 - x[0]! - x[1]!;
          if (!(x[2]! > 0)) continue;
          sum += Math.exp(d.logProb(x) + Math.log(x[0]!) + Math.log(x[1]!) + Math.log(x[2]!));
        }
      }
      assertClose(sum * h * h, 1, { abs: 1e-4 }, `λ = ${lam}`);
    }
  });
  await t.step(
    "argmax of a draw ~ Categorical(p); draws lie on the simplex",
    () => {
      const d = new RelaxedOneHotCategorical(0.7, { logits: [0.3, -1.2, 2.0] }), n = 30000;
      const xs = d.sampleN(createRng(6), n), counts = [0, 0, 0];
      for (let i = 0; i < n; i++) {
        const row = xs.subarray(i * 3, i * 3 + 3);
        assert.ok(Math.abs(row[0]! + row[1]! + row[2]! - 1) < 1e-14);
        counts[row.indexOf(Math.max(...row))]!++;
      }
      counts.forEach((c, k) => {
        const p = d.probs[k]!, se = Math.sqrt(p * (1 - p) / n);
        assert.ok(Math.abs(c / n - p) < 4.5 * se, `category ${k}: ${c / n} vs ${p}`);
      });
      assertDistributionLaws(relaxedOneHotCategorical(3), {
        moments: false,
        entropy: false,
        numRuns: 20,
      });
    },
  );
  await t.step("on a face: the limit as its zeros shrink together", () => {
    // K = 2, λ = 1, one zero: Kλ = z(λ + 1), a finite limit, that of x → e₂.
    const d = new RelaxedOneHotCategorical(1, { logits: [1.5, 0] });
    assertClose(d.logProb([0, 1]), d.logProb([1e-12, 1 - 1e-12]), { abs: 1e-10 }, "finite limit");
    // K = 3: λ = 1 gives 3 > 2 (−∞); λ = 0.2 gives 0.6 < 1.2 (+∞).
    assert.equal(
      new RelaxedOneHotCategorical(1, { logits: [0, 0, 0] }).logProb([0, 0.5, 0.5]),
      -Infinity,
    );
    assert.equal(
      new RelaxedOneHotCategorical(0.2, { logits: [0, 0, 0] }).logProb([0, 0.5, 0.5]),
      Infinity,
    );
  });
  await t.step("mean, variance and entropy throw; bad parameters and points are named", () => {
    const d = new RelaxedOneHotCategorical(0.5, { logits: [0, 1] });
    for (const m of ["mean", "variance", "entropy"] as const) {
      assertThrowsNaming(() => d[m](), TypeError, "Monte Carlo");
    }
    assertThrowsNaming(() => d.logProb([0.5, 0.6]), RangeError, "sum to 1");
    assertThrowsNaming(() => d.logProb([0.5]), TypeError, "x");
    assertThrowsNaming(
      () => d.logProbBatch([0.5, 0.5, 0.2, 0.2]),
      RangeError,
      "sum to 1",
    );
    assertThrowsNaming(
      () => new RelaxedOneHotCategorical(0, { logits: [0, 1] }),
      RangeError,
      "temperature",
    );
    assertThrowsNaming(
      () => new RelaxedOneHotCategorical(1, { logits: [0] }),
      TypeError,
      "at least 2",
    );
    assertThrowsNaming(
      () => new RelaxedOneHotCategorical(1, { probs: [0, 1] }),
      RangeError,
      "probs[0] must be > 0",
    );
    assertThrowsNaming(
      () => new RelaxedOneHotCategorical(1, { probs: [0.5, 0.6] }),
      RangeError,
      "sum to 1",
    );
  });
});

Deno.test("OneHotCategorical", async (t) => {
  await t.step(
    "log-masses match scipy's multinomial with one trial; −∞ off the one-hot vectors",
    () => {
      for (const r of RELAXED.oneHotCategorical) {
        const d = new OneHotCategorical({ probs: [...r.probs] });
        assertClose(d.logProb([...r.x]), value(r.logProb), { rel: 1e-15 }, `at ${r.x}`);
      }
      const d = new OneHotCategorical({ logits: [0, 1, 2] });
      for (const x of [[0, 0, 0], [1, 1, 0], [0.5, 0.5, 0], [2, -1, 0], [0, 0, 1 + 1e-15]]) {
        assert.equal(d.logProb(x), -Infinity, `at ${x}`);
      }
      assert.equal(d.logProb([0, 0, 1]), d.categorical.logProbs[2]);
    },
  );
  await t.step(
    "the laws of a distribution; covariance diag(p) − p pᵀ; mean and variance by draws",
    () => {
      assertDistributionLaws(oneHotCategorical(4), { numRuns: 20 });
      const d = new OneHotCategorical({ probs: [0.2, 0.5, 0.3] }), c = d.covariance();
      assertClose(c[0]!, 0.16, { rel: 1e-15 }, "Var[X₀]");
      assertClose(c[1]!, -0.1, { rel: 1e-15 }, "Cov[X₀, X₁]");
      // 1 − p near p = 1, from the other pₖ.
      const near = new OneHotCategorical({ logits: [40, 0] });
      assertClose(near.variance()[0]!, Math.exp(-40), { rel: 1e-14 }, "Var near p = 1");
    },
  );
  await t.step("the KL of two is their categoricals' (registered)", () => {
    const p = new OneHotCategorical({ probs: [0.2, 0.5, 0.3] });
    const q = new OneHotCategorical({ logits: [0, 0.4, -1] });
    assert.equal(klDivergence(p, q), klCategorical(p.categorical, q.categorical));
    assert.ok(p.categorical instanceof Categorical);
    assertThrowsNaming(
      () => klDivergence(p, new OneHotCategorical({ logits: [0, 1] })),
      TypeError,
      "number of categories",
    );
  });
  await t.step("bad parameters are named for OneHotCategorical", () => {
    assertThrowsNaming(
      () => new OneHotCategorical({ probs: [0.5, 0.6] }),
      RangeError,
      "OneHotCategorical",
    );
    assertThrowsNaming(() => new OneHotCategorical({ logits: [] }), TypeError, "logits");
    assertThrowsNaming(
      () => new OneHotCategorical({ logits: [0, 1] }).logProb([NaN, 1]),
      RangeError,
      "x",
    );
  });
});

Deno.test("cold draws stay inside the support, where log p is finite; a face's finite case survives rounding", () => {
  const b = new RelaxedBernoulli(0.05, { logits: [0.3, -2, 4] });
  const xb = b.sampleN(createRng(8), 5000);
  assert.ok(b.logProbBatch(xb).every(Number.isFinite), "λ = 0.05: log p finite at every draw");
  const c = new RelaxedOneHotCategorical(0.01, { logits: [0, 8, -8, 1, 0, 0, 0, 0, 0, 3] });
  const xc = c.sampleN(createRng(9), 5000);
  assert.ok(c.logProbBatch(xc).every(Number.isFinite), "λ = 0.01: log p finite at every draw");
  // K = 7, λ = 1/6 (rounded), one zero: Kλ = z(λ + 1) but for rounding — the finite limit.
  const d = new RelaxedOneHotCategorical(1 / 6, { logits: [0, 1, 0, 0, 0, 0, 0] });
  const face = d.logProb([0, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1]);
  // (ε^λ must be far below the other xₖ^λ: ε = 10⁻³⁰⁰.)
  const near = d.logProb([1e-300, 0.2, 0.2, 0.2, 0.2, 0.1, 0.1]);
  assertClose(face, near, { abs: 1e-6 }, "the limit along the face");
});
