// The conformance suite's checks: a tensor result against the float64 core
// at the same float32 inputs, to float32's tolerance (assertFloat32Close:
// within k roundings of the exact answer's sensitivity to one rounding of
// the inputs), recording the worst error seen per backend for the report.
import { AssertionError } from "node:assert/strict";
import {
  assertFloat32Close,
  FLOAT32_TINY,
  float32Sensitivity,
} from "../../lib/testing/tolerance.ts";
import type { FamilyCase } from "./_family_cases.ts";
import {
  evaluateFamily,
  evaluateKL,
  type FamilyValues,
  type KLValues,
  type Values,
} from "./_evaluate.ts";
import type { KLCase } from "./_kl_cases.ts";
import * as coreLayer from "../../mod.ts";

/** Roundings allowed for one result (see float32Tolerance). */
export const K = 16;

/**
 * The worst error seen per backend, in units of its exact answer's
 * sensitivity plus one rounding of the answer: the number to compare with K.
 */
export const worst: Map<string, { ratio: number; what: string }> = new Map();

/** Checks one value, and records its error against the worst seen on `backend`. */
export function agree(
  backend: string,
  actual: number,
  f: (inputs: number[]) => number,
  inputs: number[],
  msg: string,
  exact?: number[],
): void {
  assertFloat32Close(actual, f, inputs, { k: K, exact, msg: `${msg} on ${backend}` });
  const want = f(inputs);
  if (!Number.isFinite(want) || !Number.isFinite(actual)) return;
  const s = float32Sensitivity(f, inputs, { exact });
  const ratio = Math.abs(actual - want) / (s + 2 ** -24 * Math.abs(want) + FLOAT32_TINY / K);
  const w = worst.get(backend);
  if (w === undefined || ratio > w.ratio) worst.set(backend, { ratio, what: msg });
}

const asArray = (v: number | ArrayLike<number>): number[] =>
  typeof v === "number" ? [v] : Array.from(v);

/** Whether `f` throws; the error if so. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e ?? new Error(String(e));
  }
  return undefined;
}

/** logProb, entropy, mean and variance of one family case against the core, member by member. */
export function checkFamily(name: string, c: FamilyCase, backend: string): void {
  compareFamily(name, c, evaluateFamily(c), backend);
}

/** A family case's tensor values (from this process or a browser) against the core. */
export function compareFamily(
  name: string,
  c: FamilyCase,
  got: FamilyValues,
  backend: string,
): void {
  const B = c.members.length, E = c.eventShape.reduce((a, s) => a * s, 1);
  c.members.forEach((params, b) => {
    const P = params.length;
    const twin = (v: number[]) => c.core(v.slice(0, P));
    const point = (v: number[]) => (c.eventShape.length === 0 ? v[P]! : v.slice(P));
    const exact = c.exactPoints ? Array.from({ length: E }, (_, k) => P + k) : undefined;
    c.points.forEach((pt, j) =>
      agree(
        backend,
        got.logProb[j * B + b]!,
        (v) => (twin(v).logProb as (x: unknown) => number)(point(v)),
        [...params, ...pt[b]!],
        `${name}.logProb at x = [${pt[b]}] (params [${params}])`,
        exact,
      )
    );
  });
  for (const method of ["mean", "variance"] as const) {
    const v = sameOutcome(name, method, c, got[method], backend);
    if (v === undefined) continue;
    c.members.forEach((params, b) => {
      for (let k = 0; k < E; k++) {
        agree(
          backend,
          v[b * E + k]!,
          (w) => asArray(c.core(w)[method]())[k]!,
          params,
          `${name}.${method}()[${b * E + k}] (params [${params}])`,
        );
      }
    });
  }
  const h = sameOutcome(name, "entropy", c, got.entropy, backend);
  if (h === undefined) return;
  c.members.forEach((params, b) =>
    agree(
      backend,
      h[b]!,
      (v) => c.core(v).entropy(),
      params,
      `${name}.entropy()[${b}] (params [${params}])`,
    )
  );
}

/**
 * A method's values where both twins return, undefined where both throw the
 * same class (a method with no closed form); an AssertionError otherwise.
 */
function sameOutcome(
  name: string,
  method: "mean" | "variance" | "entropy",
  c: FamilyCase,
  got: Values,
  backend: string,
): number[] | undefined {
  const coreError = thrown(() => c.members.forEach((p) => c.core(p)[method]()));
  if (coreError === undefined && Array.isArray(got)) return got;
  const kind = (coreError as Error)?.constructor?.name;
  if (!Array.isArray(got) && got.error === kind) return undefined;
  const other = Array.isArray(got) ? "returned" : `threw a ${got.error}`;
  throw new AssertionError({
    message: `${name}.${method}() on ${backend} ${other}; its twin ${
      kind ? `throws a ${kind}` : "returns"
    }`,
  });
}

/** KL(p ‖ q) of one case against the core's, and KL(p ‖ p) = 0 exactly. */
export function checkKL(name: string, c: KLCase, backend: string): void {
  compareKL(name, c, evaluateKL(c), backend);
}

/** A KL case's tensor values (from this process or a browser) against the core. */
export function compareKL(name: string, c: KLCase, got: KLValues, backend: string): void {
  const P = c.p.length;
  const f = (v: number[]) => coreLayer.klDivergence(c.P.core(v.slice(0, P)), c.Q.core(v.slice(P)));
  agree(backend, got.kl, f, [...c.p, ...c.q], `KL(${name}) (p [${c.p}], q [${c.q}])`);
  if (got.self !== 0) {
    throw new AssertionError({ message: `KL(p ‖ p) = ${got.self} ≠ 0 for ${name} on ${backend}` });
  }
}

/** The worst errors as lines, for the log, and forgets them. */
export function worstTable(): string {
  const lines = [...worst].map(([b, w]) => `  ${b}: ${w.ratio.toFixed(2)} (${w.what})`);
  worst.clear();
  return `worst error, in roundings of the exact answer (${K} allowed):\n${lines.join("\n")}`;
}
