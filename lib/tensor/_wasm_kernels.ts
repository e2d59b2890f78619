// Kernels that run on the wasm backend's own memory, assembled here as
// WebAssembly SIMD bytecode (no toolchain, no binary file in the repo) and
// instantiated against the backend's WebAssembly.Memory, shared or not:
//
// - adam: one pass of Adam over a variable, m and v updated in place and
//   the new value written to a fresh buffer, with the operations of tfjs's
//   AdamOptimizer in its order, each rounded to float32 once, so that the
//   result is bit-identical to it (wasm has no fused multiply-add);
// - allFinite: whether every value of a tensor is finite, as Σ xᵢ·0 (NaN
//   as soon as one xᵢ is ±∞ or NaN);
// - softplus: log(1 + eˣ) four values at a time (tfjs-wasm's is scalar);
// - transpose: a matrix by 4 × 4 blocks of shuffles (tfjs-wasm's is scalar).
//
// A tfjs op per arithmetic step costs a kernel launch and a pass over memory
// each: Adam was 14 launches per variable, about 7 ms of a 34 ms VAE step
// (bench/reference/compare_train_step.ts); this pass takes a fraction of it.
import { tf } from "./_tf.ts";

// Opcodes (WebAssembly 2.0 with fixed-width SIMD).
const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22, I32_CONST = 0x41, F32_CONST = 0x43;
const BLOCK = 0x02, LOOP = 0x03, BR = 0x0c, BR_IF = 0x0d, END = 0x0b, VOID = 0x40;
const I32_ADD = 0x6a, I32_AND = 0x71, I32_SHL = 0x74, I32_GE_U = 0x4f, F32_EQ = 0x5b;
const F32_LOAD = [0x2a, 2, 0], F32_STORE = [0x38, 2, 0];
const F32_OPS = { add: [0x92], sub: [0x93], mul: [0x94], div: [0x95], sqrt: [0x91] };
const simd = (op: number) => [0xfd, ...uleb(op)];
const V128_LOAD = [...simd(0x00), 0, 0], V128_STORE = [...simd(0x0b), 0, 0];
const F32X4_SPLAT = simd(0x13);
const F32X4_LANE = (lane: number) => [...simd(0x1f), lane];
const F32X4_OPS = {
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  sqrt: simd(0xe3),
};

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
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

const name = (s: string) => {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
};
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const get = (i: number) => [LOCAL_GET, ...uleb(i)];
const set = (i: number) => [LOCAL_SET, ...uleb(i)];
const tee = (i: number) => [LOCAL_TEE, ...uleb(i)];
const i32 = (n: number) => [I32_CONST, ...sleb(n)];

/**
 * A loop over byte offsets `i` from `from` (a local) while i < `to` (a local),
 * by `stride`, running `body`; `i` is left at the first offset not run.
 */
