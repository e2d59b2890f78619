import assert from "node:assert/strict";
import { createRng } from "../../mod.ts";
import { dsprites, sampleFactors } from "../../disentanglement.ts";
import { sha256Hex } from "../../lib/io/checksum.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";

/** The images of `rows` as bytes, for a checksum. */
function bytes(images: Float32Array): Uint8Array {
  return Uint8Array.from(images);
}

function differ(images: Float32Array, pixels: number, a: number, b: number): boolean {
  for (let p = 0; p < pixels; p++) {
    if (images[a * pixels + p] !== images[b * pixels + p]) return true;
  }
  return false;
}

Deno.test("dsprites() describes the factors of Matthey et al. (2017)", () => {
  const d = dsprites();
  assert.deepEqual(d.factorNames, ["shape", "scale", "orientation", "posX", "posY"]);
  assert.deepEqual(d.factorSizes, [3, 6, 40, 32, 32]);
  assert.equal(d.count, 737_280);
  assert.equal(d.imageSize, 64);
  assert.deepEqual(d.shapes, ["square", "ellipse", "heart"]);
  // The data set's metadata (latents_possible_values), as printed to 8 digits.
  const [shape, scale, orientation, posX, posY] = d.factorValues;
  assert.deepEqual(shape, [1, 2, 3]);
  [0.5, 0.6, 0.7, 0.8, 0.9, 1].forEach((v, i) => assertClose(scale![i]!, v, { abs: 1e-15 }));
  assertClose(orientation![1]!, 0.16110732, { abs: 5e-9 });
  assertClose(orientation![20]!, 3.22214631, { abs: 5e-9 });
  assert.equal(orientation![39], 2 * Math.PI);
  assertClose(posX![1]!, 0.03225806, { abs: 5e-9 });
  assert.equal(posX![31], 1);
  assert.deepEqual(posX, posY);
});

Deno.test("dsprites().render", async (t) => {
  const d64 = dsprites(), d32 = dsprites({ imageSize: 32 });

  await t.step("is pixel-stable: a checksum of fixed renders", async () => {
    // Fixed rows that visit every value of every factor (no random stream involved).
    const rows = Array.from(
      { length: 240 },
      (_, i) => [i % 3, (i * 7) % 6, (i * 13) % 40, (i * 11) % 32, (i * 17) % 32],
    );
    assert.equal(
      await sha256Hex(bytes(d64.render(rows))),
      "50075a1c703ee13951b0e029dacff52ce8584380103a80aab6b4b029d73d1b3b",
    );
    assert.equal(
      await sha256Hex(bytes(d32.render(rows))),
      "ecfb2244c8069421dbaaae3383635a77a7cb5690674bb5b7434297a7f468455a",
    );
  });

  await t.step("draws binary images, one per row", () => {
    const rows = sampleFactors(d32, 300, createRng(1));
    const images = d32.render(rows);
    assert.equal(images.length, 300 * 1024);
    assert.ok(images.every((v) => v === 0 || v === 1));
    // Every sprite is on the canvas and no pixel of it leaves the image.
    for (let i = 0; i < 300; i++) {
      assert.ok(images.subarray(i * 1024, (i + 1) * 1024).some((v) => v === 1));
    }
  });

  await t.step("changes the image with every step of every factor (64 × 64)", () => {
    const rows: number[][] = [];
    // Orientation: each of the 39 steps, for every shape and scale.
    for (let shape = 0; shape < 3; shape++) {
      for (let scale = 0; scale < 6; scale++) {
        for (let k = 0; k < 40; k++) rows.push([shape, scale, k, 9, 21]);
      }
    }
    const images = d64.render(rows);
    for (let s = 0; s < 18; s++) {
      for (let k = 0; k < 39; k++) {
        assert.ok(differ(images, 4096, s * 40 + k, s * 40 + k + 1), `shape/scale ${s}, step ${k}`);
      }
      // 2π is 0: the orientations wrap, as in the data set.
      assert.ok(!differ(images, 4096, s * 40, s * 40 + 39));
    }
    // Shape, scale and both positions, step by step.
    for (const [factor, size] of [[0, 3], [1, 6], [3, 32], [4, 32]] as const) {
      const base = [2, 0, 7, 12, 20];
      const steps = Array.from(
        { length: size },
        (_, v) => base.map((b, j) => (j === factor ? v : b)),
      );
      const img = d64.render(steps);
      for (let v = 0; v + 1 < size; v++) {
        assert.ok(differ(img, 4096, v, v + 1), `factor ${factor}, ${v}`);
      }
    }
  });

  await t.step("at 32 × 32 every factor still changes the image across its range", () => {
    for (const [factor, size] of [[0, 3], [1, 6], [2, 40], [3, 32], [4, 32]] as const) {
      const base = [2, 3, 5, 10, 10];
      const ends = [0, factor === 2 ? 20 : size - 1].map((v) =>
        base.map((b, j) => (j === factor ? v : b))
      );
      assert.ok(differ(d32.render(ends), 1024, 0, 1), `factor ${factor}`);
    }
  });

  await t.step("scales areas as scale² (within rasterisation error)", () => {
    for (const size of [64, 32]) {
      const d = dsprites({ imageSize: size });
      for (let shape = 0; shape < 3; shape++) {
        // Average over positions and orientations so pixel rounding averages out.
        const area = (scale: number): number => {
          const rows = [];
          for (let x = 0; x < 32; x += 3) {
            for (let k = 0; k < 39; k += 4) rows.push([shape, scale, k, x, 31 - x]);
          }
          return d.render(rows).reduce((a, b) => a + b, 0) / rows.length;
        };
        const full = area(5);
        [0.5, 0.6, 0.7, 0.8, 0.9].forEach((s, i) =>
          assertClose(
            area(i) / full,
            s * s,
            { rel: size === 64 ? 0.02 : 0.05 },
            `shape ${shape}, scale ${s}`,
          )
        );
        // The square's side is 0.3 · scale · imageSize.
        if (shape === 0) assertClose(full, (0.3 * size) ** 2, { rel: 0.02 });
      }
    }
  });

  await t.step("reuses `out` and keeps memory small", () => {
    const rows = sampleFactors(d64, 1000, createRng(2));
    const out = new Float32Array(1000 * 4096);
    d64.render(rows, out);
    const before = Deno.memoryUsage();
    for (let r = 0; r < 10; r++) assert.equal(d64.render(rows, out), out);
    const after = Deno.memoryUsage();
    // Ten batches of 16 MB went into one buffer: nothing of that size was kept.
    assert.ok(
      after.external - before.external < 8e6,
      `external grew by ${after.external - before.external}`,
    );
    assert.ok(
      after.heapUsed - before.heapUsed < 8e6,
      `heap grew by ${after.heapUsed - before.heapUsed}`,
    );
    const second = out.slice(4096, 8192);
    assert.equal(d64.render([[0, 0, 0, 0, 0]], out), out);
    assert.deepEqual(out.subarray(4096, 8192), second); // one row clears and draws one image only
  });

  await t.step("rejects bad rows and buffers", () => {
    assertThrowsNaming(
      () => d64.render([[0, 0, 0, 0]]),
      TypeError,
      "factorRows[0]",
      "5 class indices",
    );
    assertThrowsNaming(
      () => d64.render([[0, 6, 0, 0, 0]]),
      RangeError,
      "factorRows[0][1] (scale)",
      "[0, 5]",
      "6",
    );
    assertThrowsNaming(
      () => d64.render([[0, 0, 1.5, 0, 0]]),
      RangeError,
      "factorRows[0][2]",
      "1.5",
    );
    assertThrowsNaming(() => d64.render([[0, 0, 0, -1, 0]]), RangeError, "(posX)", "-1");
    assertThrowsNaming(
      () => d64.render([[0, 0, 0, 0, "1"]] as never),
      TypeError,
      "[0][4]",
      "number",
    );
    assertThrowsNaming(() => d64.render(null as never), TypeError, "factorRows");
    assertThrowsNaming(
      () => d64.render([[0, 0, 0, 0, 0]], new Float32Array(10)),
      TypeError,
      "out",
      "4096",
    );
    assertThrowsNaming(
      () => d64.render([[0, 0, 0, 0, 0]], new Float64Array(4096) as never),
      TypeError,
      "Float32Array",
    );
  });
});

