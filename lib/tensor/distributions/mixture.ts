import { tf } from "../_tf.ts";
import { log, logSumExp } from "../_stable.ts";
import { show } from "../../math/_validate.ts";
import { deriveSeed } from "../../math/rng.ts";
import { meanAndStandardError, type TensorEstimate } from "../estimate.ts";
import { assertNotDisposed, assertValuesAtOnce } from "../_validate.ts";
import { sliceAxis } from "./_linalg.ts";
import {
  type TensorDistribution,
  TensorDistributionBase,
  type TensorInput,
} from "./distribution.ts";
import { broadcastShapes, flatten } from "./_params.ts";

/**
 * A finite mixture Σₖ wₖ pₖ of tensor distributions that share one batch and
 * event shape: the float32 twin of the core's `Mixture`.
 *
 * Mathematical details:
 *
 * ```text
 * log p(x) = logsumexpₖ (log wₖ + log pₖ(x))
 * E[X]     = Σₖ wₖ μₖ
 * Var[X]   = Σₖ wₖ (σₖ² + μₖ²) − E[X]²        (per coordinate)
 * ```
 *
 * The entropy has no closed form: `entropy()` throws and points to
 * `entropyMonteCarlo`. Draws pick a component and are not reparameterized.
 *
 * @example
 * ```ts
 * import { Mixture, Normal, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const m = new Mixture([0.5, 0.5], [new Normal(-1, 1), new Normal(1, 1)]);
 * assert.equal((await m.mean().data())[0], 0);
 * assert.equal((await m.variance().data())[0], 2);
 * m.dispose();
 * ```
 */
export class Mixture extends TensorDistributionBase {
  /** The weights wₖ, `[..., K]` (non-negative, summing to 1 over the last axis). */
  readonly weights: tf.Tensor;
  /** log wₖ. */
  readonly logWeights: tf.Tensor;
  /** The components pₖ. */
  readonly components: ReadonlyArray<TensorDistribution>;
  /** The broadcast batch shape of the weights and the components. */
  readonly batchShape: number[];
  /** The components' event shape. */
  readonly eventShape: number[];
  /** Always false. */
  readonly reparameterized: boolean = false;

  /**
   * Creates a mixture.
   *
   * @param weights wₖ, `[..., K]`: non-negative and summing to 1 (to 1e-6)
   *   when given as numbers; a tensor is used as given.
   * @param components K tensor distributions of one batch and event shape.
   * @throws {TypeError} If the counts or shapes differ, or a component is
   *   not a tensor distribution or was disposed.
   * @throws {RangeError} If a weight is negative or not finite, or the
   *   weights do not sum to 1.
   */
  constructor(weights: TensorInput, components: ReadonlyArray<TensorDistribution>) {
    super();
    try {
      const what = "Cannot construct Mixture";
      if (!(weights instanceof tf.Tensor)) {
        const { values, shape } = flatten(what, "weights", weights);
        const K = shape[shape.length - 1] ?? 1;
        for (let r = 0; r < values.length; r += K) {
          let sum = 0;
          for (let k = 0; k < K; k++) {
            const w = values[r + k];
            if (typeof w === "number" && w < 0) {
              throw new RangeError(
                `${what} as weights[${r + k}] must be ≥ 0: current value is ${w}`,
              );
            }
            sum += w as number;
          }
          if (Number.isFinite(sum) && Math.abs(sum - 1) > 1e-6) {
            throw new RangeError(`${what} as weights must sum to 1: current sum is ${sum}`);
          }
        }
      }
      this.weights = this.param(what, "weights", weights, "finite");
      if (this.weights.rank < 1) {
        throw new TypeError(
          `${what} as weights must have a last axis of one weight per component: current shape is []`,
        );
      }
      const K = this.weights.shape[this.weights.rank - 1];
      if (!Array.isArray(components) || components.length !== K) {
        throw new TypeError(
          `${what} as components must be an array with one entry per weight (weights has ${K} on its last axis): current value is ${
            show(components)
          }`,
        );
      }
      components.forEach((c, k) => {
        if (
          c === null || typeof c !== "object" || typeof c.logProb !== "function" ||
          !Array.isArray(c.batchShape) || !Array.isArray(c.eventShape)
        ) {
          throw new TypeError(
            `${what} as components[${k}] must be a tensor distribution: current value is ${
              show(c)
            }`,
          );
        }
        assertNotDisposed(what, `components[${k}]`, c);
      });
      const first = components[0]!;
      components.forEach((c, k) => {
        if (
          c.batchShape.join() !== first.batchShape.join() ||
          c.eventShape.join() !== first.eventShape.join()
        ) {
          throw new TypeError(
            `${what} as components must share one batch and event shape: components[0] is [${first.batchShape}] × [${first.eventShape}], components[${k}] is [${c.batchShape}] × [${c.eventShape}]`,
          );
        }
      });
      this.components = components;
      this.eventShape = first.eventShape.slice();
      this.batchShape = broadcastShapes(
        what,
        "weights (without the last axis) and components",
        this.weights.shape.slice(0, -1),
        first.batchShape,
      );
      this.logWeights = this.own(log(this.weights));
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** The weights reshaped to `[..., K, 1, …]` to meet stacked `[..., K, ...event]` values. */
  #weightsForEvents(w: tf.Tensor): tf.Tensor {
    return tf.reshape(w, [...w.shape, ...this.eventShape.map(() => 1)]);
  }

  /** Stacks the components' values of `f` on a K axis just before the event axes. */
  #stack(f: (c: TensorDistribution, k: number) => tf.Tensor): tf.Tensor {
    const parts = this.components.map(f);
    return tf.stack(parts, parts[0]!.rank - this.eventShape.length);
  }

