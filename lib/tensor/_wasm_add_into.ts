// The wasm kernel `addInto`: dst += src over n float32 values, four at a time
// — the scatter-add of col2im (lib/tensor/_conv_gemm.ts), whose runs a
// JavaScript loop added at about 0.9 ns a value.
import {
  END,
  ends,
  F32_LOAD,
  F32_OPS,
  F32_STORE,
  F32X4_OPS,
  Frame,
  get,
  I32,
  i32,
  I32_ADD,
  type Kernel,
  loop,
  set,
  V128_LOAD,
  V128_STORE,
} from "./_wasm_encoder.ts";

/** addInto(dst, src, n): dst[i] += src[i] for i < n, byte offsets, no alignment needed. */
export function addIntoKernel(): Kernel {
  const f = new Frame();
  const { dst, src, n } = f.params(I32, "dst", "src", "n");
  const { i, end, end4 } = f.locals(I32, "i", "end", "end4");
  const at = (base: number) => [...get(base), ...get(i), I32_ADD];
  const code = [
    ...ends(n, end, end4),
    ...i32(0),
    ...set(i),
    ...loop(i, end4, 16, [
      ...at(dst),
      ...at(dst),
      ...V128_LOAD,
      ...at(src),
      ...V128_LOAD,
      ...F32X4_OPS.add,
      ...V128_STORE,
    ]),
    ...loop(i, end, 4, [
      ...at(dst),
      ...at(dst),
      ...F32_LOAD,
      ...at(src),
      ...F32_LOAD,
      ...F32_OPS.add,
      ...F32_STORE,
    ]),
    END,
  ];
  return { name: "addInto", type: f.type(), body: [...f.declarations(), ...code] };
}
