// A float32 tensor distribution against its float64 twins of the core:
// logProb, mean, variance and entropy agree to float32 tolerance. Only
// types come from the tensor layer, so this module loads no TensorFlow.js.
import type { Distribution } from "../distributions/distribution.ts";
import type { TensorDistribution } from "../tensor/distributions/distribution.ts";
import { AssertionError } from "node:assert/strict";
import { nameOf } from "./_run.ts";
import { assertClose, FLOAT32, type Tolerance } from "./tolerance.ts";
import { toleranceOf } from "./_options.ts";

/** What the law reads of a tensor: its values, once, and then it is freed. */
interface Readable {
  dataSync(): ArrayLike<number>;
  dispose(): void;
}

function read(t: Readable): number[] {
  try {
    return Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
}

const asArray = (v: number | ArrayLike<number>): number[] =>
  typeof v === "number" ? [v] : Array.from(v);

/** Flat values as nested arrays of the given shape. */
function nest(flat: ArrayLike<number>, shape: number[], at = 0): number | unknown[] {
  if (shape.length === 0) return flat[at]!;
  const [n, ...rest] = shape, size = rest.reduce((a, s) => a * s, 1);
  return Array.from({ length: n! }, (_, i) => nest(flat, rest, at + i * size));
}

/** Whether `f` throws; the error if so. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e ?? new Error(String(e));
  }
  return undefined;
}

/**
 * Asserts that a tensor distribution agrees with its float64 twins — one
 * core distribution per member of its batch, row-major — to float32
 * tolerance:
 *
 * ```text
 * logProb(x)[j, b] = twins[b].logProb(x[j, b])    for every point j and batch member b
 * mean()[b] = twins[b].mean(),  variance()[b] = twins[b].variance()
 * entropy()[b] = twins[b].entropy()   (or both throw the same kind of error)
 * ```
 *
 * Every tensor the law makes or is given by the distribution is disposed.
 *
 * @param tensor The tensor distribution under test.
 * @param twins Its float64 twins, one per batch member (row-major), each with its event shape.
 * @param points Flat values of m points of shape `[m, ...batchShape, ...eventShape]`.
 * @param tol The tolerance (default {@linkcode FLOAT32}: `{ abs: 1e-5, rel: 1e-4 }`).
 * @throws {TypeError} If the number of twins is not the batch size, the
 *   points are not whole rows of `[...batchShape, ...eventShape]`, or `tol`
 *   has a key other than `abs` and `rel`.
 * @throws {AssertionError} If a value disagrees, naming the method, the batch member and the values.
 *
 * @example
 * ```ts
 * import * as core from "@elbo/elbo";
 * import { Normal, useBackend } from "@elbo/elbo/tensor";
 * import { assertTensorAgreement } from "@elbo/elbo/testing";
 *
 * await useBackend("cpu");
 * const t = new Normal([0, 1], [1, 2]);
 * assertTensorAgreement(t, [new core.Normal(0, 1), new core.Normal(1, 2)], [0.5, -1, 2, 3]);
 * t.dispose();
 * ```
 */
export function assertTensorAgreement(
  tensor: TensorDistribution,
  twins: Distribution[],
  points: ArrayLike<number>,
  tol: Tolerance = FLOAT32,
): void {
  const name = nameOf(tensor);
  toleranceOf(`Cannot compare ${name} with its twins`, tol, "tol");
  const B = tensor.batchShape.reduce((a, s) => a * s, 1);
  const E = tensor.eventShape.reduce((a, s) => a * s, 1);
  if (twins.length !== B) {
    throw new TypeError(
      `Cannot compare ${name} with its twins as it has a batch of ${B} and ${twins.length} twins were given`,
    );
  }
  const m = points.length / (B * E);
  if (!Number.isInteger(m) || m < 1) {
    throw new TypeError(
      `Cannot compare ${name} with its twins as points must hold whole rows of ${
        B * E
      } values: current length is ${points.length}`,
    );
  }
  const shape = [m, ...tensor.batchShape, ...tensor.eventShape];
  const lp = read(tensor.logProb(nest(points, shape) as number[][]));
  if (lp.length !== m * B) {
    throw new AssertionError({
      message: `${name}.logProb gave ${lp.length} values for ${m} point(s) of a batch of ${B}`,
    });
  }
  const scalar = E === 1 && tensor.eventShape.length === 0;
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < B; i++) {
      const at = (j * B + i) * E;
      const x = scalar ? points[at]! : Array.from({ length: E }, (_, k) => points[at + k]!);
      const want = (twins[i]!.logProb as (x: unknown) => number)(x);
      assertClose(lp[j * B + i]!, want, tol, `${name}.logProb at x = ${x} (batch member ${i})`);
    }
  }
  const mean = read(tensor.mean()), variance = read(tensor.variance());
  twins.forEach((twin, i) => {
    const ms = asArray(twin.mean()), vs = asArray(twin.variance());
    ms.forEach((w, k) => assertClose(mean[i * E + k]!, w, tol, `${name}.mean()[${i * E + k}]`));
    vs.forEach((w, k) =>
      assertClose(variance[i * E + k]!, w, tol, `${name}.variance()[${i * E + k}]`)
    );
  });
  const coreError = thrown(() => twins.forEach((t) => t.entropy()));
  if (coreError !== undefined) {
    const e = thrown(() => read(tensor.entropy()));
    const kind = (v: unknown) => (v as Error)?.constructor?.name;
    if (kind(e) !== kind(coreError)) {
      throw new AssertionError({
        message: `${name}.entropy() should throw a ${kind(coreError)} as its twin does: ${
          e === undefined ? "it returned" : `it threw a ${kind(e)}`
        }`,
      });
    }
    return;
  }
  const h = read(tensor.entropy());
  twins.forEach((twin, i) => assertClose(h[i]!, twin.entropy(), tol, `${name}.entropy()[${i}]`));
}
