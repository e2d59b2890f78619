// The precision docs/reliability.md and docs/divergences.md give the mpmath
// references is the precision the script that makes them sets.
import assert from "node:assert/strict";
import { assertMentions, docText, ROOT } from "./_docs.ts";

Deno.test("docs: the digits of the mpmath references are the script's", async () => {
  const script = await Deno.readTextFile(`${ROOT}tests/reference/kl_mpmath_reference.py`);
  const global = script.match(/^mp\.mp\.dps = (\d+)$/m)?.[1];
  const mvn = script.match(/mp\.mp\.dps = (\d+)\n\s*kl = kl_mvn\(/)?.[1];
  assert.ok(global && mvn, "the script sets mp.mp.dps, and again around kl_mvn");
  const reliability = await docText("docs/reliability.md");
  assertMentions(reliability, `computed at ${mvn} significant digits`, "docs/reliability.md");
  assertMentions(reliability, `${global}-digit mpmath references`, "docs/reliability.md");
  const divergences = await docText("docs/divergences.md");
  assertMentions(
    divergences,
    `mpmath at ${global} significant digits (${mvn} for the full-covariance Gaussians)`,
    "docs/divergences.md",
  );
});
