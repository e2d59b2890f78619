import assert from "node:assert/strict";
import { factorVaeScore } from "../../disentanglement.ts";
import { fc } from "../_fc.ts";
import { toyDataset } from "./_data.ts";
import { entangledEncoder, independentEncoder, perfectEncoder } from "./_encoders.ts";
import { sameFirstSizes, setup } from "./_laws.ts";

const small = { batchSize: 16, numTrain: 300, numEval: 300, numVarianceEstimate: 500 };

Deno.test("factorVaeScore()", async (t) => {
  await t.step("law: codes equal to the factors score 1", async () => {
    await fc.assert(
      fc.asyncProperty(setup(6), async (s) => {
        const score = await factorVaeScore(toyDataset(s.sizes), perfectEncoder(s), {
          seed: s.seed,
          ...small,
        });
        assert.equal(score, 1);
      }),
      { numRuns: 10 },
    );
  });

  await t.step("law: codes independent of the factors score chance, 1/K", async () => {
    await fc.assert(
      fc.asyncProperty(setup(6), async (s) => {
        const score = await factorVaeScore(toyDataset(s.sizes), independentEncoder(s), {
          seed: s.seed,
          ...small,
        });
        assert.ok(
          Math.abs(score - 1 / s.sizes.length) < 0.12,
          `score ${score}, K = ${s.sizes.length}`,
        );
      }),
      { numRuns: 10 },
    );
  });

  await t.step(
    "law: one code carrying two factors scores lower than one code per factor",
    async () => {
      await fc.assert(
        fc.asyncProperty(setup(6, 3).map(sameFirstSizes), async (s) => {
          const data = toyDataset(s.sizes), options = { seed: s.seed, ...small };
          const one = await factorVaeScore(data, perfectEncoder(s), options);
          const two = await factorVaeScore(data, entangledEncoder(s), options);
          assert.ok(two < one - 0.1, `entangled ${two}, one code per factor ${one}`);
        }),
        { numRuns: 8 },
      );
    },
  );

  await t.step("drops codes collapsed to the prior, and scores 0 when none is left", async () => {
    const s = { sizes: [3, 4], order: [0, 1], maps: [1, 1], seed: 2 };
    const data = toyDataset(s.sizes), perfect = perfectEncoder(s);
    // A third code of tiny spread would win every vote if it were kept.
    const withDead = (x: Float32Array, n: number) =>
      perfect(x, n).map((z, i) => [...z, 1e-3 * (i % 2)]);
    assert.equal(await factorVaeScore(data, withDead, { seed: 1, ...small }), 1);
    const dead = (_x: Float32Array, n: number) =>
      Array.from({ length: n }, (_, i) => [1e-3 * (i % 2), 5]);
    assert.equal(await factorVaeScore(data, dead, { seed: 1, ...small }), 0);
  });

  await t.step("rejects bad arguments, naming them", async () => {
    const data = toyDataset([2, 3]);
    const good = (x: Float32Array, n: number) =>
      Array.from({ length: n }, (_, i) => [x[i * 4]!, x[i * 4 + 1]!]);
    const run = (options: Record<string, unknown>) =>
      factorVaeScore(data, good, { seed: 1, ...small, ...options } as never);
    await assert.rejects(
      run({ batchSize: 1 }),
      /options\.batchSize must be an integer in \[2, 1000000\]: current value is 1/,
    );
    await assert.rejects(
      run({ numVarianceEstimate: 1 }),
      /options\.numVarianceEstimate must be an integer in \[2, /,
    );
    await assert.rejects(
      run({ pruneThreshold: -0.1 }),
      /options\.pruneThreshold must be ≥ 0: current value is -0\.1/,
    );
    await assert.rejects(run({ pruneThreshold: NaN }), /pruneThreshold must be finite/);
    await assert.rejects(run({ threshold: 0.1 }), /options\.threshold is not an option/);
    await assert.rejects(run({ seed: 2 ** 53 }), /seed must be a safe integer/);
  });
});
