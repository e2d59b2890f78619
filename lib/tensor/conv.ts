// Convolution layers (NHWC, float32) whose gradients run on every backend.
// tfjs-backend-wasm 4.22 has the kernels Conv2D and Conv2DBackpropInput but
// not Conv2DBackpropFilter, so tfjs's own gradient of conv2d (and of
// conv2dTranspose) in the filter throws there. These ops carry their own
// gradient (tf.customGrad, nothing registered globally): the filter gradient
// is im2col's product computed as one dilated convolution, the input
// gradient the other convolution.
import { tf } from "./_tf.ts";
import { filterGradient, transposedConv } from "./_conv_backprop.ts";
import { checkOperands, convSize, transposedSize } from "./_conv_geometry.ts";
import { gemmConv2d, gemmConv2dTranspose } from "./_conv_gemm.ts";
import { blasRouted } from "./_wasm_blas.ts";

/** Options of {@linkcode conv2d} and {@linkcode conv2dTranspose}. */
export interface ConvOptions {
  /** The step between windows, the same along height and width: an integer ≥ 1. */
  stride: number;
  /**
   * Zero rows (columns) added on each side of the input, the same along
   * height and width: an integer from 0 to k − 1 for a k × k filter.
   */
  pad: number;
  /**
   * `false` when x is data (the first layer): the gradient in x is then not
   * computed at all (it reads as zeros). Default `true`.
   */
  inputGradient?: boolean;
}

/**
 * A 2-D convolution layer, NHWC, with a hand-written gradient that runs on
 * the wasm backend (whose tfjs lacks the Conv2DBackpropFilter kernel):
 *
 * ```text
 * y[b,o,q,c] = bias[c] + Σ_{i,j,d} xₚ[b, o·s + i, q·s + j, d] · filter[i,j,d,c]
 *   xₚ = x with p zero rows and columns on each side
 *   OH = ⌊(H + 2p − k)/s⌋ + 1   (OW likewise)
 * ∂L/∂x      = conv2dTranspose(∂L/∂y, filter, x.shape, s, p)
 * ∂L/∂filter[i,j,d,c] = Σ_{b,o,q} xₚ[b, o·s + i, q·s + j, d] · ∂L/∂y[b,o,q,c]
 * ∂L/∂bias   = Σ_{b,o,q} ∂L/∂y
 * ```
 *
 * @param x Input, [B, H, W, Cin].
 * @param filter Filter, [k, k', Cin, Cout].
 * @param bias Bias, [Cout].
 * @param options `stride` (integer ≥ 1), `pad` (integer from 0 to k − 1) and
 *   `inputGradient` (see {@linkcode ConvOptions}).
 * @returns y, [B, OH, OW, Cout].
 * @throws {TypeError} If x, filter or bias is not a float32 tensor of rank 4,
 *   4, 1; if the channels do not chain (x's Cin = filter's third size, bias's
 *   length = its fourth); if `options` is not a plain object, has another key
 *   or lacks stride or pad, or a field is not of its type.
 * @throws {RangeError} If stride is not an integer ≥ 1, pad not an integer
 *   from 0 to k − 1, or the output would be empty.
 *
 * @example
 * ```ts
 * import { conv2d } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // A 3×3 image of ones, a 2×2 filter of ones: each window sums 4 ones, plus 1.
 * const x = tf.ones([1, 3, 3, 1]) as tf.Tensor4D, filter = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
 * const y = conv2d(x, filter, tf.tensor1d([1]), { stride: 1, pad: 0 });
 * assert.deepEqual(Array.from(y.dataSync()), [5, 5, 5, 5]);
 * const dFilter = tf.grad((f) => conv2d(x, f as tf.Tensor4D, tf.tensor1d([1]), { stride: 1, pad: 0 }))(filter);
 * assert.deepEqual(Array.from(dFilter.dataSync()), [4, 4, 4, 4]);
 * ```
 */
