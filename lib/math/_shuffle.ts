import type { Rng } from "./rng.ts";

/** An array or typed array whose entries can be written. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/**
 * Shuffles `items` in place by the Fisher–Yates algorithm (Durstenfeld's
 * form, Knuth TAOCP vol. 2, Algorithm P): every permutation is equally likely
 * when the draws are uniform.
 *
 * ```text
 * for i = n − 1 down to 1:  j ~ U{0, …, i};  swap items[i] and items[j]
 * ```
 *
 * It takes exactly n − 1 draws `rng.integer(i + 1)`, in that order, so the
 * order is reproducible from the rng's seed and the stream after it is
 * predictable.
 *
 * @param items An array or typed array; its entries are permuted in place.
 * @param rng The random source.
 * @returns `items`, shuffled.
 */
export function shuffle<A extends MutableArrayLike<unknown>>(items: A, rng: Rng): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
  return items;
}
