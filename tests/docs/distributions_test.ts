// docs/distributions.md and docs/tensor.md list every family and bijector
// their entry exports: a class added to mod.ts or tensor.ts without a row
// fails here.
import assert from "node:assert/strict";
import * as core from "../../mod.ts";
import * as tensor from "../../tensor.ts";
import { docText } from "./_docs.ts";

/** The exported classes whose prototype has all of `methods`, by name. */
function classesWith(entry: Record<string, unknown>, methods: string[]): string[] {
  return Object.entries(entry).filter(([, v]) =>
    typeof v === "function" && v.prototype &&
    methods.every((m) => typeof (v.prototype as Record<string, unknown>)[m] === "function")
  ).map(([k]) => k).sort();
}

Deno.test("docs/distributions.md: a row for every family and bijector of @elbo/elbo", async () => {
  const text = await docText("docs/distributions.md");
  const families = classesWith(core, ["logProb", "sampleN", "entropy"]);
  assert.ok(families.length >= 16, `found ${families.join(", ")}`);
  for (const name of families) assert.ok(text.includes(`| \`${name}\``), `no row for ${name}`);
  const bijectors = classesWith(core, ["forward", "inverse", "forwardLogDetJacobian"])
    .filter((n) => n !== "ElementwiseBijector");
  assert.ok(bijectors.length >= 8, `found ${bijectors.join(", ")}`);
  for (const name of bijectors) assert.ok(text.includes(`| \`${name}`), `no row for ${name}`);
  assert.ok(text.includes("`ElementwiseBijector`"));
});

Deno.test("docs/tensor.md: a row for every tensor family, every bijector named", async () => {
  const text = await docText("docs/tensor.md");
  const families = classesWith(tensor, ["logProb", "sample", "entropy"]).filter((n) => {
    const c = (tensor as Record<string, unknown>)[n] as { prototype: unknown };
    return c.prototype instanceof tensor.TensorDistributionBase;
  });
  assert.ok(families.length >= 16, `found ${families.join(", ")}`);
  for (const name of families) assert.ok(text.includes(`| \`${name}\``), `no row for ${name}`);
  const bijectors = classesWith(tensor, ["forward", "inverse", "forwardLogDetJacobian"])
    .filter((n) => n !== "ElementwiseBijector");
  for (const name of bijectors) assert.ok(text.includes(`\`${name}\``), `${name} is not named`);
});