function loop(i: number, to: number, stride: number, body: number[]): number[] {
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

/** Locals `end` = 4n and `end4` = 4·(n rounded down to a multiple of 4), bytes. */
const ends = (n: number, end: number, end4: number) => [
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

/**
 * adam(p, m, v, g, out, n, β₁, β₂, 1−β₁, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, ε, −α), pointers
 * in bytes, as tfjs's AdamOptimizer computes it:
 *
 *   m ← m·β₁ + g·(1−β₁);  v ← v·β₂ + g²·(1−β₂)
 *   out = ((m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε))·(−α) + p
 */
function adamBody(): number[] {
  const [p, m, v, g, out, n] = [0, 1, 2, 3, 4, 5];
  const scalars = [6, 7, 8, 9, 10, 11, 12, 13]; // β₁ β₂ 1−β₁ 1−β₂ 1−β₁ᵗ 1−β₂ᵗ ε −α
  const [i, end, end4] = [14, 15, 16];
  const splat = (k: number) => 17 + k; // the scalars as v128, same order
  const [gv, mv, vv] = [25, 26, 27];
  const [gs, ms, vs] = [28, 29, 30];
  const at = (ptr: number) => [...get(ptr), ...get(i), I32_ADD];
  // One element or four: the same expression with scalar or SIMD opcodes.
  const step = (wide: boolean) => {
    const o = wide ? F32X4_OPS : F32_OPS, load = wide ? V128_LOAD : F32_LOAD;
    const store = wide ? V128_STORE : F32_STORE;
    const c = (k: number) => get(wide ? splat(k) : scalars[k]!);
    const [G, M, V] = wide ? [gv, mv, vv] : [gs, ms, vs];
    return [
      ...at(g),
      ...load,
      ...set(G),
      ...at(m),
      ...at(m),
      ...load,
      ...c(0),
      ...o.mul,
      ...get(G),
      ...c(2),
      ...o.mul,
      ...o.add,
      ...tee(M),
      ...store,
      ...at(v),
      ...at(v),
      ...load,
      ...c(1),
      ...o.mul,
      ...get(G),
      ...get(G),
      ...o.mul,
      ...c(3),
      ...o.mul,
      ...o.add,
      ...tee(V),
      ...store,
      ...at(out),
      ...get(M),
      ...c(4),
      ...o.div,
      ...get(V),
      ...c(5),
      ...o.div,
      ...o.sqrt,
      ...c(6),
      ...o.add,
      ...o.div,
      ...c(7),
      ...o.mul,
      ...at(p),
      ...load,
      ...o.add,
      ...store,
    ];
  };
  const code = [
    ...ends(n, end, end4),
    ...scalars.flatMap((s, k) => [...get(s), ...F32X4_SPLAT, ...set(splat(k))]),
    ...i32(0),
    ...set(i),
    ...loop(i, end4, 16, step(true)),
    ...loop(i, end, 4, step(false)),
    END,
  ];
  return [...vec([[...uleb(3), I32], [...uleb(11), V128], [...uleb(3), F32]]), ...code];
}

/** allFinite(x, n): 1 if Σ xᵢ·0 is not NaN, else 0. */
function finiteBody(): number[] {
  const [x, n, i, end, end4, acc, zero, s] = [0, 1, 2, 3, 4, 5, 6, 7];
  const code = [
    ...ends(n, end, end4),
    F32_CONST,
    0,
    0,
    0,
    0,
    ...tee(s),
    ...F32X4_SPLAT,
    ...tee(zero),
    ...set(acc),
    ...i32(0),
    ...set(i),
    ...loop(i, end4, 16, [
      ...get(acc),
      ...get(x),
      ...get(i),
      I32_ADD,
      ...V128_LOAD,
      ...get(zero),
      ...F32X4_OPS.mul,
      ...F32X4_OPS.add,
      ...set(acc),
    ]),
    ...loop(i, end, 4, [
      ...get(s),
      ...get(x),
      ...get(i),
      I32_ADD,
      ...F32_LOAD,
      ...get(s),
      ...F32_OPS.mul,
      ...F32_OPS.add,
      ...set(s),
    ]),
    ...get(s),
    ...[0, 1, 2, 3].flatMap((lane) => [...get(acc), ...F32X4_LANE(lane), ...F32_OPS.add]),
    ...tee(s),
    ...get(s),
    F32_EQ,
    END,
  ];
  return [...vec([[...uleb(3), I32], [...uleb(2), V128], [...uleb(1), F32]]), ...code];
}

/** A v128.const of four equal float32 lanes. */
function f32x4(v: number): number[] {
  const b = new Uint8Array(new Float32Array([v, v, v, v]).buffer);
  return [...simd(0x0c), ...b];
}

/** A v128.const of four equal int32 lanes. */
function i32x4(v: number): number[] {
  const b = new Uint8Array(new Int32Array([v, v, v, v]).buffer);
  return [...simd(0x0c), ...b];
}

/** Horner's rule on the value in local `x`: ((c₀x + c₁)x + c₂)…, leaving the result on the stack. */
function horner(x: number, coefficients: number[]): number[] {
  const [c0, ...rest] = coefficients;
  return [
    ...f32x4(c0!),
    ...rest.flatMap((c) => [...get(x), ...F32X4_OPS.mul, ...f32x4(c), ...F32X4_OPS.add]),
  ];
}

/**
 * softplus(in, out, n), n ≥ 4: out = max(x, 0) + log1p(exp(−|x|)) in float32,
 * four values at a time; a last group that would pass the end is shifted back
 * to end at n (its overlap computed twice, to the same values).
 *
 *   exp(y), y = −min(|x|, 87): y = n ln 2 + r, |r| ≤ ln 2 / 2, Cephes's expf
 *     polynomial in r, times 2ⁿ built from its exponent bits
 *   log1p(t), t ∈ (0, 1]: Cephes's logf polynomial on f = t (t < √2 − 1) or
 *     f = (t − 1)/2 with e = 1 (t ≥ √2 − 1), so that f keeps t's digits when
 *     t is small: log1p(t) = f − f²/2 + f³P(f) + e ln 2; below 2⁻²⁴ it is t
 *
 * No step meets a subnormal number, which x86 computes about a hundred
 * times slower: hence the bound 87 (softplus(x) for x < −87, below 1.7·10⁻³⁸,
 * just above the least normal float32, comes out as e⁻⁸⁷) and t's floor in
 * the polynomial.
 */
function softplusBody(): number[] {
  const [src, dst, n, i, end, end4] = [0, 1, 2, 3, 4, 5];
  const [x, y, fn, r, z, t, f, e] = [6, 7, 8, 9, 10, 11, 12, 13];
  const o = F32X4_OPS;
  const group = [
    ...get(dst),
    ...get(i),
    I32_ADD,
    ...get(src),
    ...get(i),
    I32_ADD,
    ...V128_LOAD,
    ...tee(x),
    ...simd(0xe0), // abs
    ...f32x4(87),
    ...simd(0xe8), // min
    ...simd(0xe1), // neg
    ...tee(y),
    ...f32x4(Math.LOG2E),
    ...o.mul,
    ...simd(0x6a), // nearest
    ...set(fn),
    // r = (y − n·C₁) − n·C₂, ln 2 = C₁ + C₂ split so that n·C₁ is exact
    ...get(y),
    ...get(fn),
    ...f32x4(0.693359375),
    ...o.mul,
    ...o.sub,
    ...get(fn),
    ...f32x4(-2.12194440e-4),
    ...o.mul,
    ...o.sub,
    ...tee(r),
    ...get(r),
    ...o.mul,
    ...set(z),
    // P(r)·r² + r + 1
    ...horner(r, [
      1.9875691500e-4,
      1.3981999507e-3,
      8.3334519073e-3,
      4.1665795894e-2,
      1.6666665459e-1,
      5.0000001201e-1,
    ]),
    ...get(z),
    ...o.mul,
    ...get(r),
    ...o.add,
    ...f32x4(1),
    ...o.add,
    // × 2ⁿ: the bits (n + 127) << 23
    ...get(fn),
    ...simd(0xf8), // i32x4.trunc_sat_f32x4_s
    ...i32x4(127),
    ...simd(0xae), // i32x4.add
    ...i32(23),
    ...simd(0xab), // i32x4.shl
    ...o.mul,
    ...tee(t),
    // e = 1 where t ≥ √2 − 1, f = (t − 1)/2 there, else t.
    ...f32x4(Math.SQRT2 - 1),
    ...simd(0x46), // f32x4.ge
    ...set(e),
    ...get(t),
    ...f32x4(1),
    ...o.sub,
    ...f32x4(0.5),
    ...o.mul,
    ...get(t),
    ...f32x4(2 ** -24),
    ...simd(0xe9), // max: no subnormal in the polynomial (t this small is taken as it is below)
    ...get(e),
    ...simd(0x52), // bitselect: the first where the mask is set
    ...set(f),
    ...get(e),
    ...f32x4(1),
    ...simd(0x4e), // and: e = 1.0 or 0.0
    ...set(e),
    ...get(f),
    ...get(f),
    ...o.mul,
    ...set(z),
    ...horner(f, [
      7.0376836292e-2,
      -1.1514610310e-1,
      1.1676998740e-1,
      -1.2420140846e-1,
      1.4249322787e-1,
      -1.6668057665e-1,
      2.0000714765e-1,
      -2.4999993993e-1,
      3.3333331174e-1,
    ]),
    ...get(f),
    ...o.mul,
    ...get(z),
    ...o.mul,
    ...get(e),
    ...f32x4(-2.12194440e-4),
    ...o.mul,
    ...o.add,
    ...get(z),
    ...f32x4(0.5),
    ...o.mul,
    ...o.sub,
    ...get(f),
    ...o.add,
    ...get(e),
    ...f32x4(0.693359375),
    ...o.mul,
    ...o.add,
    // log1p(t) = t to float32 precision below 2⁻²⁴.
    ...set(f),
    ...get(t),
    ...get(f),
    ...get(t),
    ...f32x4(2 ** -24),
    ...simd(0x43), // lt
    ...simd(0x52), // bitselect
    ...get(x),
    ...f32x4(0),
    ...simd(0xe9), // max
    ...o.add,
    ...V128_STORE,
  ];
  const code = [
    ...ends(n, end, end4),
    ...i32(0),
    ...set(i),
    ...loop(i, end4, 16, group),
    ...get(end4),
    ...get(end),
    0x47, // i32.ne
    0x04,
    VOID, // if
    ...get(end),
    ...i32(16),
    0x6b, // i32.sub
    ...set(i),
    ...group,
    END,
    END,
  ];
  return [...vec([[...uleb(3), I32], [...uleb(8), V128]]), ...code];
}

/** i8x16.shuffle taking 32-bit lanes `lanes` (0–3 from the first operand, 4–7 from the second). */
function shuffle32(lanes: [number, number, number, number]): number[] {
  return [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
}

/**
 * transpose(src, dst, rows, cols), both multiples of 4: dst [cols, rows] =
 * srcᵀ for src [rows, cols] of 32-bit values, by 4 × 4 blocks: four rows
 * loaded, interleaved by two rounds of shuffles, stored as four columns.
 */
function transposeBody(): number[] {
  const [src, dst, rows, cols, i, j] = [0, 1, 2, 3, 4, 5];
  const [a, b, c, d, t0, t1, t2, t3] = [6, 7, 8, 9, 10, 11, 12, 13];
  // Byte offset of element (r, k) of a matrix with `width` columns.
  const addr = (base: number, r: number[], width: number, k: number[]) => [
    ...get(base),
    ...r,
    ...get(width),
    0x6c, // i32.mul
    ...k,
    I32_ADD,
    ...i32(2),
    I32_SHL,
    I32_ADD,
  ];
  const row = (k: number) => k === 0 ? get(i) : [...get(i), ...i32(k), I32_ADD];
  const col = (k: number) => k === 0 ? get(j) : [...get(j), ...i32(k), I32_ADD];
  const block = [
    ...[a, b, c, d].flatMap((
      v,
      k,
    ) => [...addr(src, row(k), cols, get(j)), ...V128_LOAD, ...set(v)]),
    ...get(a),
    ...get(b),
    ...shuffle32([0, 4, 1, 5]),
    ...set(t0),
    ...get(a),
    ...get(b),
    ...shuffle32([2, 6, 3, 7]),
    ...set(t1),
    ...get(c),
    ...get(d),
    ...shuffle32([0, 4, 1, 5]),
    ...set(t2),
    ...get(c),
    ...get(d),
    ...shuffle32([2, 6, 3, 7]),
    ...set(t3),
    ...([[t0, t2, [0, 1, 4, 5]], [t0, t2, [2, 3, 6, 7]], [t1, t3, [0, 1, 4, 5]], [
      t1,
      t3,
      [2, 3, 6, 7],
    ]] as [number, number, [number, number, number, number]][]).flatMap(([p, q, lanes], k) => [
      ...addr(dst, col(k), rows, get(i)),
      ...get(p),
      ...get(q),
      ...shuffle32(lanes),
      ...V128_STORE,
    ]),
  ];
  // Row and column indices (not bytes) step by 4.
  const loop4 = (idx: number, limit: number, body: number[]) => [
    ...i32(0),
    ...set(idx),
    ...loop(idx, limit, 4, body),
  ];
  const code = [...loop4(i, rows, loop4(j, cols, block)), END];
  return [...vec([[...uleb(2), I32], [...uleb(8), V128]]), ...code];
}

/** The module, importing `env.memory` (shared with a maximum, or not). */
export function kernelModule(shared: boolean): Uint8Array {
  const adamType = [0x60, ...vec([...Array(6).fill([I32]), ...Array(8).fill([F32])]), 0];
  const finiteType = [0x60, ...vec([[I32], [I32]]), 1, I32];
  const softplusType = [0x60, ...vec([[I32], [I32], [I32]]), 0];
  const transposeType = [0x60, ...vec([[I32], [I32], [I32], [I32]]), 0];
  const limits = shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0];
  const body = (b: number[]) => [...uleb(b.length), ...b];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([adamType, finiteType, softplusType, transposeType])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, ...limits]])),
    ...section(3, vec([[0], [1], [2], [3]])),
    ...section(
      7,
      vec([
        [...name("adam"), 0x00, 0],
        [...name("allFinite"), 0x00, 1],
        [...name("softplus"), 0x00, 2],
        [...name("transpose"), 0x00, 3],
      ]),
    ),
    ...section(
      10,
      vec([body(adamBody()), body(finiteBody()), body(softplusBody()), body(transposeBody())]),
    ),
  ]);
}

