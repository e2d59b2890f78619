import { assertFinite, assertInteger, show } from "./_validate.ts";

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
  /**
   * Fills `out` with independent standard-normal draws and returns it.
   * Throws a TypeError unless `out` is a Float64Array.
   */
  fillNormal(out: Float64Array): Float64Array;
  /**
   * A uniform integer from {0, …, n − 1}. Throws a TypeError if `n` is not
   * a number, a RangeError unless it is a safe integer ≥ 1.
   */
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
    // SplitMix64 expands the seed's 64-bit two's complement into the 128-bit
    // state: its output is a bijection of its input, so distinct safe
    // integers give distinct states.
    let x = BigInt.asUintN(64, BigInt(seed));
    for (let i = 0; i < 4; i += 2) {
      x = BigInt.asUintN(64, x + GOLDEN_GAMMA);
      const z = mix64(x);
      this.#s[i] = Number(z & 0xffffffffn);
      this.#s[i + 1] = Number(z >> 32n);
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
    if (!(out instanceof Float64Array)) {
      throw new TypeError(
        `Cannot fill normal draws as out must be a Float64Array: current value is ${show(out)}`,
      );
    }
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  integer(n: number): number {
    assertInteger("Cannot draw an integer", "n", n, 1);
    // u · n < n in exact arithmetic; the min guards the one rounding case.
    return Math.min(n - 1, Math.floor(this.uniform() * n));
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

const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** SplitMix64's output function (Steele, Lea & Flood 2014): a bijection on 64 bits. */
function mix64(z: bigint): bigint {
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Creates a seeded random source (xoshiro128** seeded through SplitMix64,
 * normals by Box–Muller). The same seed always gives the same stream, and
 * every safe integer (negative ones too) gives its own stream: all 53 bits of
 * the seed reach the state.
 *
 * @param seed A safe integer (|seed| ≤ 2⁵³ − 1).
 * @returns A random source with `uniform`, `normal`, `integer` and `split`.
 * @throws {TypeError} If `seed` is not a number.
 * @throws {RangeError} If `seed` is not a safe integer (NaN, ±∞, 1.5, 2⁵³).
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
 * assert.notEqual(createRng(1).uniform(), createRng(2 ** 32 + 1).uniform());
 * ```
 */
export function createRng(seed: number): Rng {
  assertSeed("Cannot create Rng", "seed", seed);
  return new Xoshiro128(seed);
}

/** Throws unless `value` is a safe integer, the domain of every seed. */
export function assertSeed(what: string, name: string, value: unknown): asserts value is number {
  assertFinite(what, name, value);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `${what} as ${name} must be a safe integer (|${name}| ≤ 2⁵³ − 1): current value is ${
        show(value)
      }`,
    );
  }
}

/**
 * A seed for a sub-task, derived from a base seed and a path of counters
 * (an epoch, a batch, a layer): each step hashes with SplitMix64's mixer, so
 * nearby paths give unrelated seeds and no arithmetic on the seed can
 * overflow. The result is a safe integer in [1, 2⁵³) — never 0, which
 * TensorFlow.js reads as "no seed".
 *
 * @param seed The base seed, a safe integer.
 * @param path Safe integers naming the sub-task.
 * @returns A seed in [1, 2⁵³).
 * @throws {RangeError} If the seed or a counter is not a safe integer.
 */
export function deriveSeed(seed: number, ...path: number[]): number {
  assertSeed("Cannot derive a seed", "seed", seed);
  let h = mix64(BigInt.asUintN(64, BigInt(seed) + GOLDEN_GAMMA));
  path.forEach((c, i) => {
    assertSeed("Cannot derive a seed", `path[${i}]`, c);
    h = mix64(BigInt.asUintN(64, (h ^ BigInt.asUintN(64, BigInt(c))) + GOLDEN_GAMMA));
  });
  return Number(h >> 11n) || 1;
}
