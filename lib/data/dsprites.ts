import { readOptions } from "../math/_options.ts";
import { assertArrayLike, MAX_ARRAY_VALUES, show } from "../math/_validate.ts";
import { drawSprite, SHAPES } from "./_sprites.ts";
import type { FactorDataset } from "./factor_dataset.ts";

/** Options of {@linkcode dsprites}. */
export interface DSpritesOptions {
  /**
   * Image side in pixels, an integer in [16, 256] (default 64, the data set's
   * own). 32 renders the same geometry directly at 32 × 32 for quick runs.
   */
  imageSize?: number;
}

/** The dSprites factor data set returned by {@linkcode dsprites}. */
export interface DSprites extends FactorDataset {
  /** `["shape", "scale", "orientation", "posX", "posY"]`. */
  readonly factorNames: readonly string[];
  /** `[3, 6, 40, 32, 32]`. */
  readonly factorSizes: readonly number[];
  /**
   * The value behind each class index, as the data set's `latents_values`:
   * shape 1, 2, 3 (square, ellipse, heart); scale linspace(0.5, 1, 6);
   * orientation linspace(0, 2π, 40) radians; posX and posY linspace(0, 1, 32).
   */
  readonly factorValues: readonly (readonly number[])[];
  /** The shapes' names, in the order of the shape factor. */
  readonly shapes: readonly string[];
  /** The number of factor combinations, 737,280. */
  readonly count: number;
}

const NAMES = ["shape", "scale", "orientation", "posX", "posY"] as const;
const SIZES = [3, 6, 40, 32, 32] as const;

/** numpy's linspace(start, stop, num): start + i·step, the last value exactly stop. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

const VALUES: readonly (readonly number[])[] = [
  [1, 2, 3],
  linspace(0.5, 1, 6),
  linspace(0, 2 * Math.PI, 40),
  linspace(0, 1, 32),
  linspace(0, 1, 32),
];

/**
 * The dSprites data set of Matthey et al. (2017), rendered procedurally: a
 * white sprite on black, shape (square, ellipse, heart) × scale (6) ×
 * orientation (40) × posX (32) × posY (32) = 737,280 binary images, drawn on
 * demand so that only the batch in hand takes memory. Nothing is downloaded.
 *
 * The factor values are the data set's own. Its orientations wrap: 0 and 2π
 * (indices 0 and 39) are one image. Squares look alike every π/2 and ellipses
 * every π, so their orientation is only partly visible in the image — which
 * caps what any model can recover of it, here as in the original. The shapes'
 * sizes and the margins were measured on the data set's published frames; the
 * sprite centre runs over the middle half of the image:
 *
 * ```text
 * centre = side · (0.25 + 0.5 · pos)            (pixels 16 … 48 at 64 × 64)
 * square side = 0.3 · scale · side               (19.2 pixels at scale 1)
 * a pixel is 1 when its centre is inside the rotated, scaled shape
 * ```
 *
 * @param options `imageSize` (default 64).
 * @returns The factor data set: `factorNames`, `factorSizes`, `factorValues`,
 *   `imageSize`, `count` and `render(factorRows, out?)`.
 * @throws {TypeError} If `options` is not an object or has an unknown key.
 * @throws {RangeError} If `imageSize` is not an integer in [16, 256].
 *
 * @example Render two sprites that differ only in shape
 * ```ts
 * import { dsprites } from "@elbo/elbo/disentanglement";
 * import assert from "node:assert/strict";
 *
 * const data = dsprites({ imageSize: 32 });
 * const images = data.render([[0, 5, 0, 16, 16], [2, 5, 0, 16, 16]]);
 * assert.equal(images.length, 2 * 32 * 32);
 * assert.ok(images.every((v) => v === 0 || v === 1));
 * assert.notDeepEqual(images.subarray(0, 1024), images.subarray(1024));
 * ```
 */
export function dsprites(options: DSpritesOptions = {}): DSprites {
  const what = "Cannot create dsprites";
  const o = readOptions(what, options, ["imageSize"]);
  const size = o.int("imageSize", { min: 16, max: 256, default: 64 });
  const pixels = size * size;
  return {
    name: size === 64 ? "dsprites" : `dsprites ${size}×${size}`,
    factorNames: NAMES,
    factorSizes: SIZES,
    factorValues: VALUES,
    shapes: SHAPES,
    count: SIZES.reduce((a, b) => a * b, 1),
    imageSize: size,
    render(factorRows: ArrayLike<ArrayLike<number>>, out?: Float32Array): Float32Array {
      const rows = checkRows(factorRows, pixels);
      const n = rows.length;
      if (out === undefined) out = new Float32Array(n * pixels);
      else if (!(out instanceof Float32Array) || out.length < n * pixels) {
        throw new TypeError(
          `Cannot render dsprites as out must be a Float32Array of at least ${
            n * pixels
          } values (${n} images of ${size}×${size}): current value is ${show(out)}`,
        );
      } else out.fill(0, 0, n * pixels);
      const scales = VALUES[1]!, positions = VALUES[3]!, angles = VALUES[2]!;
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        const orientation = row[2]! % 39; // 2π is 0: the same image
        drawSprite(
          out,
          i * pixels,
          size,
          row[0]!,
          scales[row[1]!]!,
          angles[orientation]!,
          size * (0.25 + 0.5 * positions[row[3]!]!),
          size * (0.25 + 0.5 * positions[row[4]!]!),
        );
      }
      return out;
    },
  };
}

/** Checks factor rows: n rows of 5 integer class indices within `SIZES`. */
function checkRows(value: unknown, pixels: number): ArrayLike<ArrayLike<number>> {
  const what = "Cannot render dsprites";
  const rows = assertArrayLike(what, "factorRows", value, "an array of factor rows");
  if (rows.length * pixels > MAX_ARRAY_VALUES) {
    throw new RangeError(
      `${what} as factorRows must hold at most ${
        Math.floor(MAX_ARRAY_VALUES / pixels)
      } rows (the images must fit in one array of 2²⁷ values): current length is ${rows.length}`,
    );
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ArrayLike<unknown> | null;
    if (row === null || typeof row !== "object" || row.length !== 5) {
      throw new TypeError(
        `${what} as factorRows[${i}] must be 5 class indices (${
          NAMES.join(", ")
        }): current value is ${show(row)}`,
      );
    }
    for (let j = 0; j < 5; j++) {
      const v = row[j];
      if (typeof v !== "number") {
        throw new TypeError(
          `${what} as factorRows[${i}][${j}] (${NAMES[j]}) must be a number: current value is ${
            show(v)
          }`,
        );
      }
      if (!Number.isInteger(v) || v < 0 || v >= SIZES[j]!) {
        throw new RangeError(
          `${what} as factorRows[${i}][${j}] (${NAMES[j]}) must be an integer in [0, ${
            SIZES[j]! - 1
          }]: current value is ${show(v)}`,
        );
      }
    }
  }
  return rows as ArrayLike<ArrayLike<number>>;
}