export function conv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  options: ConvOptions,
): tf.Tensor4D {
  const g = checkOperands("Cannot compute conv2d", x, filter, bias, options, false);
  if (blasRouted()) {
    const [b, h, w, c] = x.shape, [oh, ow] = convSize(h, w, g);
    return gemmConv2d(x, filter, bias, g, { b, h, w, c, oh, ow });
  }
  const forward = (xs: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor1D) =>
    tf.fused.conv2d({ x: xs, filter: f, strides: g.stride, pad: g.pad, bias: b }) as tf.Tensor4D;
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, f, b, save] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    // x and the filter are needed by the backward pass: saved, the engine
    // keeps them alive after the forward pass's intermediates are freed.
    save([xs, f]);
    return {
      value: forward(xs, f, b),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const d = dy as tf.Tensor4D;
        const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = g.inputGradient
          ? transposedConv(d, sf, sx.shape, g.stride, g.pad)
          : tf.zerosLike(sx);
        return [dx, filterGradient(sx, d, g), tf.sum(d, [0, 1, 2])];
      },
    };
  });
  return tf.tidy(() => op(x, filter, bias) as tf.Tensor4D);
}

/**
 * A 2-D transposed convolution layer (the adjoint of {@linkcode conv2d} in
 * its input, an upsampling decoder layer), NHWC, with a hand-written
 * gradient that runs on the wasm backend. The filter has tfjs's layout for
 * `conv2dTranspose`, [k, k', Cout, Cin]:
 *
 * ```text
 * y = bias + conv2dTranspose(x, filter), the z ↦ conv2d(z, filter, s, p) adjoint:
 * y[b, o·s − p + i, q·s − p + j, c] += x[b,o,q,d] · filter[i,j,c,d]
 *   Hout = (H − 1)·s − 2p + k   (Wout likewise)
 * ∂L/∂x      = conv2d(∂L/∂y, filter, s, p)
 * ∂L/∂filter[i,j,c,d] = Σ_{b,o,q} (∂L/∂y)ₚ[b, o·s + i, q·s + j, c] · x[b,o,q,d]
 * ∂L/∂bias   = Σ_{b,o,q} ∂L/∂y
 * ```
 *
 * @param x Input, [B, H, W, Cin].
 * @param filter Filter, [k, k', Cout, Cin].
 * @param bias Bias, [Cout].
 * @param options `stride` (integer ≥ 1), `pad` (integer from 0 to k − 1) and
 *   `inputGradient` (see {@linkcode ConvOptions}).
 * @returns y, [B, Hout, Wout, Cout].
 * @throws {TypeError} If x, filter or bias is not a float32 tensor of rank 4,
 *   4, 1; if the channels do not chain (x's Cin = filter's fourth size,
 *   bias's length = its third); if `options` is not a plain object, has
 *   another key or lacks stride or pad, or a field is not of its type.
 * @throws {RangeError} If stride is not an integer ≥ 1, pad not an integer
 *   from 0 to k − 1, or the output would be empty.
 *
 * @example
 * ```ts
 * import { conv2dTranspose } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // Stride 2, a 2×2 filter of ones, no pad: each pixel becomes a 2×2 block.
 * const x = tf.tensor4d([1, 2], [1, 1, 2, 1]), filter = tf.ones([2, 2, 1, 1]) as tf.Tensor4D;
 * const y = conv2dTranspose(x, filter, tf.tensor1d([0]), { stride: 2, pad: 0 });
 * assert.deepEqual(y.shape, [1, 2, 4, 1]);
 * assert.deepEqual(Array.from(y.dataSync()), [1, 1, 2, 2, 1, 1, 2, 2]);
 * ```
 */
export function conv2dTranspose(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  options: ConvOptions,
): tf.Tensor4D {
  const g = checkOperands("Cannot compute conv2dTranspose", x, filter, bias, options, true);
  const [b0, h, w] = x.shape;
  const [oh, ow] = transposedSize(h, w, g);
  const outShape: [number, number, number, number] = [b0, oh, ow, filter.shape[2]];
  if (blasRouted()) {
    // The convolution this is the adjoint of: from [b0, oh, ow, Cout] to x.
    return gemmConv2dTranspose(x, filter, bias, g, {
      b: b0,
      h: oh,
      w: ow,
      c: filter.shape[2],
      oh: h,
      ow: w,
    });
  }
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, f, b, save] = inputs as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    save([xs, f]);
    return {
      value: tf.add(transposedConv(xs, f, outShape, g.stride, g.pad), b) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const d = dy as tf.Tensor4D;
        const [sx, sf] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx = g.inputGradient ? tf.conv2d(d, sf, g.stride, g.pad) : tf.zerosLike(sx);
        // The conv2d geometry with dy as its input and x as its output
        // gradient: [k, k', Cout, Cin], the transposed filter's layout.
        return [dx, filterGradient(d, sx, g), tf.sum(d, [0, 1, 2])];
      },
    };
  });
  return tf.tidy(() => op(x, filter, bias) as tf.Tensor4D);
}
