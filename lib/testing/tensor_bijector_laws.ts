// The laws of a tensor bijector of vectors — a flow layer, a permutation —
// at given points, in float32: the round trip, the two log-Jacobians agreeing,
// and the log-Jacobian equal to log |det| of the Jacobian that tfjs's
// autodiff computes. TensorFlow.js is loaded when the law runs, not before:
// @elbo/elbo/testing stays free of it for users of the core.
import { AssertionError } from "node:assert/strict";
import type { TensorBijector } from "../tensor/bijectors/bijector.ts";
import type { tf as TF } from "../tensor/_tf.ts";
import { readOptions } from "../math/_options.ts";
import { show } from "../math/_validate.ts";
import { logAbsDet } from "./bijector_laws.ts";

/** Options of {@linkcode assertTensorBijectorLaws}. */
export interface TensorBijectorLawsOptions {
  /** Relative tolerance of the round trip f⁻¹(f(x)) = x (default 10⁻⁴). */
  tolerance?: number;
  /** Tolerance of each log-Jacobian, absolute plus relative (default 10⁻³). */
  logDetTolerance?: number;
}

/**
 * Asserts the laws of a bijector of vectors at each row of `points`, in
 * float32 on the active backend:
 *
 * ```text
 * f⁻¹(f(x)) = x                                   (to `tolerance`, relative)
 * log |det ∂f/∂x|(x) = −log |det ∂f⁻¹/∂y|(f(x))    (to `logDetTolerance`)
 * log |det ∂f/∂x|(x) = log |det J(x)|,  J by tfjs autodiff (to `logDetTolerance`)
 * ```
 *
 * J's rows are the gradients of each output coordinate, so the law checks
 * the log-Jacobian a flow computes by hand (its Σ log-scales) against the
 * map it actually applies.
 *
 * @param bijector The bijector: points `[n, D]` to `[n, D]`.
 * @param points The points x, n rows of D numbers.
 * @param options See {@linkcode TensorBijectorLawsOptions}.
 * @throws {TypeError} If `points` is not rows of the same length ≥ 1, of finite numbers.
 * @throws {AssertionError} If a law fails: the message names it, the point and both values.
 *
 * @example A flow layer with weights moved from their identity start
 * ```ts
 * import { MaskedAutoregressiveFlow, useBackend } from "@elbo/elbo/tensor";
 * import { assertTensorBijectorLaws } from "@elbo/elbo/testing";
 * import * as tf from "@tensorflow/tfjs";
 *
 * await useBackend("cpu");
 * const maf = new MaskedAutoregressiveFlow({ eventSize: 3, hiddenSizes: [8], seed: 1 });
 * for (const v of maf.trainableVariables) {
 *   tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.5, "float32", 2)));
 * }
 * await assertTensorBijectorLaws(maf, [[0.1, -1, 2], [1.5, 0.3, -0.7]]);
 * maf.dispose();
 * ```
 */
export async function assertTensorBijectorLaws(
  bijector: TensorBijector,
  points: number[][],
  options: TensorBijectorLawsOptions = {},
): Promise<void> {
  const o = readOptions("Cannot run assertTensorBijectorLaws", options, [
    "tolerance",
    "logDetTolerance",
  ]);
  const tolerance = o.number("tolerance", { min: 0, default: 1e-4 });
  const logDetTolerance = o.number("logDetTolerance", { min: 0, default: 1e-3 });
  const D = Array.isArray(points) && Array.isArray(points[0]) ? points[0].length : 0;
  if (
    D === 0 ||
    !points.every((p) =>
      Array.isArray(p) && p.length === D &&
      p.every((v) => typeof v === "number" && Number.isFinite(v))
    )
  ) {
    throw new TypeError(
      `Cannot run assertTensorBijectorLaws as points must be rows of the same length ≥ 1, of finite numbers: current value is ${
        show(points)
      }`,
    );
  }
  const { tf } = await import("../tensor/_tf.ts");
  const n = points.length;
  const fail = (law: string, p: number, detail: string): never => {
    throw new AssertionError({
      message: `${bijector.name}: ${law} fails at x = [${points[p]}]: ${detail}`,
    });
  };
  const x = tf.tensor2d(points);
  try {
    const [y, back, ldj, ildj] = tf.tidy(() => {
      const y = bijector.forward(x);
      return [
        y.arraySync() as number[][],
        bijector.inverse(y).arraySync() as number[][],
        bijector.forwardLogDetJacobian(x, 1).arraySync() as number[],
        bijector.inverseLogDetJacobian(y, 1).arraySync() as number[],
      ];
    });
    for (let p = 0; p < n; p++) {
      for (let i = 0; i < D; i++) {
        const want = points[p]![i]!, got = back[p]![i]!;
        if (!(Math.abs(got - want) <= tolerance * (1 + Math.abs(want)))) {
          fail("the round trip f⁻¹(f(x)) = x", p, `coordinate ${i} is ${got}, y = [${y[p]}]`);
        }
      }
      if (!(Math.abs(ldj[p]! + ildj[p]!) <= logDetTolerance * (1 + Math.abs(ldj[p]!)))) {
        fail("log |det ∂f/∂x| = −log |det ∂f⁻¹/∂y|", p, `${ldj[p]} and ${ildj[p]}`);
      }
    }
    // Row j of every point's Jacobian: the gradient of Σ_points f(x)_j.
    const rows = Array.from(
      { length: D },
      (_, j) =>
        tf.tidy(() =>
          tf.grad((v: TF.Tensor) => tf.sum(tf.slice(bijector.forward(v), [0, j], [-1, 1])))(x)
            .arraySync() as number[][]
        ),
    );
    for (let p = 0; p < n; p++) {
      const jacobian = rows.map((r) => r[p]!);
      const want = logAbsDet(jacobian);
      if (!(Math.abs(ldj[p]! - want) <= logDetTolerance * (1 + Math.abs(want)))) {
        fail("log |det ∂f/∂x| = log |det J| (autodiff)", p, `${ldj[p]} against ${want}`);
      }
    }
  } finally {
    x.dispose();
  }
}