  /** logsumexpₖ (log wₖ + log pₖ(x)). */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const xs = this.point("Mixture", x);
      const lps = tf.stack(this.components.map((c) => c.logProb(xs)), -1);
      return logSumExp(tf.add(lps, this.logWeights), -1);
    });
  }

  /**
   * Always throws: a mixture's entropy has no closed form.
   *
   * @throws {TypeError} Always, pointing to {@linkcode Mixture.entropyMonteCarlo}.
   */
  entropy(): tf.Tensor {
    throw new TypeError(
      "Cannot compute Mixture.entropy in closed form: a mixture's entropy has none; use mixture.entropyMonteCarlo(samples, seed) for an estimate with its standard error",
    );
  }

  /**
   * Monte Carlo entropy −(1/n) Σᵢ log p(xᵢ), xᵢ ~ p, with its standard error,
   * each of shape `batchShape`.
   *
   * @param samples n, an integer ≥ 2.
   * @param seed The seed of the draws.
   * @returns `{ value, standardError }`.
   * @throws {RangeError} If `samples` is not an integer ≥ 2 or `seed` is not a
   *   safe integer, or the draws (samples × batch size × event size) are
   *   more than 2²⁶ values.
   */
  entropyMonteCarlo(samples: number, seed: number): TensorEstimate {
    if (typeof samples !== "number" || !Number.isSafeInteger(samples) || samples < 2) {
      throw new RangeError(
        `Mixture.entropyMonteCarlo as samples must be an integer ≥ 2: current value is ${
          show(samples)
        }`,
      );
    }
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    assertValuesAtOnce("Cannot draw Mixture.entropyMonteCarlo", [
      ["samples", samples],
      ["batch size", size(this.batchShape)],
      ["event size", size(this.eventShape)],
    ], "at once");
    return tf.tidy(() => meanAndStandardError(tf.neg(this.logProb(this.sample(samples, seed)))));
  }

  /** Σₖ wₖ μₖ. */
  mean(): tf.Tensor {
    return tf.tidy(() => {
      const mu = this.#stack((c) => c.mean());
      return tf.sum(
        tf.mul(this.#weightsForEvents(this.weights), mu),
        mu.rank - this.eventShape.length - 1,
      );
    });
  }

  /** Σₖ wₖ (σₖ² + (μₖ − μ)²), free of cancellation (as the core's). */
  variance(): tf.Tensor {
    return tf.tidy(() => {
      const mu = this.#stack((c) => c.mean());
      const v = this.#stack((c) => c.variance());
      const axis = mu.rank - this.eventShape.length - 1;
      const w = this.#weightsForEvents(this.weights);
      const m = tf.sum(tf.mul(w, mu), axis, true);
      return tf.sum(tf.mul(w, tf.add(v, tf.square(tf.sub(mu, m)))), axis);
    });
  }

  /**
   * `n` draws, `[n, ...batchShape, ...eventShape]`: a component is picked by
   * its weight for each draw and batch member, then drawn from.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed (a safe integer).
   * @returns The draws (not differentiable in the weights).
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("Mixture", n, seed);
    return tf.tidy(() => {
      const K = this.components.length;
      const u = tf.randomUniform([n, ...this.batchShape, 1], 0, 1, "float32", deriveSeed(seed, 0));
      // The chosen component is the number of cumulative weights u passes.
      const edges = sliceAxis(tf.cumsum(this.weights, this.weights.rank - 1), -1, 0, K - 1);
      const index = tf.sum(tf.cast(tf.greaterEqual(u, edges), "int32"), -1);
      // One-hot over the K components, [n, ...batch, K] (tf.oneHot needs K ≥ 2).
      const pick = tf.cast(
        tf.equal(tf.expandDims(index, -1), tf.range(0, K, 1, "int32")),
        "float32",
      );
      const draws = this.#stack((c, k) =>
        tf.broadcastTo(
          c.sample(n, deriveSeed(seed, k + 1)),
          [n, ...this.batchShape, ...this.eventShape],
        )
      );
      return tf.sum(tf.mul(this.#weightsForEvents(pick), draws), 1 + this.batchShape.length);
    });
  }
}
