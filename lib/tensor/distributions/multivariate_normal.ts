import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import { HALF_LOG_2PI } from "../../math/_constants.ts";
import { show } from "../../math/_validate.ts";
import { deriveSeed } from "../../math/rng.ts";
import { lowerMask, solveLowerTriangular } from "./_linalg.ts";
import { TensorDistributionBase, type TensorInput } from "./distribution.ts";
import { broadcastShapes, flatten } from "./_params.ts";

/**
 * A batch of full-covariance Gaussians N(μ, L Lᵀ) on tensors, held through
 * the lower Cholesky factor L: the float32 twin of the core's
 * `MultivariateNormal`.
 *
 * Mathematical details:
 *
 * ```text
 * log N(x; μ, Σ) = −(d/2) log 2π − Σᵢ log Lᵢᵢ − ½ ‖L⁻¹(x − μ)‖²
 * H[N(μ, Σ)]     = (d/2)(1 + log 2π) + Σᵢ log Lᵢᵢ
 * x = μ + L ε,  ε ~ N(0, I)        (reparameterized)
 * ```
 *
 * Only the lower triangle of `scaleTril` is read (entries above the
 * diagonal of a tensor are ignored; in arrays they must be 0), and its
 * diagonal must be positive.
 *
 * @example
 * ```ts
 * import { MultivariateNormal, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = new MultivariateNormal([0, 0], [[2, 0], [1, 2]]); // Σ = [[4, 2], [2, 5]]
 * const v = await p.variance().data();
 * assert.deepEqual(Array.from(v), [4, 5]);
 * p.dispose();
 * ```
 */
export class MultivariateNormal extends TensorDistributionBase {
  /** The mean μ, `[...batch, d]`. */
  readonly loc: tf.Tensor;
  /** L, `[...batch, d, d]`, with its upper triangle zeroed. */
  readonly scaleTril: tf.Tensor;
  /** The broadcast batch shape of `loc` and `scaleTril`. */
  readonly batchShape: number[];
  /** `[d]`. */
  readonly eventShape: number[];
  /** Always true. */
  readonly reparameterized: boolean = true;
  /** Σᵢ log Lᵢᵢ, `[...batch of L]`. */
  readonly #logDet: tf.Tensor;

  /**
   * Creates a batch of full-covariance Gaussians.
   *
   * @param loc μ, `[...batch, d]`.
   * @param scaleTril L, `[...batch, d, d]`, lower triangular with a positive
   *   diagonal.
   * @throws {TypeError} If the shapes do not match or broadcast.
   * @throws {RangeError} If a number is not finite, an array has a non-zero
   *   entry above the diagonal, or a diagonal entry is not > 0.
   */
  constructor(loc: TensorInput, scaleTril: TensorInput) {
    super();
    try {
      const what = "Cannot construct MultivariateNormal";
      this.loc = this.param(what, "loc", loc);
      if (!(scaleTril instanceof tf.Tensor)) checkTril(what, scaleTril);
      const L = this.param(what, "scaleTril", scaleTril), d = this.loc.shape[this.loc.rank - 1];
      if (
        this.loc.rank < 1 || L.rank < 2 || L.shape[L.rank - 1] !== d || L.shape[L.rank - 2] !== d
      ) {
        throw new TypeError(
          `${what} as loc must be [..., d] and scaleTril [..., d, d]: current shapes are [${this.loc.shape}] and [${L.shape}]`,
        );
      }
      this.batchShape = broadcastShapes(
        what,
        "loc and scaleTril",
        this.loc.shape.slice(0, -1),
        L.shape.slice(0, -2),
      );
      this.eventShape = [d!];
      this.scaleTril = this.own(tf.tidy(() => tf.mul(L, lowerMask(d!))));
      this.#logDet = this.own(tf.tidy(() => {
        const diag = tf.sum(tf.mul(L, tf.eye(d!)), -1);
        return tf.sum(log(diag), -1);
      }));
    } catch (e) {
      throw this.abandon(e);
    }
  }

  /** −(d/2) log 2π − Σᵢ log Lᵢᵢ − ½ ‖L⁻¹(x − μ)‖². */
  logProb(x: TensorInput): tf.Tensor {
    return tf.tidy(() => {
      const diff = tf.sub(this.point("MultivariateNormal", x), this.loc);
      const y = solveLowerTriangular(this.scaleTril, tf.expandDims(diff, -1));
      const maha = tf.sum(tf.square(y), [-2, -1]);
      return tf.sub(tf.mul(-0.5, maha), tf.add(this.#logDet, this.eventShape[0]! * HALF_LOG_2PI));
    });
  }

  /** (d/2)(1 + log 2π) + Σᵢ log Lᵢᵢ, shape `batchShape`. */
  entropy(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(
        tf.add(this.#logDet, this.eventShape[0]! * (0.5 + HALF_LOG_2PI)),
        this.batchShape,
      )
    );
  }

  /** μ, `[...batchShape, d]`. */
  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(this.loc, [...this.batchShape, ...this.eventShape]));
  }

  /** diag(L Lᵀ) = Σⱼ Lᵢⱼ², `[...batchShape, d]`. */
  variance(): tf.Tensor {
    return tf.tidy(() =>
      tf.broadcastTo(tf.sum(tf.square(this.scaleTril), -1), [
        ...this.batchShape,
        ...this.eventShape,
      ])
    );
  }

  /** Σ = L Lᵀ, `[...batchShape, d, d]`. */
  covariance(): tf.Tensor {
    return tf.tidy(() => {
      const d = this.eventShape[0]!;
      const sigma = tf.matMul(this.scaleTril, this.scaleTril, false, true);
      return tf.broadcastTo(sigma, [...this.batchShape, d, d]);
    });
  }

  /**
   * `n` draws μ + L ε, `[n, ...batchShape, d]`, differentiable in μ and L.
   *
   * @param n How many (an integer ≥ 1).
   * @param seed The seed of ε (a safe integer).
   * @returns The draws.
   * @throws {RangeError} If `n` or `seed` is not a valid integer.
   */
  sample(n: number, seed: number): tf.Tensor {
    this.checkSample("MultivariateNormal", n, seed);
    return tf.tidy(() => {
      const shape = [n, ...this.batchShape, ...this.eventShape];
      const eps = tf.randomNormal(shape, 0, 1, "float32", deriveSeed(seed));
      return tf.add(this.loc, tf.sum(tf.mul(this.scaleTril, tf.expandDims(eps, -2)), -1));
    });
  }
}

/** Checks a scaleTril given as arrays: lower triangular, positive diagonal. */
function checkTril(what: string, value: unknown): void {
  const { values, shape } = flatten(what, "scaleTril", value);
  const d = shape[shape.length - 1]!;
  if (shape.length < 2 || shape[shape.length - 2] !== d) return; // the shape check names it
  values.forEach((v, k) => {
    const i = Math.floor(k / d) % d, j = k % d;
    if (typeof v !== "number" || !Number.isFinite(v)) return; // param() names it
    if (j > i && v !== 0) {
      throw new RangeError(
        `${what} as scaleTril must be lower triangular: scaleTril[${i}][${j}] is ${show(v)}`,
      );
    }
    if (j === i && !(v > 0)) {
      throw new RangeError(
        `${what} as scaleTril[${i}][${i}] must be > 0: current value is ${show(v)}`,
      );
    }
  });
}
