// Convolutions as matrix products, for the wasm backend with BLAS: im2col
// lays every k × k' window of the (padded) input out as a row, so that
//
// ```text
// conv2d(x, F)        = col(x) · F₂         F₂ = F as [k·k'·Cin, Cout]
// ∂L/∂F               = col(x)ᵀ · ∂L/∂y₂
// ∂L/∂x               = col2im(∂L/∂y₂ · F₂ᵀ)
// ```
//
// and the products run in BLAS (cblas_sgemm, with its transposes). col2im is
// im2col's adjoint: it adds every row's entries back to the pixels they came
// from. Both run over the wasm memory directly, NHWC: for a window row, the
// k' taps of one input row are k'·C contiguous values on both sides, so a row
// is k plain copies where it lies inside the image.
import { tf } from "./_tf.ts";
import type { Geometry } from "./_conv_geometry.ts";
import { offsetOf, uninitialised, wasmKernels, wasmMemory } from "./_wasm_kernels.ts";

/** The shapes of one convolution: input [B, H, W, C], output [B, OH, OW, ·]. */
export interface ConvShape {
  b: number;
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
}

/** m[d … d + n) = m[from … from + n): a loop for short runs (a call costs more), else memmove. */
function copy(m: Float32Array, d: number, from: number, n: number): void {
  if (n > 16) m.copyWithin(d, from, from + n);
  else for (let t = 0; t < n; t++) m[d + t] = m[from + t]!;
}

/** m[d … d + n) = 0. */
function zero(m: Float32Array, d: number, n: number): void {
  if (n > 16) m.fill(0, d, d + n);
  else for (let t = 0; t < n; t++) m[d + t] = 0;
}

/** The wasm memory as float32 values (taken after every allocation: memory can grow). */
function heap(): Float32Array {
  const memory = wasmMemory();
  if (memory === undefined) throw new Error("the GEMM convolution runs on the wasm backend only");
  return new Float32Array(memory.buffer);
}

/**
 * The window rows of x [B, H, W, C] for a k × k' filter, stride s, pad p:
 * [B·OH·OW, k·k'·C], zeros where a window reaches past the image.
 */
