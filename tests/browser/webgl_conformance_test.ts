// The conformance suite on webgl, in headless Chromium (Debian's chromium,
// WebGL2 through SwiftShader): the page draws a subset of the suite's cases
// — every family and every KL pair, fewer draws each — with the same seed,
// evaluates them on the webgl backend and posts the values; here they are
// checked against the float64 core to float32's tolerance, as on cpu and
// wasm (tests/tensor/conformance_test.ts).
import assert from "node:assert/strict";
import { fc } from "../_fc.ts";
import { FAMILIES } from "../tensor/_family_cases.ts";
import { KL_CASES } from "../tensor/_kl_cases.ts";
import { compareFamily, compareKL, worstTable } from "../tensor/_conformance.ts";
import type { FamilyValues, KLValues } from "../tensor/_evaluate.ts";
import { HAS_CHROMIUM, runPage } from "./_chromium.ts";

const SPEC = { seed: 20261206, runs: 8 };

Deno.test({
  name: "tensor families and KLs agree with the float64 core on webgl (headless Chromium)",
  ignore: !HAS_CHROMIUM,
  fn: async (t) => {
    const text = await runPage({
      entry: "tests/browser/conformance_entry.ts",
      files: { "spec.json": JSON.stringify(SPEC) },
      timeoutMs: 300_000,
    });
    const special: Record<string, number> = { Infinity, "-Infinity": -Infinity, NaN };
    const page = JSON.parse(
      text,
      (_, v) => (typeof v === "string" && v in special ? special[v] : v),
    );
    assert.ok(!page.error, page.error);
    assert.equal(page.backend, "webgl");
    assert.equal(page.tensors, 0, "the page left tensors behind");
    console.log(`webgl (${page.renderer}): ${page.seconds.toFixed(1)} s for the cases`);
    const draw = <T>(arb: fc.Arbitrary<T>) =>
      fc.sample(arb, { seed: SPEC.seed, numRuns: SPEC.runs });
    const backend = "webgl";
    for (const [name, arb] of Object.entries(FAMILIES)) {
      await t.step(name, () => {
        const values = page.families[name] as FamilyValues[];
        draw(arb).forEach((c, i) => compareFamily(name, c, values[i]!, backend));
      });
    }
    for (const [name, arb] of Object.entries(KL_CASES)) {
      await t.step(`KL ${name}`, () => {
        const values = page.kls[name] as KLValues[];
        draw(arb).forEach((c, i) => compareKL(name, c, values[i]!, backend));
      });
    }
    console.log(worstTable());
  },
});
