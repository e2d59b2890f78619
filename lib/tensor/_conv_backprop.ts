// The two convolutions behind the gradients of lib/tensor/conv.ts, each run as
// a tf.conv2d, which every backend has and XNNPACK runs fast on wasm:
// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, and runs
// Conv2DBackpropInput (conv2dTranspose) as a scalar loop.
import { tf } from "./_tf.ts";
import type { Geometry } from "./_conv_geometry.ts";

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
export function filterGradient(input: tf.Tensor4D, dy: tf.Tensor4D, g: Geometry): tf.Tensor4D {
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
export function transposedConv(
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
