// The laws every bijector keeps, checked numerically: inverse(forward(x)) = x,
// opposite log-Jacobians, a log-Jacobian that agrees with log |det| of a
// finite-difference Jacobian, and (in one dimension) a pushed-forward
// density that still integrates to 1.
import type { Bijector } from "../bijectors/bijector.ts";
import type { UnivariateDistribution } from "../distributions/distribution.ts";
import { Normal } from "../distributions/normal.ts";
import type { Rng } from "../math/rng.ts";
import type fc from "fast-check";
import { AssertionError } from "node:assert/strict";
import type { LawOptions } from "./law_options.ts";
import { runLaw } from "./_run.ts";
import { checkIntegratesToOne } from "./integrates_to_one.ts";
import { assertClose, type Tolerance } from "./tolerance.ts";
import { readOptions } from "../math/_options.ts";
import { LAW_OPTIONS, lawOptions, toleranceOf } from "./_options.ts";

/** Options of {@linkcode assertBijectorLaws}. */
export interface BijectorLawsOptions extends LawOptions {
  /**
   * Round trip and fldj = −ildj: the error allowed, relative to max(1, |x|)
   * and max(1, |fldj|) (default 1e-10).
   */
  tolerance?: number;
  /**
   * Log-determinant against the finite-difference Jacobian: the error
   * allowed, relative to max(1, |log det|) (default 1e-6).
   */
  logDetTolerance?: number;
  /**
   * For a bijector that changes the length of its points: the free
   * coordinates of y = f(x), as many as x has (the lower triangle of a
   * Cholesky factor; the first K of a point on the K-simplex).
   */
  project?: (y: Float64Array) => number[];
  /**
   * The density law, for bijectors of numbers: `false` to skip it, or its
   * base distribution and tolerance. Runs by default when `forward(0)` is a number.
   */
  density?: false | { base?: UnivariateDistribution; tolerance?: Tolerance };
}

type Point = number | ArrayLike<number>;
type Map = (v: Point) => number | Float64Array;
const asArray = (v: Point): number[] => typeof v === "number" ? [v] : Array.from(v);

/** log |det A| of a square matrix (rows), by LU with partial pivoting. */
export function logAbsDet(a: number[][]): number {
  const n = a.length, m = a.map((r) => r.slice());
  let s = 0;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[p]![k]!)) p = i;
    [m[k], m[p]] = [m[p]!, m[k]!];
    const piv = m[k]![k]!;
    s += Math.log(Math.abs(piv));
    for (let i = k + 1; i < n; i++) {
      const f = m[i]![k]! / piv;
      for (let j = k; j < n; j++) m[i]![j]! -= f * m[k]![j]!;
    }
  }
  return s;
}

/** inverse(forward(x)) = x, forward(x) in the range, and fldj(x) = −ildj(f(x)). */
function checkRoundTrip(b: Bijector, x: Point, tol: number): void {
  const y = (b.forward as Map)(x);
  if (!b.inRange(y)) {
    throw new AssertionError({
      message: `${b.name}: forward(${asArray(x)}) = ${asArray(y)} is not in the range`,
    });
  }
  const back = asArray((b.inverse as Map)(y)), xs = asArray(x);
  if (back.length !== xs.length) {
    throw new AssertionError({
      message: `${b.name}: inverse(forward(x)) has ${back.length} values, x has ${xs.length}`,
    });
  }
  xs.forEach((v, i) =>
    assertClose(
      back[i]!,
      v,
      { abs: tol * Math.max(1, Math.abs(v)), rel: 0 },
      `${b.name}: inverse(forward(x))[${i}] = x[${i}]`,
    )
  );
  const f = b.forwardLogDetJacobian(x), g = b.inverseLogDetJacobian(y);
  assertClose(
    f,
    -g,
    { abs: tol * Math.max(1, Math.abs(f)), rel: 0 },
    `${b.name}: fldj(x) = −ildj(f(x))`,
  );
}

/** fldj(x) = log |det J| with J the central-difference Jacobian of `project ∘ forward`. */
function checkLogDet(
  b: Bijector,
  x: Point,
  project: (y: Float64Array) => number[],
  tol: number,
): void {
  const scalar = typeof x === "number", xs = asArray(x), n = xs.length;
  const at = (v: number[]): number[] =>
    scalar ? [b.forward(v[0]!)] : project(b.forward(v) as Float64Array);
  const jac: number[][] = [];
  for (let j = 0; j < n; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(xs[j]!));
    const up = xs.slice(), down = xs.slice();
    up[j]! += h;
    down[j]! -= h;
    const fu = at(up), fd = at(down);
    if (fu.length !== n) {
      throw new AssertionError({
        message:
          `${b.name}: f(x) has ${fu.length} free coordinates, x has ${n}: pass a project option that keeps ${n}`,
      });
    }
    fu.forEach((v, i) => {
      (jac[i] ??= [])[j] = (v - fd[i]!) / (up[j]! - down[j]!);
    });
  }
  const fd = logAbsDet(jac), exact = b.forwardLogDetJacobian(x);
  assertClose(
    exact,
    fd,
    { abs: tol * Math.max(1, Math.abs(fd)), rel: 0 },
    `${b.name}: fldj(x) against log |det| of the finite-difference Jacobian at x = ${xs}`,
  );
}

