import assert from "node:assert/strict";
import { createRng } from "../../mod.ts";
import { shuffle } from "../../lib/math/_shuffle.ts";
import { fc } from "../_fc.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

Deno.test("shuffle()", async (t) => {
  await t.step(
    "gives the pinned order for seed 1 (the batches and the MNIST split rely on it)",
    () => {
      // The swaps i = 9 … 1 with j = rng.integer(i + 1) from createRng(1).
      assert.deepEqual(shuffle(range(10), createRng(1)), [4, 0, 7, 5, 2, 9, 6, 8, 1, 3]);
    },
  );

  await t.step("permutes in place and returns its argument, for arrays and typed arrays", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.noShrink(fc.nat()), (n, seed) => {
        const a = range(n), u = Uint32Array.from(range(n));
        assert.equal(shuffle(a, createRng(seed)), a);
        assert.equal(shuffle(u, createRng(seed)), u);
        assert.deepEqual(Array.from(u), a, "the same seed gives the same order");
        assert.deepEqual([...a].sort((x, y) => x - y), range(n), "a permutation");
      }),
    );
  });

  await t.step("takes exactly n − 1 draws, so the stream after it is predictable", () => {
    const a = createRng(5), b = createRng(5);
    shuffle(range(8), a);
    for (let i = 7; i > 0; i--) b.integer(i + 1);
    assert.equal(a.uniform(), b.uniform());
    const c = createRng(6), d = createRng(6);
    shuffle([], c);
    shuffle(["only"], c);
    assert.equal(c.uniform(), d.uniform(), "no draw for n ≤ 1");
  });

  await t.step("makes the 6 orders of 3 items equally likely", () => {
    const rng = createRng(3), N = 60_000, counts = new Map<string, number>();
    for (let k = 0; k < N; k++) {
      const key = shuffle(["a", "b", "c"], rng).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal(counts.size, 6);
    // Each count is Binomial(N, 1/6): standard deviation √(N · 1/6 · 5/6) ≈ 91.
    for (const [key, c] of counts) assert.ok(Math.abs(c - N / 6) < 5 * 91, `${key}: ${c}`);
  });
});
