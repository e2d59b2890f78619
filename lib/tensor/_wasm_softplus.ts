// The wasm kernel `softplus`: log(1 + eˣ) four values at a time
// (tfjs-wasm's is scalar).
import {
  END,
  ends,
  f32x4,
  F32X4_OPS,
  Frame,
  get,
  I32,
  i32,
  I32_ADD,
  I32_NE,
  I32_SUB,
  i32x4,
  IF,
  type Kernel,
  loop,
  set,
  simd,
  tee,
  V128,
  V128_LOAD,
  V128_STORE,
  VOID,
} from "./_wasm_encoder.ts";

// The SIMD instructions only this kernel uses.
const ABS = simd(0xe0), NEG = simd(0xe1), MIN = simd(0xe8), MAX = simd(0xe9); // f32x4
const NEAREST = simd(0x6a), LT = simd(0x43), GE = simd(0x46); // f32x4
const TRUNC_SAT = simd(0xf8); // i32x4.trunc_sat_f32x4_s
const I32X4_ADD = simd(0xae), I32X4_SHL = simd(0xab);
const AND = simd(0x4e), BITSELECT = simd(0x52); // v128: bitselect takes the first where the mask is set

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
export function softplusKernel(): Kernel {
  const fr = new Frame();
  const { src, dst, n } = fr.params(I32, "src", "dst", "n");
  const { i, end, end4 } = fr.locals(I32, "i", "end", "end4");
  // Four lanes each: x; y = −min(|x|, 87); y/ln 2 rounded (fn); r; a square
  // (z); t = e^y; the log's argument f; its exponent e (1 or 0).
  const { x, y, fn, r, z, t, f, e } = fr.locals(V128, "x", "y", "fn", "r", "z", "t", "f", "e");
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
    ...ABS,
    ...f32x4(87),
    ...MIN,
    ...NEG,
    ...tee(y),
    ...f32x4(Math.LOG2E),
    ...o.mul,
    ...NEAREST,
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
    ...TRUNC_SAT,
    ...i32x4(127),
    ...I32X4_ADD,
    ...i32(23),
    ...I32X4_SHL,
    ...o.mul,
    ...tee(t),
    // e = 1 where t ≥ √2 − 1, f = (t − 1)/2 there, else t.
    ...f32x4(Math.SQRT2 - 1),
    ...GE,
    ...set(e),
    ...get(t),
    ...f32x4(1),
    ...o.sub,
    ...f32x4(0.5),
    ...o.mul,
    ...get(t),
    ...f32x4(2 ** -24),
    ...MAX, // no subnormal in the polynomial (t this small is taken as it is below)
    ...get(e),
    ...BITSELECT,
    ...set(f),
    ...get(e),
    ...f32x4(1),
    ...AND, // e = 1.0 or 0.0
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
    ...LT,
    ...BITSELECT,
    ...get(x),
    ...f32x4(0),
    ...MAX,
    ...o.add,
    ...V128_STORE,
  ];
  const code = [
    ...ends(n, end, end4),
    ...i32(0),
    ...set(i),
    ...loop(i, end4, 16, group),
    // A last partial group: the four values that end at n.
    ...get(end4),
    ...get(end),
    I32_NE,
    IF,
    VOID,
    ...get(end),
    ...i32(16),
    I32_SUB,
    ...set(i),
    ...group,
    END,
    END,
  ];
  return { name: "softplus", type: fr.type(), body: [...fr.declarations(), ...code] };
}
