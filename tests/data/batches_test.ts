import assert from "node:assert/strict";
import { Batches, binarizeOnce, loadEmbeddedMnist } from "../../models.ts";

Deno.test("loadEmbeddedMnist()", async (t) => {
  const a = loadEmbeddedMnist(), b = loadEmbeddedMnist();
  await t.step("splits the 10,000 digits the same way every time", () => {
    assert.equal(a.train.count, 9000);
    assert.equal(a.test.count, 1000);
    assert.deepEqual(a.test.labels, b.test.labels);
    assert.deepEqual(a.train.images.subarray(0, 784 * 3), b.train.images.subarray(0, 784 * 3));
    assert.ok(a.train.images.every((v) => v >= 0 && v <= 1));
    const seen = new Set(a.test.labels);
    assert.equal(seen.size, 10);
  });
  await t.step("rejects a bad test count", () => {
    assert.throws(
      () => loadEmbeddedMnist({ testCount: 0 }),
      /testCount must be an integer in \[1, 9999\]: current value is 0/,
    );
  });
});

Deno.test("Batches", async (t) => {
  const { train, test } = loadEmbeddedMnist();
  await t.step("are reproducible from (seed, epoch, index), whatever came before", () => {
    const x = new Batches(train, { batchSize: 50, seed: 3, binarize: true });
    const y = new Batches(train, { batchSize: 50, seed: 3, binarize: true });
    const first = x.batch(4, 7).slice();
    x.batch(0, 0);
    y.batch(2, 1);
    assert.deepEqual(y.batch(4, 7), first);
    assert.notDeepEqual(x.batch(5, 7), first);
  });
  await t.step(
    "reuse one buffer (no allocation per batch) and cover each example once per epoch",
    () => {
      const b = new Batches(test, { batchSize: 100, seed: 1 });
      const buf = b.batch(0, 0);
      assert.equal(b.batch(0, 1), buf);
      const sums = new Map<number, number>();
      for (let i = 0; i < b.perEpoch; i++) {
        const batch = b.batch(0, i);
        for (let r = 0; r < 100; r++) {
          let s = 0;
          for (let j = 0; j < 784; j++) s += batch[r * 784 + j]!;
          sums.set(s, (sums.get(s) ?? 0) + 1);
        }
      }
      let all = 0;
      for (let r = 0; r < test.count; r++) {
        let s = 0;
        for (let j = 0; j < 784; j++) s += test.images[r * 784 + j]!;
        sums.set(s, (sums.get(s) ?? 0) - 1);
        all++;
      }
      assert.equal(all, 1000);
      assert.ok([...sums.values()].every((c) => c === 0), "every example exactly once");
    },
  );
  await t.step("binarize with probability equal to the grey level", () => {
    const b = new Batches(train, { batchSize: 1000, seed: 2, binarize: true });
    let grey = 0, ones = 0;
    for (let i = 0; i < b.perEpoch; i++) {
      const x = b.batch(0, i);
      for (const v of x) ones += v;
    }
    for (const v of train.images) grey += v;
    const n = b.perEpoch * 1000 * 784;
    assert.ok(Math.abs(ones / n - grey / train.images.length) < 0.002);
    const fixed = binarizeOnce(test, 1);
    assert.deepEqual(fixed, binarizeOnce(test, 1));
    assert.ok(fixed.every((v) => v === 0 || v === 1));
  });
  await t.step("reject a bad batch size or index", () => {
    assert.throws(
      () => new Batches(test, { batchSize: 0, seed: 1 }),
      /batchSize must be an integer in \[1, 1000\]: current value is 0/,
    );
    assert.throws(
      () => new Batches(test, { batchSize: 10, seed: 1 }).batch(0, 100),
      /index in \[0, 100\)/,
    );
  });
});
