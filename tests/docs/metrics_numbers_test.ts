// The deterministic numbers docs/disentanglement.md states about the scores,
// recomputed: a number there changes only with the code that makes it.
import assert from "node:assert/strict";
import { dsprites, mig, sampleFactors } from "../../disentanglement.ts";
import { createRng } from "../../lib/math/rng.ts";

const DOC = new URL("../../docs/disentanglement.md", import.meta.url);

/** H(bin(v)) / H(v) for a uniform factor of m values cut into equal-width bins (numpy's edges). */
function binnedEntropyRatio(m: number, bins: number): number {
  if (m <= bins) return 1;
  const width = (m - 1) / bins, counts = new Array<number>(bins).fill(0);
  for (let v = 0; v < m; v++) counts[Math.min(bins - 1, Math.floor(v / width))]!++;
  const h = counts.filter((c) => c > 0).reduce((a, c) => a - (c / m) * Math.log(c / m), 0);
  return h / Math.log(m);
}

Deno.test("docs/disentanglement.md: MIG of codes equal to dSprites' factors, and its ceiling", async () => {
  const text = (await Deno.readTextFile(DOC)).replace(/\s+/g, " ");
  const data = dsprites({ imageSize: 16 });
  const ratios = data.factorSizes.map((m) => binnedEntropyRatio(m, 20));
  const ceiling = ratios.reduce((a, r) => a + r, 0) / ratios.length;
  assert.ok(text.includes(`a ceiling of ${ceiling.toFixed(3)}`), `ceiling ${ceiling}`);
  assert.ok(text.includes(`${ratios[2]!.toFixed(3)} for orientation`));
  assert.ok(text.includes(`${ratios[3]!.toFixed(3)} for each position`));
  const rows = sampleFactors(data, 10_000, createRng(1));
  const score = mig(rows.map((r) => [...r]), rows);
  assert.ok(text.includes(`factors score ${score.toFixed(3)} on 10,000 draws`), `score ${score}`);
  assert.ok(score < ceiling);
});
