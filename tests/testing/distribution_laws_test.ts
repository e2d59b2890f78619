// The distribution laws of @elbo/elbo/testing: every arbitrary keeps them,
// and each law fails on a distribution that is wrong in the one way it checks.
import assert from "node:assert/strict";
import { AssertionError } from "node:assert/strict";
import { Exp, Gamma, Normal, Poisson, StudentT } from "../../mod.ts";
import {
  assertDistributionLaws,
  assertEntropy,
  assertIntegratesToOne,
  assertLogProbBatch,
  assertSampleMoments,
  bernoulli,
  beta,
  categorical,
  diagNormal,
  dirichlet,
  exponential,
  gamma,
  laplace,
  logNormal,
  multivariateNormal,
  normal,
  poisson,
  studentT,
  uniform,
} from "../../testing.ts";
import type fc from "fast-check";
import "../_fc.ts"; // the suite's fast-check seed and run count

/** Asserts that `f` throws an AssertionError whose message holds every fragment. */
function fails(f: () => void, ...fragments: string[]): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof AssertionError, `expected an AssertionError, got ${e}`);
    for (const s of fragments) assert.ok(e.message.includes(s), `"${e.message}" lacks "${s}"`);
    return true;
  });
}

class EntropyOff extends Normal {
  override entropy(): number {
    return super.entropy() + 0.1;
  }
}
class MeanOff extends Normal {
  override mean(): number {
    return this.loc + 0.1 * this.scale;
  }
}
class VarianceOff extends Normal {
  override variance(): number {
    return 1.1 * this.scale ** 2;
  }
}
/** log p off by 0.01 everywhere, batch included: mass e^0.01 ≈ 1.01. */
class Unnormalised extends Normal {
  override logProb(x: number): number {
    return super.logProb(x) + 0.01;
  }
  override logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const r = super.logProbBatch(xs, out);
    for (let i = 0; i < r.length; i++) r[i]! += 0.01;
    return r;
  }
}
class BatchOff extends Normal {
  override logProbBatch(xs: ArrayLike<number>, out?: Float64Array): Float64Array {
    const r = super.logProbBatch(xs, out);
    r[r.length - 1]! += 1e-9;
    return r;
  }
}
class IgnoresOut extends Normal {
  override logProbBatch(xs: ArrayLike<number>): Float64Array {
    return super.logProbBatch(xs);
  }
}
class PoissonOff extends Poisson {
  override logProb(k: number): number {
    return super.logProb(k) + 0.01;
  }
}

const offBy = <D>(make: (loc: number, scale: number) => D) =>
  normal().map((n) => make(n.loc, n.scale));

Deno.test("assertDistributionLaws() holds for every arbitrary of the core", async (t) => {
  const arbs: Record<string, fc.Arbitrary<unknown>> = {
    normal: normal(),
    exponential: exponential(),
    gamma: gamma(),
    beta: beta(),
    laplace: laplace(),
    studentT: studentT(),
    uniform: uniform(),
    categorical: categorical(4),
    poisson: poisson(),
    logNormal: logNormal(),
    diagNormal: diagNormal(3),
    multivariateNormal: multivariateNormal(3),
    bernoulli: bernoulli(3),
    dirichlet: dirichlet(3),
  };
  for (const [name, arb] of Object.entries(arbs)) {
    await t.step(name, () => {
      assertDistributionLaws(arb as fc.Arbitrary<Normal>, { numRuns: 8 });
    });
  }
});

Deno.test("assertEntropy()", async (t) => {
  await t.step("passes a right entropy and fails one off by 0.1", () => {
    assertEntropy(normal(), { numRuns: 20 });
    fails(() => assertEntropy(offBy((m, s) => new EntropyOff(m, s))), "assertEntropy", "entropy");
    fails(() => assertDistributionLaws(new EntropyOff(0, 1)), "EntropyOff.entropy()");
  });
  await t.step("a fixed distribution runs once; the message tells how to replay", () => {
    let calls = 0;
    class Counted extends Normal {
      override entropy(): number {
        calls++;
        return super.entropy();
      }
    }
    assertEntropy(new Counted(0, 1));
    assert.equal(calls, 1);
    fails(() => assertEntropy(new EntropyOff(0, 1), { seed: 7 }), "seed: 7", "counterexample");
  });
});