/** The kernels, called with byte offsets into the backend's memory. */
export interface WasmKernels {
  adam(
    p: number,
    m: number,
    v: number,
    g: number,
    out: number,
    n: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    oneMinusBeta1Power: number,
    oneMinusBeta2Power: number,
    epsilon: number,
    negativeLearningRate: number,
  ): void;
  allFinite(x: number, n: number): number;
  /** out = softplus(in) for n ≥ 4 values. */
  softplus(src: number, dst: number, n: number): void;
  /** dst [cols, rows] = srcᵀ, rows and cols multiples of 4. */
  transpose(src: number, dst: number, rows: number, cols: number): void;
}

/** What elbo reads of tfjs-backend-wasm's backend object. */
interface WasmBackendInternals {
  wasm: {
    HEAPU8: Uint8Array;
    asm?: { memory?: WebAssembly.Memory };
    wasmMemory?: WebAssembly.Memory;
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
}

const instances = new WeakMap<WebAssembly.Memory, WasmKernels>();

/**
 * The kernels for the active backend, or `undefined` unless it is tfjs's
 * wasm backend (with its memory reachable, as in tfjs-backend-wasm 4.x).
 */
export function wasmKernels(): WasmKernels | undefined {
  if (tf.getBackend() !== "wasm") return undefined;
  const be = tf.backend() as unknown as WasmBackendInternals;
  const memory = be.wasm?.wasmMemory ?? be.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  let k = instances.get(memory);
  if (k === undefined) {
    const shared = typeof SharedArrayBuffer !== "undefined" &&
      memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(kernelModule(shared) as BufferSource);
    k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
    instances.set(memory, k);
  }
  return k;
}

/** The byte offset of a tensor's values in the wasm backend's memory. */
export function offsetOf(t: tf.Tensor): number {
  const be = tf.backend() as unknown as WasmBackendInternals;
  const info = be.dataIdMap.get(t.dataId);
  if (info === undefined) {
    throw new Error(`a tensor of shape [${t.shape}] is not on the wasm backend`);
  }
  return info.memoryOffset;
}

/** A new float32 tensor on the wasm backend, its values not yet written. */
export function uninitialised(shape: number[]): tf.Tensor {
  const be = tf.backend() as unknown as WasmBackendInternals;
  return tf.engine().makeTensorFromTensorInfo(be.makeOutput(shape, "float32"));
}
