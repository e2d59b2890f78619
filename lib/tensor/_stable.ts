// The tensor layer's stable math: every formula of lib/tensor that needs
// log1p, expm1, softplus, log(1 − e⁻ʸ), a log-sum-exp or x log y takes it
// from here, never from tfjs directly (tests/tensor/stable_test.ts checks
// the sources). Each function is accurate to a few float32 roundings
// relative to its result on every backend, for every float32 input:
//
// - tfjs's kernels differ by backend. The cpu backend computes in float64
//   and rounds once. tfjs-wasm's `log1p` is `log(1 + x)` in float32
//   (log1p(1e-9) = 0) and its `softplus` switches to eˣ below −13.9 (4·10⁻⁷
//   off there); WebGL's `log1p`, `expm1` and `softplus` are the naive forms
//   in float32, and its `log` may be off by 2⁻²¹ absolutely near 1.
// - So a function uses a backend's own kernel only where that kernel was
//   measured accurate (`NATIVE`), and elsewhere a form built from +, −, ×,
//   ÷, exp and log away from 1, which every backend computes well.
//
// float32 also overflows early (exp(89) = ∞) and cancels early (7 digits):
// each piece is written so that finite inputs never meet 0·∞ or ∞ − ∞, and
// quantities that are ≥ 0 in exact arithmetic stay ≥ 0 after rounding. A
// branch of a tf.where gets its input clamped to its own side where the
// branch not taken would pass a NaN into a gradient; the branch a NaN falls
// to takes the input unclamped (backends clamp NaN differently), so NaN in
// gives NaN out. A branch is chosen with greaterEqual, the one comparison
// tfjs can differentiate through, except inside a custom gradient.
//
// The functions live in lib/tensor/_stable/ by job — elementary.ts (log,
// log1p, expm1 and their kin), softplus.ts, reductions.ts (max, log-sum-exp,
// log softmax) on native.ts (which kernels to trust) — the only files that
// may call tfjs's own log, log1p, expm1 or softplus; this module re-exports them.
export {
  expm1,
  expm1MinusX,
  log,
  log1mexp,
  log1p,
  log1pmx,
  logRatio,
  xlogy,
} from "./_stable/elementary.ts";
export { logSigmoid, softplus, softplusInverse, softplusValue } from "./_stable/softplus.ts";
export { logMeanExp, logSoftmax, logSumExp, maxOf } from "./_stable/reductions.ts";