Deno.test("dsprites() validates its options", () => {
  assert.equal(dsprites({ imageSize: 32 }).imageSize, 32);
  assert.equal(dsprites({}).imageSize, 64);
  assertThrowsNaming(() => dsprites({ imageSize: 0 }), RangeError, "imageSize", "0");
  assertThrowsNaming(() => dsprites({ imageSize: 31.5 }), RangeError, "imageSize", "31.5");
  assertThrowsNaming(
    () => dsprites({ imageSize: 512 }),
    RangeError,
    "imageSize",
    "[16, 256]",
    "512",
  );
  assertThrowsNaming(() => dsprites({ imageSize: "64" as never }), TypeError, "imageSize", '"64"');
  assertThrowsNaming(() => dsprites({ size: 64 } as never), TypeError, "options.size", "imageSize");
  assertThrowsNaming(() => dsprites(null as never), TypeError, "options");
});

Deno.test("sampleFactors()", async (t) => {
  const d = dsprites();
  await t.step("draws every factor uniformly, reproducibly from the seed", () => {
    const rows = sampleFactors(d, 6000, createRng(5));
    assert.deepEqual(rows, sampleFactors(d, 6000, createRng(5)));
    assert.notDeepEqual(rows.slice(0, 10), sampleFactors(d, 10, createRng(6)));
    d.factorSizes.forEach((size, j) => {
      const counts = new Array(size).fill(0);
      for (const r of rows) counts[r[j]!]++;
      // Each value's count is binomial(6000, 1/size): within 5 standard deviations.
      const mean = 6000 / size, sd = Math.sqrt(6000 * (1 / size) * (1 - 1 / size));
      assert.ok(counts.every((c) => Math.abs(c - mean) < 5 * sd), `factor ${j}`);
    });
  });
  await t.step("holds one factor fixed across a batch", () => {
    const rng = createRng(9);
    const values = new Set<number>();
    for (let b = 0; b < 50; b++) {
      const rows = sampleFactors(d, 64, rng, 2);
      assert.ok(rows.every((r) => r[2] === rows[0]![2]));
      assert.ok(new Set(rows.map((r) => r[3])).size > 1);
      values.add(rows[0]![2]!);
    }
    assert.ok(values.size > 20); // the fixed value itself varies between batches
  });
  await t.step("rejects bad arguments", () => {
    assertThrowsNaming(() => sampleFactors(d, 0, createRng(1)), RangeError, "n", "0");
    assertThrowsNaming(() => sampleFactors(d, 2, createRng(1), 5), RangeError, "fixedFactor", "5");
    assertThrowsNaming(() => sampleFactors(d, 2, {} as never), TypeError, "rng");
    assertThrowsNaming(
      () => sampleFactors({ factorSizes: [] }, 2, createRng(1)),
      TypeError,
      "factorSizes",
    );
    assertThrowsNaming(
      () => sampleFactors({ factorSizes: [3, 0] }, 2, createRng(1)),
      RangeError,
      "dataset.factorSizes[1]",
    );
  });
});
