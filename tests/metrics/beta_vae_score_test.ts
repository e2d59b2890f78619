import assert from "node:assert/strict";
import { betaVaeScore, dsprites } from "../../disentanglement.ts";
import { fc } from "../_fc.ts";
import { toyDataset } from "./_data.ts";
import { entangledEncoder, independentEncoder, perfectEncoder } from "./_encoders.ts";
import { sameFirstSizes, setup } from "./_laws.ts";

const small = { batchSize: 16, numTrain: 300, numEval: 300 };

Deno.test("betaVaeScore()", async (t) => {
  await t.step("law: codes equal to the factors score 1", async () => {
    await fc.assert(
      fc.asyncProperty(setup(6), async (s) => {
        const score = await betaVaeScore(toyDataset(s.sizes), perfectEncoder(s), {
          seed: s.seed,
          ...small,
        });
        assert.ok(score > 0.97, `score ${score}`);
      }),
      { numRuns: 8 },
    );
  });

  await t.step("law: codes independent of the factors score chance, 1/K", async () => {
    await fc.assert(
      fc.asyncProperty(setup(6), async (s) => {
        const score = await betaVaeScore(toyDataset(s.sizes), independentEncoder(s), {
          seed: s.seed,
          ...small,
        });
        // 300 evaluation points: a standard error of at most 0.029.
        assert.ok(
          Math.abs(score - 1 / s.sizes.length) < 0.12,
          `score ${score}, K = ${s.sizes.length}`,
        );
      }),
      { numRuns: 8 },
    );
  });

  await t.step(
    "law: one code carrying two factors scores lower than one code per factor",
    async () => {
      await fc.assert(
        fc.asyncProperty(setup(6, 3).map(sameFirstSizes), async (s) => {
          const data = toyDataset(s.sizes), options = { seed: s.seed, ...small };
          const one = await betaVaeScore(data, perfectEncoder(s), options);
          const two = await betaVaeScore(data, entangledEncoder(s), options);
          assert.ok(two < one - 0.1, `entangled ${two}, one code per factor ${one}`);
        }),
        { numRuns: 6 },
      );
    },
  );

  await t.step("is reproducible from its seed, whatever the encoder's batching", async () => {
    const s = { sizes: [3, 4], order: [1, 0], maps: [2, 4], seed: 5 };
    const data = toyDataset(s.sizes), encode = independentEncoder(s);
    const a = await betaVaeScore(data, perfectEncoder(s), {
      seed: 3,
      ...small,
      encodeBatchSize: 32,
    });
    const b = await betaVaeScore(data, async (x, n) => await perfectEncoder(s)(x, n), {
      seed: 3,
      ...small,
    });
    assert.equal(a, b);
    assert.ok(await betaVaeScore(data, encode, { seed: 3, ...small }) < 0.8);
  });

  await t.step("reads dSprites images through the encoder", async () => {
    const data = dsprites({ imageSize: 32 });
    let calls = 0;
    const encode = (images: Float32Array, n: number) => {
      calls++;
      assert.equal(images.length, n * 1024);
      return Array.from(
        { length: n },
        (_, i) => [images.subarray(i * 1024, (i + 1) * 1024).reduce((a, b) => a + b)],
      );
    };
    const score = await betaVaeScore(data, encode, {
      seed: 1,
      batchSize: 8,
      numTrain: 40,
      numEval: 20,
    });
    assert.ok(score >= 0 && score <= 1);
    assert.equal(calls, 2); // 40 and 20 points of 16 images: one call each
  });

  await t.step("rejects bad arguments, naming them", async () => {
    const data = toyDataset([2, 3]);
    const good = (x: Float32Array, n: number) =>
      Array.from({ length: n }, (_, i) => [x[i * 4]!, x[i * 4 + 1]!]);
    const run = (encode: unknown, options: Record<string, unknown>, d: unknown = data) =>
      betaVaeScore(d as never, encode as never, { seed: 1, ...small, ...options } as never);
    await assert.rejects(run(good, { seed: 1.5 }), /seed must be a safe integer.*1\.5/);
    await assert.rejects(
      run(good, { seed: undefined }),
      /options\.seed is required \(a safe integer\): current value is undefined/,
    );
    await assert.rejects(
      run(good, { batchSize: 0 }),
      /options\.batchSize must be an integer in \[1, 1000000\]: current value is 0/,
    );
    await assert.rejects(run(good, { numEval: -1 }), RangeError);
    await assert.rejects(run(good, { batch: 2 }), /options\.batch is not an option/);
    await assert.rejects(run("encode", {}), /encode must be a function/);
    await assert.rejects(run(good, {}, { factorSizes: [2, 0] }), /factorSizes\[1\]/);
    // A factor of one value: every pair agrees on it, so its label carries nothing.
    await assert.rejects(
      run(good, {}, toyDataset([2, 1])),
      (e: Error) =>
        e instanceof RangeError &&
        /factor 1 takes a single value \(dataset\.factorSizes\[1\] is 1\).*nothing to score/
          .test(e.message),
    );
    await assert.rejects(run(good, {}, toyDataset([1])), /factor 0 takes a single value/);
    await assert.rejects(
      run(good, {}, { factorSizes: [2], imageSize: 2 }),
      /render must be a function/,
    );
    await assert.rejects(
      run((_x: Float32Array, n: number) => Array(n - 1).fill([0, 0]), {}),
      /1024 rows of codes for 1024 images/,
    );
    await assert.rejects(
      run(
        (_x: Float32Array, n: number) =>
          Array.from({ length: n }, (_, i) => (i === 3 ? [0] : [0, 1])),
        {},
      ),
      /rows of 2 numbers.*row 3/,
    );
    await assert.rejects(
      run(
        (_x: Float32Array, n: number) => Promise.resolve(Array.from({ length: n }, () => [0, NaN])),
        {},
      ),
      /finite numbers: row 0, value 1 is NaN/,
    );
  });
});
