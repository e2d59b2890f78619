/**
 * Maps a batch of n images (n × imageSize² grey levels, row-major, one image
 * after another, as {@linkcode FactorDataset.render} writes them) to their
 * codes: n rows of the same number of finite values, typically the means of
 * q(z | x). It may return the rows or a promise of them (a tfjs model's
 * `array()`). The image buffer is reused once the call has returned (or its
 * promise has settled): copy it to keep it.
 */
export type Encoder = (images: Float32Array, n: number) => number[][] | Promise<number[][]>;
