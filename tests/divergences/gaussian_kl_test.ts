import assert from "node:assert/strict";
import {
  DiagNormal,
  Exponential,
  klDiagNormal,
  klDivergence,
  klExponential,
  klMultivariateNormal,
  klNormal,
  klStandardNormal,
  MultivariateNormal,
  Normal,
} from "../../mod.ts";
import { KL_MPMATH } from "../reference/kl_mpmath_reference.ts";
import { scaleTril } from "../_arbitraries.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

/** The factors of tests/reference/kl_mpmath_reference.py, rebuilt bit for bit. */
function factor(d: number, eps: number, seed: number): { L: Float64Array; P: Float64Array } {
  const L = new Float64Array(d * d), P = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      L[i * d + j] = (((i * 7 + j * 13 + seed) % 17) - 8) / 1024;
      P[i * d + j] = (((i * 3 + j * 5 + seed) % 11) - 5) * eps;
    }
    L[i * d + i] = 1 + ((i + seed) % 5) / 8;
    P[i * d + i] = (((i * 3 + seed) % 7) - 3) * eps;
  }
  return { L, P };
}

Deno.test("klNormal() and klDiagNormal()", async (t) => {
  await t.step("match mpmath to 1e-8 relative, near-identical pairs included", () => {
    for (const [m0, s0, m1, s1, kl] of KL_MPMATH.normal) {
      const msg = `N(${m0}, ${s0}) ‖ N(${m1}, ${s1})`;
      assertClose(klNormal(new Normal(m0, s0), new Normal(m1, s1)), kl, { rel: 1e-8 }, msg);
      assertClose(
        klDiagNormal(new DiagNormal([m0], [s0]), new DiagNormal([m1], [s1])),
        kl,
        { rel: 1e-8 },
        msg,
      );
      assertClose(
        klMultivariateNormal(new MultivariateNormal([m0], [s0]), new DiagNormal([m1], [s1])),
        kl,
        { rel: 1e-8 },
        msg,
      );
    }
  });
  await t.step("klStandardNormal() keeps the digits of σ ≈ 1", () => {
    // ½ (σ² − 1 − log σ²) = Δ² + (2/3) Δ³ + …, Δ = log σ, for σ = 1 + 1e-9
    const ls = Math.log1p(1e-9);
    assertClose(
      klStandardNormal(new DiagNormal([0], [1 + 1e-9])),
      ls * ls + (2 / 3) * ls ** 3,
      { rel: 1e-6 },
    );
  });
});

Deno.test("klExponential()", () => {
  for (const [r0, r1, kl] of KL_MPMATH.exponential) {
    const actual = klExponential(new Exponential(r0), new Exponential(r1));
    assertClose(actual, kl, { rel: 1e-8 }, `Exp(${r0}) ‖ Exp(${r1})`);
  }
  assertThrowsNaming(() => klExponential(new Exponential(1), 2 as never), TypeError, "q", "2");
});

Deno.test("klMultivariateNormal()", async (t) => {
  await t.step("matches mpmath on near-identical pairs up to d = 200", () => {
    for (const r of KL_MPMATH.mvn) {
      const eps = 2 ** -r.epsPow, { L, P } = factor(r.d, eps, r.seed);
      const L0 = L.map((v, i) => v + P[i]!);
      const mu1 = Float64Array.from(
        { length: r.d },
        (_, i) => (((i * 5 + r.seed) % 9) - 4) * eps * r.shift,
      );
      const p = new MultivariateNormal(new Float64Array(r.d), L0);
      const q = new MultivariateNormal(mu1, L);
      assertClose(
        klMultivariateNormal(p, q),
        r.kl,
        { rel: 1e-8 },
        `d = ${r.d}, ε = 2^-${r.epsPow}`,
      );
    }
  });
  await t.step("is never negative for near-identical pairs, d = 2 … 200", () => {
    const check = (d: number, L1: Float64Array, e: number, seed: number) => {
      const eps = 10 ** -e;
      const L0 = L1.map((v, i) =>
        Math.floor(i / d) >= i % d ? v * (1 + eps * Math.sin(seed + 7 * i)) : 0
      );
      const mu = Float64Array.from({ length: d }, (_, i) => eps * Math.cos(seed + i));
      const p = new MultivariateNormal(new Float64Array(d), L0), q = new MultivariateNormal(mu, L1);
      for (const kl of [klDivergence(p, q), klDivergence(q, p), klDivergence(p, p)]) {
        assert.ok(kl >= 0 && Number.isFinite(kl), `d = ${d}, ε = 1e-${e}: KL = ${kl}`);
      }
      const dp = new DiagNormal(mu, L1.filter((_, i) => i % (d + 1) === 0));
      const dq = new DiagNormal(
        mu.map((m) => m * (1 + eps)),
        L0.filter((_, i) => i % (d + 1) === 0),
      );
      assert.ok(klDivergence(dp, dq) >= 0 && klDivergence(dq, dp) >= 0);
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }).chain((d) => scaleTril(d).map((L) => [d, L] as const)),
        fc.integer({ min: 8, max: 14 }),
        fc.noShrink(fc.nat()),
        ([d, L], e, seed) => check(d, L, e, seed),
      ),
      { numRuns: 60 },
    );
    for (const e of [8, 11, 14]) check(200, factor(200, 0, 3).L, e, e);
  });
  await t.step("stays finite where the factors are huge", () => {
    const p = new MultivariateNormal([0, 0], [[1e308, 0], [1e308, 1e308]]);
    const q = new MultivariateNormal([0, 0], [[1e308, 0], [-1e308, 1e308]]);
    // M = L₁⁻¹L₀ = [[1, 0], [2, 1]]: KL = ½ · 2² = 2
    assertClose(klMultivariateNormal(p, q), 2);
  });
  await t.step("rejects what is not a Gaussian, naming it", () => {
    const p = new DiagNormal([0], [1]);
    assertThrowsNaming(
      () => klMultivariateNormal(p, new Normal(0, 1) as never),
      TypeError,
      "q",
      "Normal",
    );
    assertThrowsNaming(() => klNormal(null as never, new Normal(0, 1)), TypeError, "p", "null");
    assertThrowsNaming(() => klStandardNormal({} as never), TypeError, "q");
  });
});
