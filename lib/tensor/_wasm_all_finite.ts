// The wasm kernel `allFinite`: whether every value of a tensor is finite, as
// Σ xᵢ·0 (NaN as soon as one xᵢ is ±∞ or NaN).
import {
  END,
  ends,
  F32,
  F32_CONST,
  F32_EQ,
  F32_LOAD,
  F32_OPS,
  F32X4_OPS,
  F32X4_SPLAT,
  f32x4Lane,
  Frame,
  get,
  I32,
  i32,
  I32_ADD,
  type Kernel,
  loop,
  set,
  tee,
  V128,
  V128_LOAD,
} from "./_wasm_encoder.ts";

/** allFinite(x, n): 1 if Σ xᵢ·0 is not NaN, else 0. */
export function allFiniteKernel(): Kernel {
  const f = new Frame();
  const { x, n } = f.params(I32, "x", "n");
  const { i, end, end4 } = f.locals(I32, "i", "end", "end4");
  const { acc, zero } = f.locals(V128, "acc", "zero"); // four partial sums; four zeros
  const { s } = f.locals(F32, "s"); // the sum
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
    ...[0, 1, 2, 3].flatMap((lane) => [...get(acc), ...f32x4Lane(lane), ...F32_OPS.add]),
    ...tee(s),
    ...get(s),
    F32_EQ,
    END,
  ];
  return { name: "allFinite", type: f.type([I32]), body: [...f.declarations(), ...code] };
}
