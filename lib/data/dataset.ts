/** Images with labels, as flat rows of grey levels in [0, 1]. */
export interface Dataset {
  /** A name for reports ("mnist", "fashion-mnist train", …). */
  name: string;
  /** count × (width · height) grey levels in [0, 1], row-major images one after another. */
  images: Float32Array;
  /** count class labels (0–9). */
  labels: Uint8Array;
  /** The number of images. */
  count: number;
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
}

/** A train/test split. */
export interface Split {
  /** Training images. */
  train: Dataset;
  /** Held-out images. */
  test: Dataset;
}

/** Selects the rows `indices` of a data set into a new one. */
export function subset(d: Dataset, indices: ArrayLike<number>, name = d.name): Dataset {
  const size = d.width * d.height;
  const images = new Float32Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(d.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = d.labels[j]!;
  }
  return { name, images, labels, count: indices.length, width: d.width, height: d.height };
}
