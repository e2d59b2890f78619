// The wasm kernel `adam`: one pass of Adam over a variable, m and v updated
// in place and the new value written to a fresh buffer, with the operations
// of tfjs's AdamOptimizer in its order, each rounded to float32 once, so that
// the result is bit-identical to it (wasm has no fused multiply-add).
import {
  END,
  ends,
  F32,
  F32_LOAD,
  F32_OPS,
  F32_STORE,
  F32X4_OPS,
  F32X4_SPLAT,
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
  V128_STORE,
} from "./_wasm_encoder.ts";

/** Adam's scalars, in the order the kernel takes them. */
const SCALARS = [
  "beta1",
  "beta2",
  "oneMinusBeta1",
  "oneMinusBeta2",
  "oneMinusBeta1Power",
  "oneMinusBeta2Power",
  "epsilon",
  "negativeLearningRate",
] as const;
type Scalar = typeof SCALARS[number];

/**
 * adam(p, m, v, g, out, n, β₁, β₂, 1−β₁, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, ε, −α), pointers
 * in bytes, as tfjs's AdamOptimizer computes it:
 *
 *   m ← m·β₁ + g·(1−β₁);  v ← v·β₂ + g²·(1−β₂)
 *   out = ((m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε))·(−α) + p
 */
export function adamKernel(): Kernel {
  const f = new Frame();
  const { p, m, v, g, out, n } = f.params(I32, "p", "m", "v", "g", "out", "n");
  const scalar = f.params(F32, ...SCALARS);
  const { i, end, end4 } = f.locals(I32, "i", "end", "end4");
  const splat = f.locals(V128, ...SCALARS); // the scalars in four lanes
  const wide = f.locals(V128, "g", "m", "v"); // four values of g, new m and new v
  const one = f.locals(F32, "g", "m", "v"); // one value of each
  const at = (ptr: number) => [...get(ptr), ...get(i), I32_ADD];
  // One element or four: the same expression with scalar or SIMD opcodes.
  const step = (simd: boolean) => {
    const o = simd ? F32X4_OPS : F32_OPS, load = simd ? V128_LOAD : F32_LOAD;
    const store = simd ? V128_STORE : F32_STORE;
    const c = (k: Scalar) => get(simd ? splat[k] : scalar[k]);
    const { g: G, m: M, v: V } = simd ? wide : one;
    return [
      ...at(g),
      ...load,
      ...set(G),
      ...at(m),
      ...at(m),
      ...load,
      ...c("beta1"),
      ...o.mul,
      ...get(G),
      ...c("oneMinusBeta1"),
      ...o.mul,
      ...o.add,
      ...tee(M),
      ...store,
      ...at(v),
      ...at(v),
      ...load,
      ...c("beta2"),
      ...o.mul,
      ...get(G),
      ...get(G),
      ...o.mul,
      ...c("oneMinusBeta2"),
      ...o.mul,
      ...o.add,
      ...tee(V),
      ...store,
      ...at(out),
      ...get(M),
      ...c("oneMinusBeta1Power"),
      ...o.div,
      ...get(V),
      ...c("oneMinusBeta2Power"),
      ...o.div,
      ...o.sqrt,
      ...c("epsilon"),
      ...o.add,
      ...o.div,
      ...c("negativeLearningRate"),
      ...o.mul,
      ...at(p),
      ...load,
      ...o.add,
      ...store,
    ];
  };
  const code = [
    ...ends(n, end, end4),
    ...SCALARS.flatMap((s) => [...get(scalar[s]), ...F32X4_SPLAT, ...set(splat[s])]),
    ...i32(0),
    ...set(i),
    ...loop(i, end4, 16, step(true)),
    ...loop(i, end, 4, step(false)),
    END,
  ];
  return { name: "adam", type: f.type(), body: [...f.declarations(), ...code] };
}
