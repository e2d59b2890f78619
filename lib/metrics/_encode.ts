// Rendering factor rows and encoding them in chunks, for the metrics that
// sample their own data (BetaVAE, FactorVAE, sampleCodes): one image buffer is
// reused, and each call of the encoder is checked.
import { type FactorDataset, factorSizesOf } from "../data/factor_dataset.ts";
import { assertInteger, MAX_ARRAY_VALUES, show } from "../math/_validate.ts";
import type { Encoder } from "./encoder.ts";

/** Checks `dataset` as a factor data set and returns its sizes and image side. */
export function checkDataset(
  what: string,
  dataset: unknown,
): { sizes: readonly number[]; pixels: number } {
  const sizes = factorSizesOf(what, dataset);
  const ds = dataset as FactorDataset;
  assertInteger(what, "dataset.imageSize", ds.imageSize, 1);
  if (typeof ds.render !== "function") {
    throw new TypeError(
      `${what} as dataset.render must be a function: current value is ${show(ds.render)}`,
    );
  }
  return { sizes, pixels: ds.imageSize * ds.imageSize };
}

/** Renders factor rows and encodes them, checking every answer of the encoder. */
export class EncodeRunner {
  /** The number of values per code, known after the first call (0 before). */
  latent = 0;
  readonly #what: string;
  readonly #dataset: FactorDataset;
  readonly #encode: Encoder;
  readonly #pixels: number;
  #buffer = new Float32Array(0);

  constructor(what: string, dataset: FactorDataset, encode: unknown, pixels: number) {
    if (typeof encode !== "function") {
      throw new TypeError(
        `${what} as encode must be a function (images, n) => codes: current value is ${
          show(encode)
        }`,
      );
    }
    this.#what = what;
    this.#dataset = dataset;
    this.#encode = encode as Encoder;
    this.#pixels = pixels;
  }

  /** The codes of the images of `rows`, row-major (rows.length × latent). */
  async run(rows: number[][]): Promise<Float64Array> {
    const n = rows.length, what = this.#what;
    if (n * this.#pixels > MAX_ARRAY_VALUES) {
      throw new RangeError(`${what} as one call would render ${n} images: too many for one array`);
    }
    if (this.#buffer.length < n * this.#pixels) this.#buffer = new Float32Array(n * this.#pixels);
    const images = this.#dataset.render(rows, this.#buffer);
    if (!(images instanceof Float32Array) || images.length < n * this.#pixels) {
      throw new TypeError(
        `${what} as dataset.render must return a Float32Array of ${n} × ${this.#pixels} values: current value is ${
          show(images)
        }`,
      );
    }
    const codes: unknown = await this.#encode(images.subarray(0, n * this.#pixels), n);
    if (codes === null || typeof codes !== "object" || (codes as ArrayLike<unknown>).length !== n) {
      throw new TypeError(
        `${what} as encode must return ${n} rows of codes for ${n} images: current value is ${
          show(codes)
        }`,
      );
    }
    const arr = codes as ArrayLike<ArrayLike<unknown>>;
    if (this.latent === 0) {
      const first = arr[0];
      if (first === null || typeof first !== "object" || !(first.length >= 1)) {
        throw new TypeError(
          `${what} as encode must return rows of at least one number: current first row is ${
            show(first)
          }`,
        );
      }
      this.latent = first.length;
    }
    const L = this.latent, out = new Float64Array(n * L);
    for (let i = 0; i < n; i++) {
      const row = arr[i];
      if (row === null || typeof row !== "object" || row.length !== L) {
        throw new TypeError(
          `${what} as encode must return rows of ${L} numbers (the length of its first row): row ${i} is ${
            show(row)
          }`,
        );
      }
      for (let j = 0; j < L; j++) {
        const v = row[j];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          const kind = typeof v !== "number" ? TypeError : RangeError;
          throw new kind(
            `${what} as encode must return finite numbers: row ${i}, value ${j} is ${show(v)}`,
          );
        }
        out[i * L + j] = v;
      }
    }
    return out;
  }
}
