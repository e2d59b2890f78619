// Small IDX files written by tests: the MNIST format, any size.
import { createRng } from "../../lib/math/rng.ts";

/** An IDX file of unsigned bytes (type 0x08) with the given dimensions. */
export function idx(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const v = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

/** The shape of a small data folder. */
export interface TinyData {
  /** Training images (default 240). */
  train?: number;
  /** Test images (default 60). */
  test?: number;
  /** Image height × width of the training images (default [8, 8]). */
  size?: [number, number];
  /** Image height × width of the test images (default: as training). */
  testSize?: [number, number];
  /** Labels in the training label file (default: one per image). */
  trainLabels?: number;
  /** Seed of the grey levels (default 1). */
  seed?: number;
}

/**
 * Writes the four files of an MNIST-format folder with seeded grey levels:
 * bright blobs on a dark ground, so a model has something to learn.
 */
export async function writeTinyData(dir: string, o: TinyData = {}): Promise<string> {
  const rng = createRng(o.seed ?? 1);
  await Deno.mkdir(dir, { recursive: true });
  const images = (n: number, [h, w]: [number, number]) => {
    const px = new Uint8Array(n * h * w);
    for (let i = 0; i < n; i++) {
      const cy = rng.integer(h), cx = rng.integer(w);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const d2 = (y - cy) ** 2 + (x - cx) ** 2;
          px[(i * h + y) * w + x] = Math.round(255 * Math.exp(-d2 / 4) * rng.uniform());
        }
      }
    }
    return px;
  };
  const size = o.size ?? [8, 8], testSize = o.testSize ?? size;
  const nTrain = o.train ?? 240, nTest = o.test ?? 60, nLabels = o.trainLabels ?? nTrain;
  const labels = (n: number) => Array.from({ length: n }, () => rng.integer(10));
  await Deno.writeFile(
    `${dir}/train-images-idx3-ubyte`,
    idx([nTrain, ...size], images(nTrain, size)),
  );
  await Deno.writeFile(`${dir}/train-labels-idx1-ubyte`, idx([nLabels], labels(nLabels)));
  await Deno.writeFile(
    `${dir}/t10k-images-idx3-ubyte`,
    idx([nTest, ...testSize], images(nTest, testSize)),
  );
  await Deno.writeFile(`${dir}/t10k-labels-idx1-ubyte`, idx([nTest], labels(nTest)));
  return dir;
}
