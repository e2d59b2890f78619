import { tf } from "../_tf.ts";
import { log } from "../_stable.ts";
import { show } from "../../math/_validate.ts";
import { assertSeed } from "../../math/rng.ts";
import { assertValuesAtOnce, markDisposed } from "../_validate.ts";
import { className } from "../../math/_pair_registry.ts";
import { takePresetLogScale, toParam, toPoint } from "./_params.ts";

/**
 * A parameter or a point: a tensor, a number, or (nested) arrays of numbers.
 * Numbers and arrays are validated on the JavaScript side and turned into
 * float32 tensors that the distribution owns; tensors are used as given.
 */
export type TensorInput = tf.Tensor | number | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/**
 * What {@linkcode TensorDistributionBase.param} checks of a parameter given as
 * numbers (every rule also asks for finite values that float32 can hold):
 * `positive` is at least the least normal float32, `probability` in [0, 1],
 * `nonzero` at least that in magnitude, and `logScale` a log σ whose exp is a
 * positive normal float32.
 */
export type ParamRule = "finite" | "positive" | "probability" | "nonzero" | "logScale";

/**
 * What every tensor distribution of `@elbo/elbo/tensor` offers: the float32,
 * batched twin of the core's `Distribution`, with the same method names.
 *
 * Shapes follow TensorFlow Probability: a distribution holds a batch of
 * independent distributions (`batchShape`), each over points of shape
 * `eventShape`. `sample(n, seed)` returns `[n, ...batchShape, ...eventShape]`;
 * `logProb(x)` takes points whose trailing dimensions broadcast against
 * `[...batchShape, ...eventShape]` and returns one value per point and batch
 * member; `entropy()` has shape `batchShape`; `mean()` and `variance()` have
 * shape `[...batchShape, ...eventShape]`.
 *
 * Every method returns new tensors that the caller disposes (or runs inside
 * `tf.tidy`). Parameters given as numbers or arrays become tensors owned by
 * the distribution and freed by `dispose()`; tensors given by the caller stay
 * the caller's.
 */
export interface TensorDistribution {
  /** The shape of the batch of independent distributions. */
  readonly batchShape: number[];
  /** The shape of one point: `[]` for a scalar, `[d]` for a vector. */
  readonly eventShape: number[];
  /** Whether `sample` is differentiable in the parameters (the reparameterization trick). */
  readonly reparameterized: boolean;
  /** `n` draws, `[n, ...batchShape, ...eventShape]`, seeded. */
  sample(n: number, seed: number): tf.Tensor;
  /** log-density (or log-mass) at `x`. */
  logProb(x: TensorInput): tf.Tensor;
  /**
   * `n` draws and the log-density at each, where the family computes both in
   * one pass (optional: a transformed distribution does, with no inverse).
   */
  sampleAndLogProb?(n: number, seed: number): { sample: tf.Tensor; logProb: tf.Tensor };
  /** The entropy −E[log p(X)], shape `batchShape`. */
  entropy(): tf.Tensor;
  /** The mean. */
  mean(): tf.Tensor;
  /** The variance, per coordinate. */
  variance(): tf.Tensor;
  /** Frees the tensors the distribution made itself (never the caller's). */
  dispose(): void;
}

/**
 * The base class of elbo's tensor distributions, for a user who writes one
 * of their own: parameter conversion with clear errors, broadcast checks of
 * points, ownership of the tensors a distribution makes (freed by
 * `dispose()`), and checks of a sample count and seed.
 */
export abstract class TensorDistributionBase implements TensorDistribution {
  /** The shape of the batch of independent distributions. */
  abstract readonly batchShape: number[];
  /** The shape of one point. */
  abstract readonly eventShape: number[];
  /** Whether `sample` is differentiable in the parameters. */
  abstract readonly reparameterized: boolean;
  /** `n` draws, `[n, ...batchShape, ...eventShape]`, seeded. */
  abstract sample(n: number, seed: number): tf.Tensor;
  /** log-density (or log-mass) at `x`. */
  abstract logProb(x: TensorInput): tf.Tensor;
  /** The entropy, shape `batchShape`. */
  abstract entropy(): tf.Tensor;
  /** The mean. */
  abstract mean(): tf.Tensor;
  /** The variance, per coordinate. */
  abstract variance(): tf.Tensor;

  /** Tensors made by this distribution, freed by {@linkcode dispose}. */
  #owned: tf.Tensor[] = [];
  #disposed = false;

  /**
   * Starts a distribution of a subclass.
   *
   * @throws {TypeError} If called for this abstract class itself.
   */
  constructor() {
    if (new.target === TensorDistributionBase) {
      throw new TypeError(
        "Cannot construct TensorDistributionBase as it is abstract: extend it, or construct a Normal, a Gamma, …",
      );
    }
  }

  /** Whether {@linkcode dispose} has run: every method then throws a TypeError saying so. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * Frees the tensors made so far by a constructor that is failing, and
   * returns its error to rethrow: `catch (e) { throw this.abandon(e); }`
   * around a constructor's body, so that bad parameters leak nothing.
   */
  protected abandon(error: unknown): unknown {
    this.dispose();
    return error;
  }

