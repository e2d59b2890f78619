// The wasm kernel `transpose`: a matrix by 4 × 4 blocks of shuffles
// (tfjs-wasm's is scalar).
import {
  END,
  Frame,
  get,
  I32,
  i32,
  I32_ADD,
  I32_MUL,
  I32_SHL,
  type Kernel,
  loop,
  set,
  simd,
  V128,
  V128_LOAD,
  V128_STORE,
} from "./_wasm_encoder.ts";

type Lanes = [number, number, number, number];

/** i8x16.shuffle taking 32-bit lanes `lanes` (0–3 from the first operand, 4–7 from the second). */
function shuffle32(lanes: Lanes): number[] {
  return [...simd(0x0d), ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])];
}

/**
 * transpose(src, dst, rows, cols), both multiples of 4: dst [cols, rows] =
 * srcᵀ for src [rows, cols] of 32-bit values, by 4 × 4 blocks: four rows
 * loaded, interleaved by two rounds of shuffles, stored as four columns.
 */
export function transposeKernel(): Kernel {
  const f = new Frame();
  const { src, dst, rows, cols } = f.params(I32, "src", "dst", "rows", "cols");
  const { i, j } = f.locals(I32, "i", "j"); // the block's first row and column
  // The block's four rows, then its rows interleaved in pairs.
  const { a, b, c, d, t0, t1, t2, t3 } = f.locals(
    V128,
    "a",
    "b",
    "c",
    "d",
    "t0",
    "t1",
    "t2",
    "t3",
  );
  // Byte offset of element (r, k) of a matrix with `width` columns.
  const addr = (base: number, r: number[], width: number, k: number[]) => [
    ...get(base),
    ...r,
    ...get(width),
    I32_MUL,
    ...k,
    I32_ADD,
    ...i32(2),
    I32_SHL,
    I32_ADD,
  ];
  const row = (k: number) => k === 0 ? get(i) : [...get(i), ...i32(k), I32_ADD];
  const col = (k: number) => k === 0 ? get(j) : [...get(j), ...i32(k), I32_ADD];
  const columns: [number, number, Lanes][] = [
    [t0, t2, [0, 1, 4, 5]],
    [t0, t2, [2, 3, 6, 7]],
    [t1, t3, [0, 1, 4, 5]],
    [t1, t3, [2, 3, 6, 7]],
  ];
  const block = [
    ...[a, b, c, d].flatMap((v, k) => [
      ...addr(src, row(k), cols, get(j)),
      ...V128_LOAD,
      ...set(v),
    ]),
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
    ...columns.flatMap(([p, q, lanes], k) => [
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
  return { name: "transpose", type: f.type(), body: [...f.declarations(), ...code] };
}
