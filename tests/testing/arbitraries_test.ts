// The arbitraries of @elbo/elbo/testing give the classes and ranges their docs promise.
import assert from "node:assert/strict";
import {
  Bernoulli,
  Beta,
  Categorical,
  DiagNormal,
  Dirichlet,
  Exponential,
  Gamma,
  Laplace,
  LogNormal,
  MultivariateNormal,
  Normal,
  Poisson,
  StudentT,
  Uniform,
} from "../../mod.ts";
import * as testing from "../../testing.ts";
import { fc } from "../_fc.ts";

const within = (v: number, lo: number, hi: number) => v >= lo && v <= hi;
const all = (v: ArrayLike<number>, lo: number, hi: number) =>
  Array.from(v).every((x) => within(x, lo, hi));

Deno.test("the arbitraries keep their documented ranges", () => {
  const check = <T>(arb: fc.Arbitrary<T>, ok: (v: T) => boolean) =>
    fc.assert(fc.property(arb, ok), { numRuns: 200 });
  check(
    testing.normal(),
    (n) => n instanceof Normal && within(n.loc, -5, 5) && within(n.scale, 0.2, 4),
  );
  check(testing.diagNormal(3), (q) => q instanceof DiagNormal && all(q.scale, 0.2, 4));
  check(testing.scaleTril(3), (L) =>
    L.length === 9 && L[1] === 0 && L[2] === 0 && L[5] === 0 &&
    [0, 4, 8].every((i) => within(L[i]!, 0.3, 2)) && [3, 6, 7].every((i) => within(L[i]!, -1, 1)));
  check(testing.multivariateNormal(2), (p) => p instanceof MultivariateNormal && p.eventSize === 2);
  check(testing.bernoulli(2), (b) => b instanceof Bernoulli && all(b.logits, -6, 6));
  check(testing.exponential(), (e) => e instanceof Exponential && within(e.rate, 0.1, 10));
  check(testing.gamma(), (g) => g instanceof Gamma && within(g.concentration, 1, 20));
  check(
    testing.beta(),
    (b) => b instanceof Beta && within(b.alpha, 1, 10) && within(b.beta, 1, 10),
  );
  check(testing.laplace(), (d) => d instanceof Laplace && within(d.scale, 0.2, 4));
  check(testing.studentT(), (t) => t instanceof StudentT && within(t.df, 5, 30));
  check(testing.uniform(), (u) => u instanceof Uniform && within(u.high - u.low, 0.099, 10.001));
  check(testing.categorical(4), (c) => c instanceof Categorical && all(c.logits, -4, 4));
  check(testing.dirichlet(3), (d) => d instanceof Dirichlet && all(d.concentration, 0.5, 10));
  check(testing.poisson(), (p) => p instanceof Poisson && within(p.rate, 0.1, 50));
  check(testing.logNormal(), (d) => d instanceof LogNormal && within(d.scale, 0.1, 0.5));
});

Deno.test("the sized arbitraries refuse sizes that are not integers ≥ 1", () => {
  assert.throws(() => testing.diagNormal(0), RangeError);
  assert.throws(() => testing.scaleTril(1.5), RangeError);
  assert.throws(() => testing.bernoulli("2" as never), TypeError);
  assert.throws(() => testing.categorical(-1), /categorical arbitrary as k must be an integer ≥ 1/);
  assert.throws(() => testing.dirichlet(1), /k must be an integer ≥ 2/);
  assert.throws(() => testing.relaxedOneHotCategorical(1), /k must be an integer ≥ 2/);
  assert.throws(() => testing.oneHotCategorical(0), /k must be an integer ≥ 1/);
  assert.throws(() => testing.relaxedBernoulli(0.5), /d must be an integer ≥ 1/);
});
