import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import { show } from "../../math/_validate.ts";
import { deriveSeed } from "../../math/rng.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes, flatten } from "./_params.ts";

/**
 * A batch of continuous uniform distributions on [low, high]: the float32
 * twin of the core's `Uniform`.
 *
 * Mathematical details, with w = high − low:
 *
 * ```text
 * log p(x) = −log w        (low ≤ x ≤ high; −∞ elsewhere)
 * H        = log w
 * E[X] = (low + high)/2,   Var[X] = w²/12
 * x = low + w u,   u ~ U[0, 1)      (reparameterized)
 * ```
 *
 * Bounds given as numbers must satisfy high > low (a RangeError
 * otherwise); bounds given as tensors are not read back to check. A draw
 * is differentiable in both bounds.
 *
 * @example
 * ```ts
 * import { Uniform, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const u = new Uniform(-1, 3);
 * const [inside, outside] = await u.logProb([0, 3.5]).data();
 * assert.ok(Math.abs(inside! + Math.log(4)) < 1e-6);
 * assert.equal(outside, -Infinity);
 * assert.ok((await u.sample(10, 1).data()).every((x) => x >= -1 && x <= 3));
 * u.dispose();
 * ```
 */
export class Uniform extends TensorDistributionBase {
  /** The lower bound. */
  readonly low: tf.Tensor;
  /** The upper bound, > low. */
  readonly high: tf.Tensor;
  /** log(high − low). */
  readonly logWidth: tf.Tensor;
  /** The broadcast shape of `low` and `high`. */
  readonly batchShape: number[];
  /** Always `[]`. */
  readonly eventShape: number[] = [];
  /** Always true. */
  readonly reparameterized: boolean = true;

  /**
   * Creates a batch of uniform distributions.
   *
   * @param low The lower bound: a tensor, a number or an array (finite).
   * @param high The upper bound: a tensor, a number or an array (finite,
   *   > low).
   * @throws {TypeError} If a parameter is not a tensor or numbers, or the
   *   shapes do not broadcast.
   * @throws {RangeError} If a number is not finite, or (both given as
   *   numbers) high ≤ low.
   */
  constructor(low: TensorInput, high: TensorInput) {
    super();
    try {
      const what = "Cannot construct Uniform";
      this.low = this.param(what, "low", low);
      this.high = this.param(what, "high", high);
      this.batchShape = broadcastShapes(what, "low and high", this.low.shape, this.high.shape);
      if (!(low instanceof tf.Tensor) && !(high instanceof tf.Tensor)) {
        // Both given as numbers: check high > low on the JavaScript side.
        const lo = broadcastValues(flatten(what, "low", low), this.batchShape);
        const hi = broadcastValues(flatten(what, "high", high), this.batchShape);
        const i = hi.findIndex((h, j) => !(Math.fround(h) > Math.fround(lo[j]!)));
        if (i >= 0) {
          const at = this.batchShape.length ? `[${i}]` : "";
          throw new RangeError(
            `${what} as high${at} must be > low${at} (${show(lo[i])}): current value is ${
              show(hi[i])
            }`,
          );
        }
      }
      this.logWidth = this.own(tf.tidy(() => log(tf.sub(this.high, this.low))));
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** −log(high − low) on [low, high], −∞ elsewhere; shape `broadcast(x.shape, batchShape)`. */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("Uniform", x);
      const lp = tf.broadcastTo(
        tf.neg(this.logWidth),
        tf.backend_util.assertAndGetBroadcastShape(xs.shape, this.batchShape),
      );
      const outside = tf.fill(lp.shape, -Infinity);
      return tf.where(
        tf.greaterEqual(xs, this.low),
        tf.where(tf.greaterEqual(this.high, xs), lp, outside),
        outside,
      );
    });
  }

  /** log(high − low), shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.logWidth, this.batchShape));
  }

  /** (low + high)/2, shape `batchShape`. */
  mean(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.add(tf.mul(0.5, this.low), tf.mul(0.5, this.high)), this.batchShape)
    );
  }

  /** (high − low)²/12, shape `batchShape`. */
  variance(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.div(tf.square(tf.sub(this.high, this.low)), 12), this.batchShape)
    );
  }

  /**
   * `n` draws low + (high − low) u, `[n, ...batchShape]`, differentiable in
   * both bounds.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of u (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Uniform", n, seed);
    return tf.tidy(() => {
      const u = tf.randomUniform([n, ...this.batchShape], 0, 1, "float32", deriveSeed(seed));
      return tf.add(this.low, tf.mul(tf.sub(this.high, this.low), u));
    });
  }
}

/** The values of a flattened array, broadcast (row-major) to `shape`. */
function broadcastValues(
  { values, shape: from }: { values: unknown[]; shape: number[] },
  shape: number[],
): number[] {
  const size = shape.reduce((a, b) => a * b, 1), out = new Array<number>(size);
  const offset = shape.length - from.length;
  for (let i = 0; i < size; i++) {
    let rest = i, at = 0, stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const coord = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      const k = d - offset;
      if (k >= 0) {
        if (from[k]! > 1) at += coord * stride;
        stride *= from[k]!;
      }
    }
    out[i] = values[at] as number;
  }
  return out;
}