export function im2col(x: tf.Tensor4D, g: Geometry, s: ConvShape): tf.Tensor2D {
  const { stride, pad, kh, kw } = g, { b, h, w, c, oh, ow } = s;
  const width = kh * kw * c;
  const out = uninitialised([b * oh * ow, width]) as tf.Tensor2D;
  const m = heap(), src = offsetOf(x) / 4;
  let dst = offsetOf(out) / 4;
  const run = kw * c; // one input row's taps
  for (let n = 0; n < b; n++) {
    const image = src + n * h * w * c;
    for (let y = 0; y < oh; y++) {
      for (let q = 0; q < ow; q++, dst += width) {
        const left = q * stride - pad;
        const inside = left >= 0 && left + kw <= w;
        for (let i = 0; i < kh; i++) {
          const r = y * stride - pad + i, d = dst + i * run;
          if (r < 0 || r >= h) zero(m, d, run);
          else if (inside) copy(m, d, image + (r * w + left) * c, run);
          else {
            for (let j = 0; j < kw; j++) {
              const col = left + j, dj = d + j * c;
              if (col < 0 || col >= w) zero(m, dj, c);
              else copy(m, dj, image + (r * w + col) * c, c);
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * im2col's adjoint: [B·OH·OW, k·k'·C] rows added back into an image
 * [B, H, W, C] (entries of windows past the image are dropped).
 */
export function col2im(rows: tf.Tensor2D, g: Geometry, s: ConvShape): tf.Tensor4D {
  const { stride, pad, kh, kw } = g, { b, h, w, c, oh, ow } = s;
  const width = kh * kw * c;
  const out = uninitialised([b, h, w, c]) as tf.Tensor4D;
  const m = heap(), dstBase = offsetOf(out) / 4, k = wasmKernels()!;
  m.fill(0, dstBase, dstBase + b * h * w * c);
  let src = offsetOf(rows) / 4;
  for (let n = 0; n < b; n++) {
    const image = dstBase + n * h * w * c;
    for (let y = 0; y < oh; y++) {
      for (let q = 0; q < ow; q++, src += width) {
        const left = q * stride - pad;
        for (let i = 0; i < kh; i++) {
          const r = y * stride - pad + i;
          if (r < 0 || r >= h) continue;
          const from = src + i * kw * c;
          const j0 = Math.max(0, -left), j1 = Math.min(kw, w - left);
          if (j1 <= j0) continue;
          // Taps j0 … j1 − 1 land on contiguous pixels: one run of values.
          const to = image + (r * w + left + j0) * c, a = from + j0 * c, len = (j1 - j0) * c;
          if (len >= 16) k.addInto(4 * to, 4 * a, len);
          else for (let t = 0; t < len; t++) m[to + t] = m[to + t]! + m[a + t]!;
        }
      }
    }
  }
  return out;
}

/**
 * Σ over the rows of a [n, c] matrix, as the product 1ᵀ X in BLAS: a bias's
 * gradient. tfjs-wasm's Sum over the first axis took 15.8 ms for
 * [65536, 32]; the product takes a fraction of that.
 */
function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  // (A product with one column is a dot product: BLAS gains nothing there.)
  if (x.shape[1] < 8) return tf.sum(x, 0);
  return tf.tidy(() => tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]));
}

/** conv2d with BLAS: y = col(x) · F₂ + bias, its gradients as products (see above). */
export function gemmConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  g: Geometry,
  s: ConvShape,
): tf.Tensor4D {
  const [kh, kw, c, o] = filter.shape;
  const rows = s.b * s.oh * s.ow;
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, f, bs, save] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    const col = im2col(xs, g, s), f2 = tf.reshape(f, [kh * kw * c, o]) as tf.Tensor2D;
    save([col, f2]);
    return {
      value: tf.reshape(tf.add(tf.matMul(col, f2), bs), [s.b, s.oh, s.ow, o]) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sc, sf] = saved as [tf.Tensor2D, tf.Tensor2D];
        const d2 = tf.reshape(dy as tf.Tensor, [rows, o]) as tf.Tensor2D;
        const dx = g.inputGradient
          ? col2im(tf.matMul(d2, sf, false, true), g, s)
          : tf.zeros([s.b, s.h, s.w, s.c]);
        return [dx, tf.reshape(tf.matMul(sc, d2, true, false), [kh, kw, c, o]), columnSums(d2)];
      },
    };
  });
  return tf.tidy(() => op(x, filter, bias) as tf.Tensor4D);
}

/**
 * conv2dTranspose with BLAS, filter [k, k', Cout, Cin]: the adjoint of the
 * convolution from y [B, Hout, Wout, Cout] to x, so y = col2im(x₂ · F₂ᵀ) +
 * bias, ∂L/∂x = col(∂L/∂y) · F₂ and ∂L/∂F = col(∂L/∂y)ᵀ · x₂. `s` is that
 * convolution's shape (input y, output x).
 */
export function gemmConv2dTranspose(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  g: Geometry,
  s: ConvShape,
): tf.Tensor4D {
  const [kh, kw, cOut, cIn] = filter.shape;
  const rows = s.b * s.oh * s.ow;
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, f, bs, save] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    const x2 = tf.reshape(xs, [rows, cIn]) as tf.Tensor2D;
    const f2 = tf.reshape(f, [kh * kw * cOut, cIn]) as tf.Tensor2D;
    save([x2, f2]);
    return {
      value: tf.add(col2im(tf.matMul(x2, f2, false, true), g, s), bs) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sf] = saved as [tf.Tensor2D, tf.Tensor2D];
        const col = im2col(dy as tf.Tensor4D, g, s);
        const dx = g.inputGradient
          ? tf.reshape(tf.matMul(col, sf), [s.b, s.oh, s.ow, cIn])
          : tf.zeros([s.b, s.oh, s.ow, cIn]);
        return [
          dx,
          tf.reshape(tf.matMul(col, sx, true, false), [kh, kw, cOut, cIn]),
          columnSums(tf.reshape(dy as tf.Tensor, [-1, cOut]) as tf.Tensor2D),
        ];
      },
    };
  });
  return tf.tidy(() => op(x, filter, bias) as tf.Tensor4D);
}
