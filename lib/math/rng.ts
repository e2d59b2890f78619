import { assertFinite, assertInteger } from "./_validate.ts";

/**
 * A seeded source of random numbers. Every random function of the package
 * takes one explicitly, so that any result is reproducible from its seed.
 */
export interface Rng {
  /** The seed this stream was created from (or derived from by `split`). */
  readonly seed: number;
  /** A uniform draw from [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard-normal draw, N(0, 1). */
  normal(): number;
  /** Fills `out` with independent standard-normal draws and returns it. */
  fillNormal(out: Float64Array): Float64Array;
  /** A uniform integer from {0, …, n − 1}. */
  integer(n: number): number;
  /**
   * Splits off an independent stream: the child takes the next 2⁶⁴ draws of
   * this generator's period and this generator jumps past them, so the two
   * never overlap.
   */
  split(): Rng;
}

const TWO_POW_M53 = 1 / 9007199254740992;
const TWO_PI = 2 * Math.PI;
// xoshiro128** jump polynomial: advances the state by 2⁶⁴ steps.
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

class Xoshiro128 implements Rng {
  readonly seed: number;
  #s = new Uint32Array(4);
  #spare = 0;
  #hasSpare = false;

  constructor(seed: number, state?: Uint32Array) {
    this.seed = seed;
    if (state) {
      this.#s.set(state);
      return;
    }
    // splitmix32 expands the seed into the 128-bit state (never all zero).
    let x = (Math.floor(Math.abs(seed)) % 4294967296) ^ (seed < 0 ? 0x9e3779b9 : 0);
    x = (x + Math.floor(Math.abs(seed) / 4294967296)) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.#s[0]! | this.#s[1]! | this.#s[2]! | this.#s[3]!) === 0) this.#s[0] = 1;
  }

  #next(): number {
    const s = this.#s;
    const s1 = s[1]!;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s1;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return r;
  }

  uniform(): number {
    const a = this.#next() >>> 5; // 27 bits
    const b = this.#next() >>> 6; // 26 bits
    return (a * 67108864 + b) * TWO_POW_M53;
  }

  normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    // Box–Muller on (0, 1]: 1 − u avoids log(0).
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const theta = TWO_PI * this.uniform();
    this.#spare = r * Math.sin(theta);
    this.#hasSpare = true;
    return r * Math.cos(theta);
  }

  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  integer(n: number): number {
    assertInteger("Cannot draw an integer", "n", n, 1);
    return Math.floor(this.uniform() * n);
  }

  split(): Rng {
    const child = new Xoshiro128(this.seed, this.#s);
    const s = this.#s;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if (word & (1 << b)) {
          s0 ^= s[0]!;
          s1 ^= s[1]!;
          s2 ^= s[2]!;
          s3 ^= s[3]!;
        }
        this.#next();
      }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    this.#hasSpare = false;
    return child;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Creates a seeded random source (xoshiro128** seeded through splitmix32,
 * normals by Box–Muller). The same seed always gives the same stream.
 *
 * @param seed Any finite number; integers up to 2⁵³ give distinct streams.
 * @returns A random source with `uniform`, `normal`, `integer` and `split`.
 * @throws {RangeError} If `seed` is NaN or infinite.
 *
 * @example Reproducible draws
 * ```ts
 * import { createRng } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const a = createRng(42), b = createRng(42);
 * assert.equal(a.normal(), b.normal());
 * const u = a.uniform();
 * assert.ok(u >= 0 && u < 1);
 * ```
 */
export function createRng(seed: number): Rng {
  assertFinite("Cannot create Rng", "seed", seed);
  return new Xoshiro128(seed);
}
