// The WebAssembly bytecode that elbo's wasm kernels are written in: opcodes
// (WebAssembly 2.0 with fixed-width SIMD), LEB128 numbers, vectors and
// sections, the few control shapes the kernels use, and `Frame`, which
// numbers a function's parameters and locals by name. No toolchain and no
// binary file: each kernel (_wasm_adam.ts, _wasm_all_finite.ts,
// _wasm_softplus.ts, _wasm_transpose.ts) is a function that returns its
// bytes, and _wasm_kernels.ts assembles them into a module.

/** A WebAssembly value type. */
export type ValueType = 0x7f | 0x7d | 0x7b;
/** The value types: 32-bit integer, 32-bit float, 128-bit vector. */
export const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;

const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, I32_CONST = 0x41;
/** f32.const, followed by the value's four bytes. */
export const F32_CONST = 0x43;
/** Control: block, loop, if, br, br_if, end, and a block's empty type. */
export const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, BR = 0x0c, BR_IF = 0x0d, END = 0x0b;
/** The block type of a block that takes and leaves nothing. */
export const VOID = 0x40;
/** i32 arithmetic and comparisons. */
export const I32_ADD = 0x6a, I32_SUB = 0x6b, I32_MUL = 0x6c, I32_AND = 0x71, I32_SHL = 0x74;
/** i32 comparisons, and f32.eq. */
export const I32_NE = 0x47, I32_GE_U = 0x4f, F32_EQ = 0x5b;
/** f32.load and f32.store, 4-byte aligned, offset 0. */
export const F32_LOAD: readonly number[] = [0x2a, 2, 0],
  F32_STORE: readonly number[] = [0x38, 2, 0];

/** The arithmetic a kernel writes once for one value and for four. */
export type Arithmetic = Readonly<Record<"add" | "sub" | "mul" | "div" | "sqrt", number[]>>;
/** f32 arithmetic. */
export const F32_OPS: Arithmetic = {
  add: [0x92],
  sub: [0x93],
  mul: [0x94],
  div: [0x95],
  sqrt: [0x91],
};

/** A SIMD instruction: the 0xfd prefix and its opcode. */
export function simd(op: number): number[] {
  return [0xfd, ...uleb(op)];
}
/** v128.load, offset 0. */
export const V128_LOAD: readonly number[] = [...simd(0x00), 0, 0];
/** v128.store, offset 0. */
export const V128_STORE: readonly number[] = [...simd(0x0b), 0, 0];
/** f32x4.splat: four lanes of an f32. */
export const F32X4_SPLAT: readonly number[] = simd(0x13);
/** f32x4.extract_lane. */
export function f32x4Lane(lane: number): number[] {
  return [...simd(0x1f), lane];
}
/** f32x4 arithmetic. */
export const F32X4_OPS: Arithmetic = {
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  sqrt: simd(0xe3),
};

/** An unsigned LEB128 number. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** A signed LEB128 number. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A name: its UTF-8 length, then its bytes. */
export function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}
/** A vector: its length, then its items. */
export function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}
/** A section: its id, its size in bytes, its body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}
/** local.get of local `i`. */
export function get(i: number): number[] {
  return [LOCAL_GET, ...uleb(i)];
}
/** local.set of local `i`. */
export function set(i: number): number[] {
  return [LOCAL_SET, ...uleb(i)];
}
/** local.tee of local `i`. */
export function tee(i: number): number[] {
  return [LOCAL_TEE, ...uleb(i)];
}
/** i32.const n. */
export function i32(n: number): number[] {
  return [I32_CONST, ...sleb(n)];
}

/** A v128.const of four equal float32 lanes. */
export function f32x4(v: number): number[] {
  const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return [...simd(0x0c), ...b];
}

/** A v128.const of four equal int32 lanes. */
export function i32x4(v: number): number[] {
  const b = new Uint8Array(new Int32Array([v, v, v, v]).buffer);
  return [...simd(0x0c), ...b];
}

/**
 * A loop over byte offsets `i` (a local, starting where it is) while
 * i < `to` (a local), by `stride`, running `body`; `i` is left at the first
 * offset not run.
 */
export function loop(i: number, to: number, stride: number, body: number[]): number[] {
  return [
    BLOCK,
    VOID,
    LOOP,
    VOID,
    ...get(i),
    ...get(to),
    I32_GE_U,
    BR_IF,
    1,
    ...body,
    ...get(i),
    ...i32(stride),
    I32_ADD,
    ...set(i),
    BR,
    0,
    END,
    END,
  ];
}

/** Sets locals `end` = 4n and `end4` = 4·(n rounded down to a multiple of 4), bytes. */
export function ends(n: number, end: number, end4: number): number[] {
  return [
    ...get(n),
    ...i32(2),
    I32_SHL,
    ...set(end),
    ...get(n),
    ...i32(-4),
    I32_AND,
    ...i32(2),
    I32_SHL,
    ...set(end4),
  ];
}

/**
 * A function's parameters and locals, numbered as WebAssembly numbers them:
 * the parameters in the order declared, then the locals in the order
 * declared. A kernel declares them by name and reads the indices back, so
 * that no index is written by hand:
 *
 * ```text
 * const f = new Frame();
 * const { x, n } = f.params(I32, "x", "n");      // 0, 1
 * const { i } = f.locals(I32, "i");              // 2
 * const { acc } = f.locals(V128, "acc");         // 3
 * f.type([I32]); f.declarations();               // the function's type; its locals
 * ```
 */
export class Frame {
  #params: ValueType[] = [];
  #locals: ValueType[] = [];

  /**
   * Declares parameters of one type, after those declared before.
   *
   * @throws {Error} After a local has been declared, or for a repeated name.
   */
  params<const N extends string>(type: ValueType, ...names: N[]): Record<N, number> {
    if (this.#locals.length > 0) throw new Error("Frame: parameters come before locals");
    return declare(this.#params, type, names, 0);
  }

  /**
   * Declares locals of one type, after those declared before.
   *
   * @throws {Error} For a repeated name.
   */
  locals<const N extends string>(type: ValueType, ...names: N[]): Record<N, number> {
    return declare(this.#locals, type, names, this.#params.length);
  }

  /** The function's type: its parameters' types, then `results`. */
  type(results: ValueType[] = []): number[] {
    return [0x60, ...vec(this.#params.map((t) => [t])), ...vec(results.map((t) => [t]))];
  }

  /** The locals' declarations that open the function's body: runs of one type. */
  declarations(): number[] {
    const runs: number[][] = [];
    for (let i = 0, j = 0; i < this.#locals.length; i = j) {
      while (j < this.#locals.length && this.#locals[j] === this.#locals[i]) j++;
      runs.push([...uleb(j - i), this.#locals[i]!]);
    }
    return vec(runs);
  }
}

function declare<N extends string>(
  list: ValueType[],
  type: ValueType,
  names: N[],
  base: number,
): Record<N, number> {
  const out = {} as Record<N, number>;
  for (const n of names) {
    if (Object.hasOwn(out, n)) throw new Error(`Frame: ${n} is declared twice`);
    out[n] = base + list.length;
    list.push(type);
  }
  return out;
}

/** A function of a kernel module: the name it is exported as, its type and its body. */
export interface Kernel {
  /** The export's name. */
  name: string;
  /** Its type (see {@linkcode Frame.type}). */
  type: number[];
  /** Its body: local declarations, then code ending in `end`. */
  body: number[];
}