Deno.test("assertSampleMoments()", async (t) => {
  await t.step("fails a mean off by 0.1 σ and a variance off by 10%", () => {
    assertSampleMoments(normal(), { numRuns: 20 });
    fails(() => assertSampleMoments(offBy((m, s) => new MeanOff(m, s))), "sample mean");
    fails(() => assertSampleMoments(offBy((m, s) => new VarianceOff(m, s))), "sample variance");
  });
  await t.step("checks each coordinate, and skips an infinite variance", () => {
    assertSampleMoments(diagNormal(4), { numRuns: 10 });
    assertSampleMoments(new StudentT(2, 0, 1), { samples: 4000 });
  });
});

Deno.test("assertLogProbBatch()", async (t) => {
  await t.step("fails a batch that differs by 1e-9 or ignores its out", () => {
    assertLogProbBatch(normal(), { numRuns: 20 });
    assertLogProbBatch(new Normal(0, 1), { points: [-Infinity, 0, Infinity, 1e300] });
    fails(() => assertLogProbBatch(new BatchOff(0, 1)), "logProbBatch row 19");
    fails(() => assertLogProbBatch(new IgnoresOut(0, 1)), "ignored its out");
  });
  await t.step("points must be whole rows", () => {
    fails(() => assertLogProbBatch(new Normal(0, 1), { points: () => [] }), "assertLogProbBatch");
    fails(
      () => assertLogProbBatch(diagNormal(2), { points: [1, 2, 3], numRuns: 1 }),
      "whole rows of 2",
    );
  });
});

Deno.test("assertIntegratesToOne()", async (t) => {
  await t.step("fails a density or mass function off by 1%", () => {
    assertIntegratesToOne(normal(), { numRuns: 20 });
    fails(
      () => assertIntegratesToOne(offBy((m, s) => new Unnormalised(m, s))),
      "∫ p(x) dx",
      "expected 1",
    );
    // Off by 0.01 in log p is within the entropy's standard error, so only this law sees it.
    assertEntropy(new Unnormalised(0, 1));
    assertIntegratesToOne(poisson(), { numRuns: 20 });
    fails(() => assertIntegratesToOne(new PoissonOff(3)), "Σ p(k)");
  });
  await t.step("reaches 1e-10 with jumps and kinks (exponential, uniform, laplace)", () => {
    const tolerance = { abs: 1e-10 };
    assertIntegratesToOne(exponential(), { numRuns: 10, tolerance });
    assertIntegratesToOne(uniform(), { numRuns: 10, tolerance });
    assertIntegratesToOne(laplace(), { numRuns: 10, tolerance });
  });
  await t.step("an unbounded density points to a transform, which fixes it", () => {
    fails(() => assertIntegratesToOne(new Gamma(0.1, 1)), "needs a transform");
    for (const a of [0.1, 0.5]) {
      assertIntegratesToOne(new Gamma(a, 1), { transform: new Exp(), tolerance: { abs: 1e-9 } });
    }
  });
  await t.step("takes a support, a Density without draws, and refuses what it cannot do", () => {
    const t3 = new StudentT(3, 0, 1);
    assertIntegratesToOne(t3, { support: [-1e5, 1e5], tolerance: { abs: 1e-8 } });
    // By default over the whole line: even a Cauchy's tails are all there.
    assertIntegratesToOne(new StudentT(1, 0, 1), { tolerance: { abs: 1e-8 } });
    assertIntegratesToOne({ logProb: (x: number) => (x >= 0 && x <= 2 ? -Math.LN2 : -Infinity) }, {
      support: [-1, 3],
    });
    fails(() => assertIntegratesToOne({ logProb: () => 0 }), "pass a support");
    fails(() => assertIntegratesToOne(diagNormal(2) as never, { numRuns: 1 }), "not univariate");
    fails(() => assertIntegratesToOne(new Normal(0, 1), { support: [1, -1] }), "finite interval");
  });
});
