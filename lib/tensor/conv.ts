// Convolution layers (NHWC, float32) whose gradients run on every backend.
// tfjs-backend-wasm 4.22 has the kernels Conv2D and Conv2DBackpropInput but
// not Conv2DBackpropFilter, so tfjs's own gradient of conv2d (and of
// conv2dTranspose) in the filter throws there. These ops carry their own
// gradient (tf.customGrad, nothing registered globally): the filter gradient
// is im2col's product computed as one dilated convolution, the input
// gradient the other convolution.
import { tf } from "./_tf.ts";
import { assertOptions, assertTensor, describe } from "./_validate.ts";

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

interface Geometry {
  stride: number;
  pad: number;
  inputGradient: boolean;
  kh: number;
  kw: number;
}

/** Checks stride, pad and inputGradient against a kh × kw filter. */
function checkOptions(what: string, options: unknown, kh: number, kw: number): Geometry {
  assertOptions(what, "options", options);
  if (options === undefined) {
    throw new TypeError(
      `${what} as options must be an object such as { stride: 1, pad: 0 }: current value is undefined`,
    );
  }
  const { stride, pad, inputGradient = true } = options;
  for (const [name, value, min] of [["stride", stride, 1], ["pad", pad, 0]] as const) {
    if (typeof value !== "number") {
      throw new TypeError(
        `${what} as options.${name} must be a number: current value is ${describe(value)}`,
      );
    }
    if (!Number.isInteger(value) || value < min) {
      throw new RangeError(
        `${what} as options.${name} must be an integer ≥ ${min}: current value is ${value}`,
      );
    }
  }
  const k = Math.min(kh, kw);
  if ((pad as number) > k - 1) {
    throw new RangeError(
      `${what} as options.pad must be at most ${
        k - 1
      }, one less than the filter's size ${kh}×${kw}: current value is ${pad}`,
    );
  }
  if (typeof inputGradient !== "boolean") {
    throw new TypeError(
      `${what} as options.inputGradient must be a boolean: current value is ${
        describe(inputGradient)
      }`,
    );
  }
  return { stride: stride as number, pad: pad as number, inputGradient, kh, kw };
}

/** Checks x, filter and bias; returns the geometry. `transposed`: filter [k,k,Cout,Cin]. */
function checkOperands(
  what: string,
  x: unknown,
  filter: unknown,
  bias: unknown,
  options: unknown,
  transposed: boolean,
): Geometry {
  assertTensor(what, "x", x, 4);
  assertTensor(what, "filter", filter, 4);
  assertTensor(what, "bias", bias, 1);
  const [kh, kw, f2, f3] = filter.shape as [number, number, number, number];
  const [inC, outC] = transposed ? [f3, f2] : [f2, f3];
  const inAxis = transposed ? "fourth" : "third", outAxis = transposed ? "third" : "fourth";
  if (x.shape[3] !== inC) {
    throw new TypeError(
      `${what} as x must have ${inC} channels, the ${inAxis} size of filter [${filter.shape}]: current shape is [${x.shape}]`,
    );
  }
  if (bias.shape[0] !== outC) {
    throw new TypeError(
      `${what} as bias must have ${outC} values, the ${outAxis} size of filter [${filter.shape}]: current shape is [${bias.shape}]`,
    );
  }
  const g = checkOptions(what, options, kh, kw);
  const [oh, ow] = transposed
    ? transposedSize(x.shape[1]!, x.shape[2]!, g)
    : convSize(x.shape[1]!, x.shape[2]!, g);
  if (oh < 1 || ow < 1) {
    throw new RangeError(
      `${what} as x must give an output of at least 1×1 with a ${kh}×${kw} filter, stride ${g.stride} and pad ${g.pad}: current shape is [${x.shape}], output ${oh}×${ow}`,
    );
  }
  return g;
}

/** Output height and width of a convolution: ⌊(H + 2p − k)/s⌋ + 1. */
function convSize(h: number, w: number, g: Geometry): [number, number] {
  return [
    Math.floor((h + 2 * g.pad - g.kh) / g.stride) + 1,
    Math.floor((w + 2 * g.pad - g.kw) / g.stride) + 1,
  ];
}

/** Output height and width of a transposed convolution: (H − 1)s − 2p + k. */
function transposedSize(h: number, w: number, g: Geometry): [number, number] {
  return [(h - 1) * g.stride - 2 * g.pad + g.kh, (w - 1) * g.stride - 2 * g.pad + g.kw];
}

