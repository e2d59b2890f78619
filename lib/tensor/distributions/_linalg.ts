import { tf } from "../_tf.ts";

/** `size` entries of axis `axis` from `start` (negative axes count from the end). */
export function sliceAxis(t: tf.Tensor, axis: number, start: number, size: number): tf.Tensor {
  const a = axis < 0 ? t.rank + axis : axis;
  const begin = t.shape.map((_, i) => (i === a ? start : 0));
  const sizes = t.shape.map((s, i) => (i === a ? size : s));
  return tf.slice(t, begin, sizes);
}

/**
 * Solves L X = B by forward substitution, L lower triangular `[..., d, d]`,
 * B `[..., d, m]`, batch axes broadcasting: row i of X is
 *
 * ```text
 * Xᵢ = (Bᵢ − Σₖ<ᵢ Lᵢₖ Xₖ) / Lᵢᵢ
 * ```
 *
 * tfjs 4.22 has no triangular solve; this one is built of slices, products
 * and sums, so tfjs differentiates it. It takes d steps: meant for the
 * moderate d of a full-covariance posterior, not for d in the thousands.
 */
export function solveLowerTriangular(L: tf.Tensor, B: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = L.shape[L.rank - 1]!;
    const rows: tf.Tensor[] = [];
    let done: tf.Tensor | undefined; // X₀…Xᵢ₋₁, [..., i, m]
    for (let i = 0; i < d; i++) {
      const Li = sliceAxis(L, -2, i, 1); // [..., 1, d]
      let s = sliceAxis(B, -2, i, 1); // [..., 1, m]
      if (done) {
        const Lik = tf.reshape(sliceAxis(Li, -1, 0, i), [...Li.shape.slice(0, -2), i, 1]);
        s = tf.sub(s, tf.sum(tf.mul(Lik, done), -2, true));
      }
      const row = tf.div(s, sliceAxis(Li, -1, i, 1));
      rows.push(row);
      done = rows.length === 1 ? row : tf.concat([done!, row], -2);
    }
    return done!;
  });
}

/** The lower-triangular mask of a d × d matrix (ones on and below the diagonal). */
export function lowerMask(d: number): tf.Tensor2D {
  return tf.tidy(() => {
    const r = tf.range(0, d, 1, "int32");
    return tf.cast(tf.greaterEqual(tf.expandDims(r, 1), tf.expandDims(r, 0)), "float32");
  });
}

/**
 * Sums a gradient back to the shape of the input it belongs to, undoing
 * broadcasting (for hand-written gradients of broadcasting ops).
 */
export function reduceTo(grad: tf.Tensor, shape: number[]): tf.Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((s, i) => s === shape[i])) {
    return grad;
  }
  return tf.tidy(() => {
    const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
    const summed = axes.length ? tf.sum(grad, axes) : grad;
    return tf.reshape(summed, shape);
  });
}
