import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import type { TensorDistribution, TensorInput } from "../distributions/distribution.ts";
import { describe } from "../_validate.ts";

/** Builds a distribution from the current values of a surrogate's variables. */
export type SurrogateBuilder = (variables: tf.Tensor[]) => TensorDistribution;

// A stop-gradient: the identity whose gradient is zero. tfjs 4.22 has no such
// op; a custom gradient gives one that works inside an optimiser's tape.
const stop = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
})) as (x: tf.Tensor) => tf.Tensor;

/**
 * The identity, with a zero gradient: what sticking the landing and DReG
 * need to treat a quantity as a constant inside a gradient tape.
 *
 * @param x Any float tensor.
 * @returns A copy of `x` through which no gradient flows.
 * @throws {TypeError} If `x` is not a live tensor.
 */
export function stopGradient(x: tf.Tensor): tf.Tensor {
  if (!(x instanceof tf.Tensor) || x.isDisposed) {
    throw new TypeError(
      `Cannot compute stopGradient as x must be a live tf.Tensor: current value is ${describe(x)}`,
    );
  }
  return stop(x);
}

/**
 * A distribution whose parameters are functions of trainable `tf.Variable`s:
 * what {@linkcode fitSurrogatePosterior} fits. Every method rebuilds the
 * distribution from the variables' current values (inside a `tf.tidy`), so
 * that gradients reach the variables wherever the surrogate is used inside a
 * gradient tape, and nothing is left allocated in between.
 *
 * Build one with {@linkcode meanFieldSurrogate} or
 * {@linkcode fullRankSurrogate}, or from any family by hand — the variables
 * unconstrained, the constraint in `build` (a softplus for a rate, say).
 * `dispose()` frees the variables; after it every method throws a
 * TypeError that says so.
 *
 * @example A Normal surrogate whose scale is kept positive by a softplus
 * ```ts
 * import { Normal, TrainableSurrogate, useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const q = new TrainableSurrogate(
 *   [tf.variable(tf.scalar(0.5)), tf.variable(tf.scalar(0))],
 *   ([loc, rawScale]) => new Normal(loc!, tf.softplus(rawScale!)),
 * );
 * assert.equal(q.trainableVariables.length, 2);
 * const lp = q.logProb(0.5);
 * assert.ok(Math.abs(lp.dataSync()[0]! - (-0.5 * Math.log(2 * Math.PI) - Math.log(Math.LN2))) < 1e-5);
 * lp.dispose();
 * q.dispose();
 * ```
 */
export class TrainableSurrogate implements TensorDistribution {
  /** The variables the fit moves. */
  readonly trainableVariables: tf.Variable[];
  /** The batch shape of the built distribution. */
  readonly batchShape: number[];
  /** The event shape of the built distribution. */
  readonly eventShape: number[];
  /** Whether the built distribution's samples are reparameterized. */
  readonly reparameterized: boolean;
  /** The name of the built distribution's class, for messages. */
  readonly family: string;
  readonly #build: SurrogateBuilder;

  /**
   * Creates a surrogate from its variables and a builder.
   *
   * @param variables The trainable `tf.Variable`s (at least one), owned by
   *   the surrogate from now on.
   * @param build Makes the distribution from tensors holding the variables'
   *   values, in the order given.
   * @throws {TypeError} If `variables` is not a non-empty array of
   *   variables, or `build` does not return a tensor distribution.
   */
  constructor(variables: tf.Variable[], build: SurrogateBuilder) {
    const what = "Cannot construct TrainableSurrogate";
    if (
      !Array.isArray(variables) || variables.length === 0 ||
      !variables.every((v) => v instanceof tf.Variable && !v.isDisposed)
    ) {
      throw new TypeError(
        `${what} as variables must be a non-empty array of live tf.Variable: current value is ${
          show(variables)
        }`,
      );
    }
    if (typeof build !== "function") {
      throw new TypeError(`${what} as build must be a function: current value is ${show(build)}`);
    }
    this.trainableVariables = variables;
    this.#build = build;
    const probe = tf.tidy(() => {
      const d = build(variables);
      const ok = d !== null && typeof d === "object" &&
        ["sample", "logProb", "entropy", "dispose"].every((m) =>
          typeof (d as unknown as Record<string, unknown>)[m] === "function"
        ) && Array.isArray(d.batchShape) && Array.isArray(d.eventShape);
      if (!ok) {
        throw new TypeError(
          `${what} as build must return a tensor distribution: it returned ${show(d)}`,
        );
      }
      const shapes = {
        batchShape: [...d.batchShape],
        eventShape: [...d.eventShape],
        reparameterized: d.reparameterized === true,
        family: d.constructor?.name ?? "distribution",
      };
      d.dispose();
      return shapes;
    });
    this.batchShape = probe.batchShape;
    this.eventShape = probe.eventShape;
    this.reparameterized = probe.reparameterized;
    this.family = probe.family;
  }

