import assert from "node:assert/strict";
import { createRng } from "../../mod.ts";
import { dci, mig, sampleCodes, sampleFactors, sapScore } from "../../disentanglement.ts";
import { toyDataset } from "./_data.ts";

Deno.test("sampleCodes()", async (t) => {
  const data = toyDataset([3, 5, 4]);
  const encode = (x: Float32Array, n: number) =>
    Array.from({ length: n }, (_, i) => [x[i * 4 + 2]! * 2, x[i * 4]! - 1, x[i * 4 + 1]! / 3]);

  await t.step("draws the factors of sampleFactors(seed) and encodes their images", async () => {
    const { codes, factors } = await sampleCodes(data, encode, {
      n: 500,
      seed: 4,
      encodeBatchSize: 64,
    });
    assert.deepEqual(factors, sampleFactors(data, 500, createRng(4)));
    assert.deepEqual(codes, factors.map((v) => [v[2]! * 2, v[0]! - 1, v[1]! / 3]));
    const again = await sampleCodes(data, async (x, n) => await encode(x, n), { n: 500, seed: 4 });
    assert.deepEqual(again.codes, codes);
  });

  await t.step("feeds mig, sapScore and dci", async () => {
    const { codes, factors } = await sampleCodes(data, encode, { n: 900, seed: 1 });
    assert.ok(mig(codes, factors) > 0.95);
    assert.ok(sapScore(codes, factors) > 0.2);
    assert.ok(dci(codes, factors, { trees: 10 }).disentanglement > 0.95);
  });

  await t.step("rejects bad arguments, naming them", async () => {
    await assert.rejects(sampleCodes(data, encode, { seed: 1 } as never), /options\.n is required/);
    await assert.rejects(
      sampleCodes(data, encode, { n: 1, seed: 1 }),
      /options\.n must be an integer in \[2, 10000000\]/,
    );
    await assert.rejects(
      sampleCodes(data, encode, { n: 10 } as never),
      /options\.seed is required/,
    );
    await assert.rejects(
      sampleCodes(data, null as never, { n: 10, seed: 1 }),
      /encode must be a function/,
    );
    await assert.rejects(
      sampleCodes(data, () => [[1]], { n: 10, seed: 1 }),
      /encode must return 10 rows of codes for 10 images/,
    );
  });
});
