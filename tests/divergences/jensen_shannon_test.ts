import assert from "node:assert/strict";
import { createRng, DiagNormal, jensenShannon, Mixture, Normal } from "../../mod.ts";
import { dim, mvn, normal } from "../_arbitraries.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

Deno.test("jensenShannon()", async (t) => {
  await t.step("is symmetric and lies in [0, log 2], within standard errors", () => {
    fc.assert(
      fc.property(
        dim().chain((d) => fc.tuple(mvn(d), mvn(d))),
        fc.noShrink(fc.nat()),
        ([p, q], seed) => {
          const a = jensenShannon(p, q, { samples: 2000, rng: createRng(seed) });
          const b = jensenShannon(q, p, { samples: 2000, rng: createRng(seed + 1) });
          assert.ok(
            Math.abs(a.value - b.value) <= 4 * Math.hypot(a.standardError, b.standardError),
          );
          assert.ok(a.value >= -4 * a.standardError && a.value <= Math.LN2 + 1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });
  await t.step("is 0 for p = q and log 2 for disjoint supports", () => {
    fc.assert(
      fc.property(normal(), fc.noShrink(fc.nat()), (p, seed) => {
        assertClose(jensenShannon(p, p, { samples: 100, rng: createRng(seed) }).value, 0, {
          abs: 1e-15,
        });
      }),
    );
    const far = jensenShannon(new DiagNormal([-100], [1]), new DiagNormal([100], [1]), {
      samples: 500,
      rng: createRng(1),
    });
    assertClose(far.value, Math.LN2);
  });
  await t.step("agrees with quadrature for two normals", () => {
    const p = new Normal(0, 1), q = new Normal(1.5, 0.7);
    const m = new Mixture([0.5, 0.5], [p, q]);
    // ½∫p log(p/m) + ½∫q log(q/m) by Simpson's rule
    let s = 0;
    const lo = -12, hi = 12, n = 20000, h = (hi - lo) / n;
    for (let i = 0; i <= n; i++) {
      const x = lo + i * h, w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
      const lm = m.logProb(x);
      s += w * 0.5 *
        (Math.exp(p.logProb(x)) * (p.logProb(x) - lm) +
          Math.exp(q.logProb(x)) * (q.logProb(x) - lm));
    }
    const exact = (s * h) / 3;
    const est = jensenShannon(p, q, { samples: 20000, rng: createRng(4) });
    assert.ok(Math.abs(est.value - exact) < 4 * est.standardError, `${est.value} vs ${exact}`);
  });
  await t.step("rejects bad options, naming them", () => {
    const p = new Normal(0, 1);
    assertThrowsNaming(
      () => jensenShannon(p, p, { samples: 0, rng: createRng(0) }),
      RangeError,
      "samples",
      "0",
    );
    assertThrowsNaming(
      () => jensenShannon(p, "q" as never, { samples: 10, rng: createRng(0) }),
      TypeError,
      "q",
      '"q"',
    );
  });
});