/**
 * ∂L/∂filter of y = conv2d(input, filter) given dy = ∂L/∂y:
 *
 * ```text
 * ∂L/∂filter[i,j,d,c] = Σ_{b,o,q} inputₚ[b, o·s + i, q·s + j, d] · dy[b,o,q,c]
 * ```
 *
 * the im2col product colᵀ dy, computed as one convolution with the batch as
 * the channel axis: the padded input as Cin images [Cin, Hp, Wp, B], dy as
 * the filter [OH, OW, B, Cout], dilation s, stride 1; its output
 * [Cin, k, k, Cout] (cut to k × k: rows past k see no window) is the
 * gradient up to a transpose. On wasm this runs in XNNPACK; building col
 * from k·k strided slices instead took 20 times as long (tfjs-backend-wasm's
 * StridedSlice is a scalar loop).
 */
function filterGradient(input: tf.Tensor4D, dy: tf.Tensor4D, g: Geometry): tf.Tensor4D {
  const { stride: s, pad: p, kh, kw } = g;
  const padded = p > 0 ? tf.pad(input, [[0, 0], [p, p], [p, p], [0, 0]]) : input;
  const images = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D;
  const kernel = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  let out = tf.conv2d(images, kernel, 1, "valid", "NHWC", s);
  if (out.shape[1] !== kh || out.shape[2] !== kw) {
    out = tf.slice(out, [0, 0, 0, 0], [-1, kh, kw, -1]);
  }
  return tf.transpose(out, [1, 2, 0, 3]);
}

/**
 * tf.conv2dTranspose(x, filter, outShape, s, p), filter [k, k', Cout, Cin].
 * tfjs-backend-wasm runs it (Conv2DBackpropInput) as a scalar loop, which
 * XNNPACK's conv2d beats from about 8 output channels on, even at s² times
 * the multiplications: there it runs as the stride-1 conv2d of x with s − 1
 * zeros between its pixels, padded by k − 1 − p, with the filter flipped in
 * both spatial axes and its channel axes swapped (same values).
 */
function transposedConv(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  outShape: [number, number, number, number],
  s: number,
  p: number,
): tf.Tensor4D {
  if (tf.getBackend() !== "wasm" || outShape[3] < 8) {
    return tf.conv2dTranspose(x, filter, outShape, s, p);
  }
  const [b, h, w, c] = x.shape;
  const [kh, kw] = filter.shape;
  let up = x;
  if (s > 1) {
    const spaced = tf.pad(tf.reshape(x, [b, h, 1, w, 1, c]), [
      [0, 0],
      [0, 0],
      [0, s - 1],
      [0, 0],
      [0, s - 1],
      [0, 0],
    ]);
    up = tf.reshape(spaced, [b, h * s, w * s, c]);
  }
  // The s − 1 zeros after the last pixel count towards the bottom padding;
  // an output taller (wider) than (h − 1)s + k − 2p, as the input gradient
  // of a conv2d whose windows do not reach its last rows asks, gets the
  // difference as more padding (those rows see no window: zeros).
  const top = kh - 1 - p, left = kw - 1 - p;
  const bottom = top - (s - 1) + outShape[1] - ((h - 1) * s + kh - 2 * p);
  const right = left - (s - 1) + outShape[2] - ((w - 1) * s + kw - 2 * p);
  if (bottom < 0 || right < 0) {
    up = tf.slice(up, [0, 0, 0, 0], [
      b,
      h * s + Math.min(bottom, 0),
      w * s + Math.min(right, 0),
      c,
    ]);
  }
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  return tf.conv2d(up, flipped, 1, [[0, 0], [top, Math.max(bottom, 0)], [
    left,
    Math.max(right, 0),
  ], [0, 0]]);
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
 *   length = its fourth); if `options` is not an object or a field not of its
 *   type.
 * @throws {RangeError} If stride is not an integer ≥ 1, pad not an integer
 *   from 0 to k − 1, or the output would be empty.
 *
 * @example
 * ```ts
 * import { conv2d, useBackend } from "@elbo/elbo/models";
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
  const g = checkOperands("conv2d", x, filter, bias, options, false);
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
 *   bias's length = its third); if `options` is not an object or a field not
 *   of its type.
 * @throws {RangeError} If stride is not an integer ≥ 1, pad not an integer
 *   from 0 to k − 1, or the output would be empty.
 *
 * @example
 * ```ts
 * import { conv2dTranspose, useBackend } from "@elbo/elbo/models";
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
  const g = checkOperands("conv2dTranspose", x, filter, bias, options, true);
  const [b0, h, w] = x.shape;
  const [oh, ow] = transposedSize(h, w, g);
  const outShape: [number, number, number, number] = [b0, oh, ow, filter.shape[2]];
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