  /** Records a tensor this distribution made, and returns it. */
  protected own<T extends tf.Tensor>(t: T): T {
    if (!this.#owned.includes(t)) this.#owned.push(t);
    return t;
  }

  /**
   * Builds a distribution inside a `tf.tidy` that keeps its tensors and
   * hands them all to it, so that its `dispose()` frees them: for a function
   * (a network's head, say) that makes both the parameters and the
   * distribution and gives its caller only the distribution. Every tensor of
   * the distribution must be made inside `make`.
   *
   * @param make Builds the distribution from tensors it makes itself.
   * @returns The distribution, owning every tensor among its properties.
   * @throws {TypeError} If `make` is not a function or does not return a live
   *   TensorDistributionBase (the tensors it made are freed).
   *
   * @example
   * ```ts
   * import { Normal, TensorDistributionBase, useBackend } from "@elbo/elbo/tensor";
   * import * as tf from "@tensorflow/tfjs";
   * import assert from "node:assert/strict";
   *
   * await useBackend("cpu");
   * const before = tf.memory().numTensors;
   * const d = TensorDistributionBase.tidy(() => new Normal(tf.zeros([3]), tf.ones([3])));
   * d.dispose();
   * assert.equal(tf.memory().numTensors, before);
   * ```
   */
  static tidy<D extends TensorDistributionBase>(make: () => D): D {
    const what = "Cannot run TensorDistributionBase.tidy";
    if (typeof make !== "function") {
      throw new TypeError(
        `${what} as make must be a function that builds a distribution: current value is ${
          show(make)
        }`,
      );
    }
    let d: D | undefined;
    // The tensors returned leave the tidy as a function's result does: into
    // the enclosing scope, if any. (If make's result is refused, the tidy
    // frees every tensor it made.)
    const kept = tf.tidy(() => {
      const made: unknown = d = make();
      if (!(made instanceof TensorDistributionBase) || made.isDisposed) {
        throw new TypeError(
          `${what} as make must return a live tensor distribution (a TensorDistributionBase): it returned ${
            made instanceof TensorDistributionBase
              ? `a disposed ${made.constructor.name}`
              : made !== null && typeof made === "object"
              ? `${/^[AEIOU]/.test(className(made)) ? "an" : "a"} ${className(made)}`
              : show(made)
          }`,
        );
      }
      return made.tensors();
    });
    for (const t of kept) d!.own(t);
    return d!;
  }

  /** The tensors among the distribution's properties (a subclass adds those it keeps privately). */
  protected tensors(): tf.Tensor[] {
    return Object.values(this).filter((t): t is tf.Tensor => t instanceof tf.Tensor);
  }

  /**
   * Converts a parameter: tensors pass through (cast to float32 if needed);
   * numbers and arrays are checked (finite; > 0 or in [0, 1] if asked) and
   * become owned tensors.
   */
  protected param(
    what: string,
    name: string,
    value: TensorInput,
    rule: ParamRule = "finite",
  ): tf.Tensor {
    return toParam(what, name, value, rule, (t) => this.own(t));
  }

  /**
   * The scale parameter of a location–scale family as σ and log σ: σ
   * converted (> 0) and log σ derived, or — inside {@linkcode withLogScale} —
   * log σ converted as given and σ = exp(log σ) derived from it.
   */
  protected scaleParams(
    what: string,
    scale: TensorInput,
  ): { scale: tf.Tensor; logScale: tf.Tensor } {
    const preset = takePresetLogScale();
    if (preset) {
      const logScale = this.param(what, "logScale", preset.value, "logScale");
      return { logScale, scale: this.own(tf.exp(logScale)) };
    }
    const s = this.param(what, "scale", scale, "positive");
    return { scale: s, logScale: this.own(log(s)) };
  }

  /**
   * Checks a sample count and seed, and that the draws fit in memory: at
   * most 2²⁶ values (n × batch size × event size).
   */
  protected checkSample(what: string, n: number, seed: number): void {
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(
        `${what}.sample as n must be an integer ≥ 1: current value is ${show(n)}`,
      );
    }
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    assertValuesAtOnce(`Cannot draw ${what}.sample`, [
      ["n", n],
      ["batch size", size(this.batchShape)],
      ["event size", size(this.eventShape)],
    ], "at once");
    assertSeed(`${what}.sample`, "seed", seed);
  }

  /**
   * Converts a point and checks that its trailing dimensions broadcast
   * against `[...batchShape, ...eventShape]`, its event dimensions equal.
   * Returns the point (owned by the caller of logProb when converted here:
   * it is disposed by the `tf.tidy` of the method).
   */
  protected point(what: string, x: TensorInput): tf.Tensor {
    return toPoint(what, x, this.batchShape, this.eventShape);
  }

  /**
   * Frees the tensors this distribution made (never the caller's). Using
   * the distribution afterwards throws a TypeError that says so.
   */
  dispose(): void {
    tf.dispose(this.#owned);
    this.#owned = [];
    if (!this.#disposed) markDisposed(this, this.constructor.name);
    this.#disposed = true;
  }
}
