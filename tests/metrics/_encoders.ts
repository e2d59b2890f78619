// Encoders of the toy factor data set (tests/metrics/_data.ts) for the laws of
// the scores that sample their own images.
import { createRng } from "../../mod.ts";
import { codeOf, type Setup } from "./_laws.ts";

/** An encoder for images of `imageSize`² pixels whose first pixels hold the factor row. */
function encoder(
  s: Setup,
  imageSize: number,
  code: (factors: number[]) => number[],
): (images: Float32Array, n: number) => number[][] {
  const pixels = imageSize * imageSize, k = s.sizes.length;
  return (images, n) =>
    Array.from(
      { length: n },
      (_, i) => code(Array.from(images.subarray(i * pixels, i * pixels + k))),
    );
}

/** Codes equal to the factors: code j = map(factor order[j]). */
export function perfectEncoder(s: Setup, imageSize = 2) {
  return encoder(s, imageSize, (v) => s.order.map((k) => codeOf(s, k, v[k]!)));
}

/** Codes that ignore the image: standard normal draws from their own seeded stream. */
export function independentEncoder(s: Setup, imageSize = 2) {
  const rng = createRng(s.seed + 3);
  return encoder(s, imageSize, () => s.sizes.map(() => rng.normal()));
}

/** Factor 0's code carries factors 0 and 1 (their mean); factor 1's code is noise. */
export function entangledEncoder(s: Setup, imageSize = 2) {
  const rng = createRng(s.seed + 4);
  return encoder(s, imageSize, (v) =>
    s.order.map((k) => {
      if (k === 0) return codeOf(s, 0, (v[0]! + v[1]!) / 2);
      if (k === 1) return rng.normal();
      return codeOf(s, k, v[k]!);
    }));
}
