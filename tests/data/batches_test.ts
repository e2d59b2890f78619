import assert from "node:assert/strict";
import { Batches, binarizeOnce, loadEmbeddedMnist, subset } from "../../models.ts";

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
  await t.step("seeds that differ only above bit 32 give other shuffles and noise", () => {
    for (const [a, b] of [[1, 2 ** 32 + 1], [0, 2 ** 40], [7, 7 + 2 ** 52]]) {
      const x = new Batches(test, { batchSize: 10, seed: a!, binarize: true });
      const y = new Batches(test, { batchSize: 10, seed: b!, binarize: true });
      assert.notDeepEqual(x.batch(0, 0), y.batch(0, 0), `${a} and ${b}`);
      const plainX = new Batches(test, { batchSize: 1000, seed: a! }).batch(0, 0).slice();
      const plainY = new Batches(test, { batchSize: 1000, seed: b! }).batch(0, 0);
      assert.notDeepEqual(plainX, plainY, `the shuffles of ${a} and ${b}`);
      assert.notDeepEqual(binarizeOnce(test, a!), binarizeOnce(test, b!));
    }
  });
  await t.step("large seeds give every epoch its own order and every batch its own noise", () => {
    // Grey 0.5 everywhere: a binarised batch is then pure noise.
    const grey = {
      name: "grey",
      images: new Float32Array(64 * 16).fill(0.5),
      labels: new Uint8Array(64),
      count: 64,
      width: 4,
      height: 4,
    };
    const index = {
      ...grey,
      name: "index",
      images: Float32Array.from({ length: 64 * 16 }, (_, i) => Math.floor(i / 16) / 64),
    };
    for (const seed of [1e6, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      const noise = new Batches(grey, { batchSize: 8, seed, binarize: true });
      const first = noise.batch(0, 0).slice();
      for (let b = 1; b < 8; b++) assert.notDeepEqual(noise.batch(0, b), first, `${seed}: ${b}`);
      const order = new Batches(index, { batchSize: 64, seed });
      const epoch0 = order.batch(0, 0).slice();
      for (let e = 1; e < 4; e++) assert.notDeepEqual(order.batch(e, 0), epoch0, `${seed}: ${e}`);
    }
  });
  await t.step("reject what is not a data set, bad options and bad pixels, naming them", () => {
    const grey = () => ({
      name: "grey",
      images: new Float32Array(4 * 4).fill(0.5),
      labels: new Uint8Array(4),
      count: 4,
      width: 2,
      height: 2,
    });
    const cases: [() => unknown, ErrorConstructor, RegExp][] = [
      [
        () => new Batches(0 as never, { batchSize: 1, seed: 1 }),
        TypeError,
        /as data must be a Dataset/,
      ],
      [() => new Batches(grey(), null as never), TypeError, /as options must be/],
      [
        () => new Batches({ ...grey(), count: 5 }, { batchSize: 1, seed: 1 }),
        TypeError,
        /data\.images must be a Float32Array of count × width × height = 20 values/,
      ],
      [
        () => new Batches(grey(), { batchSize: 1, seed: 1, binarize: "yes" as never }),
        TypeError,
        /binarize must be a boolean/,
      ],
      [
        () => new Batches(grey(), { batchSize: 1, seed: 2 ** 53 }),
        RangeError,
        /seed must be a safe integer/,
      ],
      [
        () => new Batches(grey(), { batchSize: "2" as never, seed: 1 }),
        TypeError,
        /options\.batchSize must be an integer in \[1, 4\] \(the images of grey\): current value is "2"/,
      ],
      [
        () => {
          const d = grey();
          d.images[3] = NaN;
          return new Batches(d, { batchSize: 1, seed: 1, binarize: true });
        },
        RangeError,
        /data\.images must hold grey levels in \[0, 1\]: data\.images\[3\] is NaN/,
      ],
      [
        () => new Batches(grey(), { batchSize: 1, seed: 1 }).batch("0" as never, 0),
        TypeError,
        /epoch must be a number/,
      ],
      [
        () => new Batches(grey(), { batchSize: 1, seed: 1 }).batch(-1, 0),
        RangeError,
        /epoch must be a safe integer ≥ 0/,
      ],
      [
        () => binarizeOnce({ ...grey(), labels: [0, 0, 0, 0] } as never, 1),
        TypeError,
        /data\.labels/,
      ],
      [() => subset(grey(), [0, 4]), RangeError, /indices\[1\] is 4/],
      [() => subset(grey(), [0, , 1] as never), TypeError, /indices\[1\] is undefined/],
      [() => subset(grey(), 3 as never), TypeError, /indices must be an array of row numbers/],
      [() => subset(grey(), [0], 7 as never), TypeError, /name must be a string/],
    ];
    for (const [f, kind, message] of cases) {
      assert.throws(f, (e) => e instanceof kind && message.test((e as Error).message));
    }
  });
  await t.step("reject a bad batch size or index", () => {
    assert.throws(
      () => new Batches(test, { batchSize: 0, seed: 1 }),
      /batchSize must be an integer in \[1, 1000\] \(the images of .*\): current value is 0/,
    );
    assert.throws(
      () => new Batches(test, { batchSize: 10, seed: 1 }).batch(0, 100),
      /index must be an integer in \[0, 100\)/,
    );
  });
});
