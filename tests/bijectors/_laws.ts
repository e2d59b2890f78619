// The laws every bijector keeps, checked numerically: inverse(forward(x)) = x,
// and a log-Jacobian that agrees with log |det| of a finite-difference Jacobian.
import assert from "node:assert/strict";
import type { Bijector } from "../../lib/bijectors/bijector.ts";
import { assertClose } from "../_tolerance.ts";

type Map = (v: number | ArrayLike<number>) => number | Float64Array;
const asArray = (v: number | ArrayLike<number>) => typeof v === "number" ? [v] : Array.from(v);

/** inverse(forward(x)) = x within `tol` (absolute + relative to max(1, |x|)). */
export function checkRoundTrip(b: Bijector, x: number | ArrayLike<number>, tol = 1e-12): void {
  const y = (b.forward as Map)(x);
  assert.ok(b.inRange(y), `${b.name}: forward(${asArray(x)}) = ${asArray(y)} is not in the range`);
  const back = asArray((b.inverse as Map)(y)), xs = asArray(x);
  assert.equal(back.length, xs.length);
  xs.forEach((v, i) =>
    assertClose(back[i]!, v, { abs: tol * Math.max(1, Math.abs(v)), rel: 0 }, `${b.name} x[${i}]`)
  );
  const f = b.forwardLogDetJacobian(x), g = b.inverseLogDetJacobian(y);
  assertClose(f, -g, { abs: tol * Math.max(1, Math.abs(f)), rel: 0 }, `${b.name} fldj = −ildj`);
}

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

/**
 * forwardLogDetJacobian(x) = log |det J| with J the central-difference
 * Jacobian of `project ∘ forward` (the free coordinates of y), to `tol`.
 */
export function checkLogDetByFiniteDifferences(
  b: Bijector,
  x: ArrayLike<number>,
  project: (y: Float64Array) => number[] = (y) => Array.from(y),
  tol = 1e-6,
): void {
  const n = x.length, jac: number[][] = [];
  for (let j = 0; j < n; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[j]!));
    const up = Array.from(x), down = Array.from(x);
    up[j]! += h;
    down[j]! -= h;
    const fu = project(b.forward(up)), fd = project(b.forward(down));
    fu.forEach((v, i) => {
      (jac[i] ??= [])[j] = (v - fd[i]!) / (up[j]! - down[j]!);
    });
  }
  assert.equal(jac.length, n, `${b.name}: the projection must keep ${n} coordinates`);
  const fd = logAbsDet(jac), exact = b.forwardLogDetJacobian(x);
  assertClose(exact, fd, { abs: tol * Math.max(1, Math.abs(fd)), rel: 0 }, `${b.name} log-det`);
}
