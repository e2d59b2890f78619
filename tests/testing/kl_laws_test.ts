// assertKLLaws() passes the right closed forms and fails each kind of wrong one.
import assert from "node:assert/strict";
import { AssertionError } from "node:assert/strict";
import {
  DiagNormal,
  klDiagNormal,
  klMultivariateNormal,
  klNormal,
  type MultivariateNormal,
} from "../../mod.ts";
import { assertKLLaws, diagNormal, multivariateNormal, normal } from "../../testing.ts";
import { fc } from "../_fc.ts";

function fails(f: () => void, ...fragments: string[]): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof AssertionError, `expected an AssertionError, got ${e}`);
    for (const s of fragments) assert.ok(e.message.includes(s), `"${e.message}" lacks "${s}"`);
    return true;
  });
}

const dim = fc.integer({ min: 1, max: 4 });

Deno.test("assertKLLaws()", async (t) => {
  await t.step("passes the registry and a given closed form, mixed pairs included", () => {
    assertKLLaws(normal(), undefined, { numRuns: 30 });
    assertKLLaws(normal(), normal(), { kl: klNormal, numRuns: 30 });
    assertKLLaws(dim.chain(diagNormal), (p) => multivariateNormal(p.eventSize), { numRuns: 20 });
    assertKLLaws(
      dim.chain(multivariateNormal),
      (p: MultivariateNormal) => diagNormal(p.eventSize),
      { kl: klMultivariateNormal, numRuns: 20 },
    );
  });
  await t.step("fails a KL that is negative, NaN, off by a constant or twice too big", () => {
    fails(
      () => assertKLLaws(normal(), normal(), { kl: (p, q) => -klNormal(p, q) - 1e-3 }),
      "must be ≥ 0",
    );
    fails(() => assertKLLaws(normal(), normal(), { kl: () => NaN }), "must be ≥ 0", "NaN");
    fails(
      () => assertKLLaws(normal(), normal(), { kl: (p, q) => klNormal(p, q) + 0.1 }),
      "KL(p‖p) = 0",
    );
    // ≥ 0 and 0 at p = q, but twice the right value: only Monte Carlo sees it.
    fails(
      () => assertKLLaws(normal(), normal(), { kl: (p, q) => 2 * klNormal(p, q) }),
      "against klMonteCarlo",
      "Normal‖Normal",
    );
    fails(
      () =>
        assertKLLaws(dim.chain(diagNormal), (p) => diagNormal(p.eventSize), {
          kl: (p: DiagNormal, q: DiagNormal) => klDiagNormal(p, q) * 1.05,
        }),
      "against klMonteCarlo",
    );
  });
  await t.step("samples: 0 leaves out Monte Carlo; a message tells how to replay", () => {
    assertKLLaws(normal(), normal(), { kl: (p, q) => 2 * klNormal(p, q), samples: 0 });
    fails(
      () => assertKLLaws(normal(), normal(), { kl: () => -1, seed: 42 }),
      "assertKLLaws",
      "seed: 42",
      "counterexample",
    );
  });
  await t.step("an unregistered pair is a failure that names it", () => {
    fails(
      () => assertKLLaws(normal(), fc.constant(new DiagNormal([0], [1])) as never),
      "Normal, DiagNormal",
    );
  });
});
