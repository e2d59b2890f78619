import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { loadIdxDataset, loadIdxDirectory, parseIdx } from "../../models.ts";
import { idx, writeTinyData } from "./_idx_files.ts";
import { hasSystemPackage } from "../_system.ts";

const FASHION = "/usr/share/datasets/fashion-mnist";
const HAS_FASHION = hasSystemPackage(
  FASHION,
  "dataset-fashion-mnist",
  "the full Fashion-MNIST test",
);

Deno.test("parseIdx()", async (t) => {
  await t.step("reads plain and gzip files", () => {
    const f = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    for (const bytes of [f, new Uint8Array(gzipSync(f))]) {
      const r = parseIdx(bytes);
      assert.deepEqual(r.dims, [2, 2, 3]);
      assert.deepEqual(Array.from(r.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    }
  });
  await t.step("refuses what is not bytes", () => {
    assert.throws(() => parseIdx([0, 0, 8, 1] as unknown as Uint8Array), TypeError);
    assert.throws(
      () => parseIdx(new Uint8Array(4), 3 as unknown as string),
      /source must be a string/,
    );
  });
  await t.step("rejects malformed files with a clear message", () => {
    assert.throws(
      () => parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 1, 5]), "x.idx"),
      /Cannot read x\.idx as its bytes are not IDX data: bad magic number 0x01020801/,
    );
    assert.throws(() => parseIdx(idx([1], [5], 0x0d)), /data type 0xd is not supported/);
    assert.throws(
      () => parseIdx(idx([10, 28, 28], [1, 2, 3])),
      /truncated: the header promises 7840 bytes .* holds 3/,
    );
    assert.throws(
      () => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0])),
      /promises 3 dimensions but the file ends first/,
    );
    assert.throws(
      () => parseIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3])),
      /starts like gzip but does not decompress/,
    );
    assert.throws(() => parseIdx(new Uint8Array([0, 0])), /too short/);
  });
});

Deno.test("loadIdxDataset() and loadIdxDirectory()", async (t) => {
  const dir = await Deno.makeTempDir();
  await t.step("a count mismatch between images and labels is an error", async () => {
    await Deno.writeFile(`${dir}/i`, idx([2, 1, 1], [0, 255]));
    await Deno.writeFile(`${dir}/l`, idx([3], [1, 2, 3]));
    await assert.rejects(() => loadIdxDataset(`${dir}/i`, `${dir}/l`), /2 images but 3 labels/);
    await Deno.writeFile(`${dir}/l`, idx([2, 1], [1, 2]));
    await assert.rejects(() => loadIdxDataset(`${dir}/i`, `${dir}/l`), /expected 1 dimension/);
    await Deno.writeFile(`${dir}/l`, idx([2], [1, 2]));
    const d = await loadIdxDataset(`${dir}/i`, `${dir}/l`);
    assert.deepEqual(Array.from(d.images), [0, 1]);
    await assert.rejects(
      () => loadIdxDataset(`${dir}/missing`, `${dir}/l`),
      /cannot read .*missing \(No such file/,
    );
    await assert.rejects(
      () => loadIdxDataset(`${dir}/gone-i`, `${dir}/gone-l`, "both"),
      /Cannot load both: cannot read .*gone-i \(.*\); cannot read .*gone-l/,
    );
  });
  await t.step("a file with no images, or empty images, is an error naming it", async () => {
    await Deno.writeFile(`${dir}/i0`, idx([0, 28, 28], []));
    await Deno.writeFile(`${dir}/l0`, idx([0], []));
    await assert.rejects(() => loadIdxDataset(`${dir}/i0`, `${dir}/l0`), /i0: it holds no images/);
    await Deno.writeFile(`${dir}/i0`, idx([3, 0, 28], []));
    await Deno.writeFile(`${dir}/l0`, idx([3], [1, 2, 3]));
    await assert.rejects(
      () => loadIdxDataset(`${dir}/i0`, `${dir}/l0`),
      /i0: its images are 0 × 28 pixels/,
    );
    await Deno.writeFile(`${dir}/i0`, idx([3, 2], [1, 2, 3, 4, 5, 6]));
    await assert.rejects(
      () => loadIdxDataset(`${dir}/i0`, `${dir}/l0`),
      /expected 3 dimensions \(count, height, width\), found 2/,
    );
  });
  await t.step("train and test images of different sizes are refused, naming both", async () => {
    const odd = await writeTinyData(`${dir}/odd`, { train: 5, test: 4, testSize: [9, 7] });
    await assert.rejects(
      () => loadIdxDirectory(odd),
      /differ in size: .*odd\/train-images-idx3-ubyte holds 8 × 8 images but .*odd\/t10k-images-idx3-ubyte holds 9 × 7/,
    );
    const ok = await writeTinyData(`${dir}/ok`, { train: 5, test: 4 });
    const { train, test } = await loadIdxDirectory(ok);
    assert.deepEqual([train.count, test.count, train.width, test.height], [5, 4, 8, 8]);
  });
  await t.step("a folder without the standard files names what it looked for", async () => {
    await assert.rejects(
      () => loadIdxDirectory(dir),
      /Cannot find train-images-idx3-ubyte\[\.gz\] in/,
    );
  });
  await Deno.remove(dir, { recursive: true });

  await t.step({
    name: "reads the full Fashion-MNIST from Debian's dataset-fashion-mnist",
    ignore: !HAS_FASHION,
    fn: async () => {
      const { train, test } = await loadIdxDirectory(FASHION);
      assert.equal(train.count, 60_000);
      assert.equal(test.count, 10_000);
      assert.equal(train.width, 28);
      assert.equal(train.images.length, 60_000 * 784);
      assert.ok(train.images.every((v) => v >= 0 && v <= 1));
      const counts = new Array(10).fill(0);
      for (const l of train.labels) counts[l]++;
      assert.deepEqual(counts, new Array(10).fill(6000)); // Fashion-MNIST is balanced
    },
  });
});
