import assert from "node:assert/strict";
import { digamma, log1mexp, logBeta, logGamma } from "../../lib/math/special.ts";
import {
  bregmanH,
  digammaRemainder,
  scaledTrigammaRemainder,
  stirlingRemainder,
} from "../../lib/math/_gamma_series.ts";
import { SPECIAL_MPMATH as R } from "../reference/special_mpmath_reference.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

const positive = (min = 1e-300, max = 1e300) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

Deno.test("logGamma()", async (t) => {
  await t.step(
    "matches mpmath to 5e-16 relative, from 5e-324 to 2e305 and beside its zeros",
    () => {
      for (const [x, v] of R.logGamma) {
        assertClose(
          logGamma(x),
          v,
          { rel: 5e-16 },
          `logGamma(${x})`,
        );
      }
    },
  );
  await t.step("satisfies log Γ(x + 1) = log Γ(x) + log x", () => {
    fc.assert(
      fc.property(
        positive(1e-3, 1e6),
        (x) => assertClose(logGamma(x + 1), logGamma(x) + Math.log(x), { abs: 1e-14, rel: 1e-14 }),
      ),
    );
  });
  await t.step("is exact at 1 and 2, +∞ at +∞ and where it overflows", () => {
    assert.equal(logGamma(1), 0);
    assert.equal(logGamma(2), 0);
    assert.equal(logGamma(Infinity), Infinity);
    assert.equal(logGamma(1e308), Infinity);
    assertClose(logGamma(5e-324), -Math.log(5e-324), { rel: 1e-15 });
  });
  await t.step("rejects x ≤ 0, NaN and non-numbers, naming x", () => {
    assertThrowsNaming(() => logGamma(0), RangeError, "x", "0");
    assertThrowsNaming(() => logGamma(-0), RangeError, "x", "-0");
    assertThrowsNaming(() => logGamma(-2.5), RangeError, "x", "-2.5");
    assertThrowsNaming(() => logGamma(NaN), RangeError, "x", "NaN");
    assertThrowsNaming(() => logGamma(-Infinity), RangeError, "x");
    assertThrowsNaming(() => logGamma("1" as never), TypeError, "x", '"1"');
  });
});

Deno.test("digamma()", async (t) => {
  await t.step("matches mpmath to 1e-15 relative, beside its root too", () => {
    for (const [x, v] of R.digamma) assertClose(digamma(x), v, { rel: 1e-15 }, `digamma(${x})`);
  });
  await t.step("satisfies ψ(x) = ψ(x + 1) − 1/x", () => {
    fc.assert(
      fc.property(
        positive(1e-3, 1e6),
        (x) => assertClose(digamma(x), digamma(x + 1) - 1 / x, { abs: 1e-14, rel: 1e-14 }),
      ),
    );
  });
  await t.step("is −∞ where −1/x overflows, +∞ at +∞", () => {
    assert.equal(digamma(5e-324), -Infinity);
    assert.equal(digamma(Infinity), Infinity);
    assertClose(digamma(1e-300), -1e300, { rel: 1e-15 });
  });
  await t.step("rejects x ≤ 0, naming x", () => {
    assertThrowsNaming(() => digamma(-1), RangeError, "x", "-1");
    assertThrowsNaming(() => digamma(null as never), TypeError, "x", "null");
  });
});

Deno.test("logBeta()", async (t) => {
  await t.step("matches mpmath to 1e-15 (relative, or absolute below 1)", () => {
    for (const [a, b, v] of R.logBeta) {
      assertClose(logBeta(a, b), v, { abs: 1e-15, rel: 1e-15 }, `logBeta(${a}, ${b})`);
    }
  });
  await t.step("is symmetric and satisfies B(a + 1, b) = B(a, b) a/(a + b)", () => {
    fc.assert(
      fc.property(positive(1e-3, 1e8), positive(1e-3, 1e8), (a, b) => {
        assert.equal(logBeta(a, b), logBeta(b, a));
        const lhs = logBeta(a + 1, b), rhs = logBeta(a, b) + Math.log(a / (a + b));
        assertClose(lhs, rhs, { abs: 1e-12, rel: 1e-12 });
      }),
    );
  });
  await t.step("rejects a bad a or b, naming it", () => {
    assertThrowsNaming(() => logBeta(0, 1), RangeError, "a", "0");
    assertThrowsNaming(() => logBeta(1, Infinity), RangeError, "b", "Infinity");
    assertThrowsNaming(() => logBeta(1, [1] as never), TypeError, "b");
  });
});

Deno.test("log1mexp()", async (t) => {
  await t.step("matches mpmath to 2e-16 relative", () => {
    for (const [x, v] of R.log1mexp) assertClose(log1mexp(x), v, { rel: 2e-16 }, `log1mexp(${x})`);
  });
  await t.step("is −∞ at 0 and 0 at −∞; rejects x > 0", () => {
    assert.equal(log1mexp(0), -Infinity);
    assert.equal(log1mexp(-0), -Infinity);
    assert.equal(log1mexp(-Infinity), 0);
    assertThrowsNaming(() => log1mexp(1e-300), RangeError, "x", "1e-300");
    assertThrowsNaming(() => log1mexp(NaN), RangeError, "x", "NaN");
  });
});

Deno.test("the Stirling remainders c, r and k (internal)", async (t) => {
  await t.step("match mpmath to 1e-15 relative", () => {
    for (const [x, c, r, k] of R.pieces) {
      assertClose(stirlingRemainder(x), c, { rel: 1e-15 }, `c(${x})`);
      assertClose(digammaRemainder(x), r, { rel: 1e-15 }, `r(${x})`);
      assertClose(scaledTrigammaRemainder(x), k, { rel: 1e-15 }, `k(${x})`);
    }
  });
  await t.step("the Bregman divergence of h is ≥ 0 and ≈ ½ h″ δ² for close arguments", () => {
    fc.assert(
      fc.property(
        positive(1e-300, 1e300),
        fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        (x, e) => {
          const y = x * (1 + e), b = bregmanH(x, y);
          assert.ok(b >= 0 && Number.isFinite(b), `${b}`);
          if (Math.abs(e) < 1e-6) {
            const d = (y - x) / x, approx = 0.5 * d * d * scaledTrigammaRemainder(x);
            assertClose(b, approx, { abs: 1e-300, rel: 1e-5 });
          }
        },
      ),
    );
  });
});

Deno.test("special functions never return NaN from finite input", () => {
  const any = fc.double({ min: 5e-324, noNaN: true, noDefaultInfinity: true });
  fc.assert(
    fc.property(any, any, (a, b) => {
      for (const v of [logGamma(a), digamma(a), logBeta(a, b), log1mexp(-a)]) {
        assert.ok(!Number.isNaN(v), `${a}, ${b}`);
      }
    }),
    { numRuns: 1000 },
  );
});