/** The density of f(X), X ~ base, by the change of variables. */
class PushForward {
  readonly eventSize = 1;
  constructor(readonly base: UnivariateDistribution, readonly f: Bijector) {}
  logProb(y: number): number {
    const { base, f } = this;
    return f.inRange(y) ? base.logProb(f.inverse(y)) + f.inverseLogDetJacobian(y) : -Infinity;
  }
  sampleN(rng: Rng, n: number): Float64Array {
    return this.base.sampleN(rng, n).map((x) => this.f.forward(x));
  }
}

/** Whether `b` maps numbers to numbers (then its pushed-forward density is checked). */
function isScalar(b: Bijector): boolean {
  try {
    return typeof b.forward(0) === "number";
  } catch {
    return false;
  }
}

/**
 * Asserts the laws of a bijector f at every point of `arbPoint`:
 *
 * ```text
 * f⁻¹(f(x)) = x,  f(x) ∈ range                      (to `tolerance`)
 * log |det ∂f/∂x|(x) = −log |det ∂f⁻¹/∂y|(f(x))     (to `tolerance`)
 * log |det ∂f/∂x|(x) = log |det J_fd(x)|            (central differences, to `logDetTolerance`)
 * ```
 *
 * and, for a bijector of numbers, once: the density of Y = f(X), X ~ base
 * (a standard normal by default), integrates to 1 over y:
 *
 * ```text
 * ∫ p_X(f⁻¹(y)) · exp(log |det ∂f⁻¹/∂y|) dy = 1
 * ```
 *
 * @param bijector The bijector under test.
 * @param arbPoint An arbitrary of points x: numbers, or arrays of the
 *   bijector's input length.
 * @param options Tolerances, `project` for bijectors that change the length
 *   of a point, the density law's settings and fast-check settings.
 * @throws {AssertionError} If a law fails at a point: the message names the
 *   law, the point and the seed that replays it.
 *
 * @example A log-Jacobian with the wrong sign is caught
 * ```ts
 * import { Exp } from "@elbo/elbo";
 * import { assertBijectorLaws } from "@elbo/elbo/testing";
 * import fc from "fast-check";
 * import assert from "node:assert/strict";
 *
 * const x = fc.double({ min: -5, max: 5, noNaN: true });
 * assertBijectorLaws(new Exp(), x);
 *
 * class WrongExp extends Exp {
 *   protected override fLogDerivative(x: number): number {
 *     return -x; // should be x
 *   }
 *   protected override fInverseLogDerivative(y: number): number {
 *     return Math.log(y); // should be −log y
 *   }
 * }
 * assert.throws(() => assertBijectorLaws(new WrongExp(), x), assert.AssertionError);
 * ```
 */
export function assertBijectorLaws(
  bijector: Bijector,
  arbPoint: fc.Arbitrary<number | number[]>,
  options: BijectorLawsOptions = {},
): void {
  const o = readOptions("Cannot run assertBijectorLaws", options, [
    "tolerance",
    "logDetTolerance",
    "project",
    "density",
    ...LAW_OPTIONS,
  ]);
  const tolerance = o.number("tolerance", { min: 0, default: 1e-10 });
  const logDetTolerance = o.number("logDetTolerance", { min: 0, default: 1e-6 });
  const project = o.optionalFunction<(y: Float64Array) => number[]>("project") ??
    ((y) => Array.from(y));
  const law = lawOptions(o);
  const d = o.get("density") === false ? undefined : o.object("density", ["base", "tolerance"]);
  runLaw("assertBijectorLaws", arbPoint, (x) => {
    checkRoundTrip(bijector, x, tolerance);
    checkLogDet(bijector, x, project, logDetTolerance);
  }, law);
  if (d === undefined || !isScalar(bijector)) return;
  const density = {
    base: d.get("base") as UnivariateDistribution | undefined,
    tolerance: d.has("tolerance")
      ? toleranceOf(d.what, d.get("tolerance"), d.label("tolerance"))
      : undefined,
  };
  const base = density.base ?? new Normal(0, 1), b = bijector;
  runLaw(
    `assertBijectorLaws (the density of ${b.name}(X))`,
    new PushForward(base, b),
    (d, seed) =>
      checkIntegratesToOne(d, seed, {
        discrete: false,
        ...(density.tolerance ? { tolerance: density.tolerance } : {}),
      }),
    { ...law, numRuns: 1 },
  );
}
