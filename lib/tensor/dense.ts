import { tf } from "./_tf.ts";
import { assertTensor } from "./_validate.ts";
import { readOptions } from "../math/_options.ts";
import { offsetOf, uninitialised, wasmKernels } from "./_wasm_kernels.ts";
import { blasRouted } from "./_wasm_blas.ts";

/** Checks the operands of a dense layer: x [batch, in], W [in, out], b [out]. */
function assertDense(what: string, x: unknown, weight: unknown, bias: unknown): void {
  assertTensor(what, "x", x, 2);
  assertTensor(what, "weight", weight, 2);
  assertTensor(what, "bias", bias, 1);
  if (x.shape[1] !== weight.shape[0]) {
    throw new TypeError(
      `${what} as x must have ${
        weight.shape[0]
      } columns, the rows of weight [${weight.shape}]: current shape is [${x.shape}]`,
    );
  }
  if (bias.shape[0] !== weight.shape[1]) {
    throw new TypeError(
      `${what} as bias must have ${
        weight.shape[1]
      } values, the columns of weight [${weight.shape}]: current shape is [${bias.shape}]`,
    );
  }
}

/**
 * xᵀ with no gradient recorded (the gradients here are written by hand): on
 * wasm, when both sizes are multiples of 4, one SIMD pass by 4 × 4 blocks,
 * about 7 times faster than tfjs-wasm's Transpose (0.13 against 0.89 ms for
 * [784, 400]); else `tf.transpose`.
 */
function transposed(x: tf.Tensor2D): tf.Tensor2D {
  const k = wasmKernels(), [r, c] = x.shape;
  if (k === undefined || x.dtype !== "float32" || r % 4 !== 0 || c % 4 !== 0) {
    return tf.transpose(x);
  }
  const out = uninitialised([c, r]) as tf.Tensor2D;
  k.transpose(offsetOf(x), offsetOf(out), r, c);
  return out;
}

/**
 * x W; with BLAS (which takes transposed operands natively) as it is, else
 * as the transpose of Wᵀ xᵀ. tfjs-wasm (XNNPACK) repacks its second
 * operand on every call; a layer's weights change at every training step, so
 * the product is cheaper with the weights first and the (smaller) batch
 * second, even counting the two transposes.
 */
function product(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  if (blasRouted() || x.shape[0] >= w.shape[1]) return tf.matMul(x, w);
  return transposed(tf.matMul(transposed(w), transposed(x)));
}

/** ∂L/∂x = (∂L/∂y) Wᵀ, computed as (W (∂L/∂y)ᵀ)ᵀ for the same reason. */
function inputGradient(dy: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  if (blasRouted()) return tf.matMul(dy, w, false, true);
  if (dy.shape[0] >= w.shape[0]) return tf.matMul(dy, transposed(w));
  return transposed(tf.matMul(w, transposed(dy)));
}

/**
 * ∂L/∂W = xᵀ (∂L/∂y), with x transposed explicitly: x has the batch's rows,
 * fewer values than the [in, out] result that ((∂L/∂y)ᵀ x)ᵀ would transpose.
 */
function weightGradient(x: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  if (blasRouted()) return tf.matMul(x, dy, true, false);
  return tf.matMul(transposed(x), dy);
}

/**
 * The affine map of a dense layer, y = x W + b, with a hand-written gradient
 * that transposes explicitly and then calls a plain `matMul`:
 *
 * ```text
 * ∂L/∂x = (∂L/∂y) Wᵀ,   ∂L/∂W = xᵀ (∂L/∂y),   ∂L/∂b = Σ_rows ∂L/∂y
 * ```
 *
 * tfjs's own gradient of `matMul` calls it with `transposeA` or `transposeB`
 * set, which the WASM backend runs on a path several times slower than the
 * plain product (see `bench/train_step_bench.ts`); the values are the same.
 * Each product is also ordered so that the changing weight matrix is the
 * first operand, which XNNPACK does not repack.
 *
 * @param x Input, [batch, in].
 * @param weight W, [in, out].
 * @param bias b, [out].
 * @param options `inputGradient: false` when x is data (the first layer): the
 *   gradient in x is then not computed at all.
 * @returns x W + b, [batch, out].
 * @throws {TypeError} If an argument is not a float32 tensor of its rank, the
 *   sizes do not chain (x's columns = W's rows, b's length = W's columns),
 *   `options` is not a plain object or has a key other than `inputGradient`,
 *   or `options.inputGradient` is not a boolean.
 *
 * @example
 * ```ts
 * import { dense } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const y = dense(tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([1, 1]));
 * assert.deepEqual(Array.from(y.dataSync()), [2, 3]);
 * ```
 */
export function dense(
  x: tf.Tensor2D,
  weight: tf.Tensor2D,
  bias: tf.Tensor1D,
  options?: { inputGradient?: boolean },
): tf.Tensor2D {
  const what = "Cannot compute dense";
  assertDense(what, x, weight, bias);
  const o = readOptions(what, options, ["inputGradient"]);
  if (!o.boolean("inputGradient", true)) {
    // x is data, not a function of any variable: differentiate in W and b
    // only, and skip the product (∂L/∂y) Wᵀ that nothing would use.
    const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [w, b] = inputs as [tf.Tensor2D, tf.Tensor1D];
      return {
        value: tf.add(product(x, w), b),
        gradFunc: (
          dy: tf.Tensor | tf.Tensor[],
        ) => [weightGradient(x, dy as tf.Tensor2D), tf.sum(dy as tf.Tensor2D, 0)],
      };
    });
    return op(weight, bias) as tf.Tensor2D;
  }
  return denseOp(x, weight, bias) as tf.Tensor2D;
}

const denseOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, w, b, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  // x and W are needed by the backward pass: save them, so that the engine
  // keeps them alive after the forward pass's intermediates are freed.
  save([x, w]);
  return {
    value: tf.add(product(x, w), b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [inputGradient(g, ws), weightGradient(xs, g), tf.sum(g, 0)];
    },
  };
});

/**
 * The same affine map with tfjs's own autodiff gradient — the reference that
 * {@linkcode dense} is checked and benchmarked against.
 *
 * @param x Input, [batch, in].
 * @param weight W, [in, out].
 * @param bias b, [out].
 * @returns x W + b.
 * @throws {TypeError} As {@linkcode dense}.
 *
 * @example
 * ```ts
 * import { dense, denseAutodiff } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const [x, w, b] = [tf.tensor2d([[1, 2]]), tf.tensor2d([[1], [3]]), tf.tensor1d([0.5])];
 * assert.deepEqual(denseAutodiff(x, w, b).dataSync(), dense(x, w, b).dataSync());
 * ```
 */
export function denseAutodiff(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  assertDense("Cannot compute denseAutodiff", x, weight, bias);
  return tf.tidy(() => tf.add(tf.matMul(x, weight), bias));
}

/**
 * Which gradient a model's dense layers use: `"custom"`, the hand-written one
 * of {@linkcode dense}, or `"autodiff"`, tfjs's autodiff through
 * {@linkcode denseAutodiff}.
 */
export type DenseGradient = "custom" | "autodiff";