  /** Whether `dispose()` was called (or a variable was disposed by other means). */
  get isDisposed(): boolean {
    return this.trainableVariables.some((v) => v.isDisposed);
  }

  /**
   * Runs `f` on the distribution built from the variables' current values,
   * inside a `tf.tidy`: for what the surrogate's own methods do not offer
   * (a registered KL against a prior, the base of a transformed family).
   *
   * @param f Takes the distribution, returns tensors (kept) or values.
   * @returns What `f` returns.
   * @throws {TypeError} If the surrogate was disposed.
   */
  withDistribution<T extends tf.TensorContainer>(f: (d: TensorDistribution) => T): T {
    return this.#run("withDistribution", false, f);
  }

  /**
   * The same distribution built from copies of the variables through which
   * no gradient flows, passed to `f` inside a `tf.tidy`: the "stopped"
   * q of sticking the landing and DReG.
   *
   * @param f Takes the detached distribution.
   * @returns What `f` returns.
   * @throws {TypeError} If the surrogate was disposed.
   */
  withDetached<T extends tf.TensorContainer>(f: (d: TensorDistribution) => T): T {
    return this.#run("withDetached", true, f);
  }

  /** `n` draws from the current distribution, seeded. */
  sample(n: number, seed: number): tf.Tensor {
    return this.#run("sample", false, (d) => d.sample(n, seed));
  }

  /**
   * `n` draws and log q at each, in one pass where the family has one (a
   * flow: no inverse to compute), else `sample` then `logProb`.
   */
  sampleAndLogProb(n: number, seed: number): { sample: tf.Tensor; logProb: tf.Tensor } {
    return this.#run("sampleAndLogProb", false, (d) => {
      if (d.sampleAndLogProb) return d.sampleAndLogProb(n, seed);
      const sample = d.sample(n, seed);
      return { sample, logProb: d.logProb(sample) };
    });
  }

  /** log q(x) under the current parameters. */
  logProb(x: TensorInput): tf.Tensor {
    return this.#run("logProb", false, (d) => d.logProb(x));
  }

  /** The entropy of the current distribution (where its family has one in closed form). */
  entropy(): tf.Tensor {
    return this.#run("entropy", false, (d) => d.entropy());
  }

  /** The mean of the current distribution (where its family has one in closed form). */
  mean(): tf.Tensor {
    return this.#run("mean", false, (d) => d.mean());
  }

  /** The variance of the current distribution (where its family has one in closed form). */
  variance(): tf.Tensor {
    return this.#run("variance", false, (d) => d.variance());
  }

  /** Builds the distribution (detached or not), runs `f` on it in a tidy, frees it. */
  #run<T extends tf.TensorContainer>(
    method: string,
    detached: boolean,
    f: (d: TensorDistribution) => T,
  ): T {
    if (this.isDisposed) {
      throw new TypeError(`TrainableSurrogate.${method} was called after dispose()`);
    }
    return tf.tidy(() => {
      const v = this.trainableVariables;
      const d = this.#build(detached ? v.map(stopGradient) : v);
      try {
        return f(d);
      } finally {
        d.dispose();
      }
    });
  }

  /** Frees the variables. */
  dispose(): void {
    tf.dispose(this.trainableVariables);
  }
}
