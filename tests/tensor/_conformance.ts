// The conformance suite's checks: a tensor result against the float64 core
// at the same float32 inputs, to float32's tolerance (assertFloat32Close:
// within k roundings of the exact answer's sensitivity to one rounding of
// the inputs), recording the worst error seen per backend for the report.
import { AssertionError } from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import {
  assertFloat32Close,
  FLOAT32_TINY,
  float32Sensitivity,
} from "../../lib/testing/tolerance.ts";
import type { FamilyCase } from "./_family_cases.ts";
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

function read(t: tf.Tensor): number[] {
  try {
    return Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
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

/** Frees a tensor distribution and the ones it was built from. */
export function free(d: T.TensorDistribution): void {
  if (d instanceof T.Mixture) d.components.forEach((p) => p.dispose());
  if (d instanceof T.TransformedDistribution) {
    const f = d.bijector;
    [d.base, f, ...(f instanceof T.Chain ? f.bijectors : [])].forEach((v) => v.dispose());
  }
  d.dispose();
}

/** logProb, entropy, mean and variance of one family case against the core, member by member. */
export function checkFamily(name: string, c: FamilyCase, backend: string): void {
  const d = c.tensor(c.members);
  try {
    const B = c.members.length, E = c.eventShape.reduce((a, s) => a * s, 1);
    const m = c.points.length;
    const flat = c.points.flat(2);
    const x = tf.tensor(flat, [m, ...d.batchShape, ...d.eventShape]);
    const lp = read(d.logProb(x));
    x.dispose();
    c.members.forEach((params, b) => {
      const P = params.length;
      const twin = (v: number[]) => c.core(v.slice(0, P));
      const point = (v: number[]) => (c.eventShape.length === 0 ? v[P]! : v.slice(P));
      const exact = c.exactPoints ? Array.from({ length: E }, (_, k) => P + k) : undefined;
      for (let j = 0; j < m; j++) {
        const inputs = [...params, ...c.points[j]![b]!];
        agree(
          backend,
          lp[j * B + b]!,
          (v) => (twin(v).logProb as (x: unknown) => number)(point(v)),
          inputs,
          `${name}.logProb at x = [${c.points[j]![b]}] (params [${params}])`,
          exact,
        );
      }
    });
    for (const method of ["mean", "variance"] as const) {
      const got = read(d[method]());
      c.members.forEach((params, b) => {
        for (let k = 0; k < E; k++) {
          agree(
            backend,
            got[b * E + k]!,
            (v) => asArray(c.core(v)[method]())[k]!,
            params,
            `${name}.${method}()[${b * E + k}] (params [${params}])`,
          );
        }
      });
    }
    const coreError = thrown(() => c.members.forEach((p) => c.core(p).entropy()));
    if (coreError !== undefined) {
      const e = thrown(() => read(d.entropy()));
      const kind = (v: unknown) => (v as Error)?.constructor?.name;
      if (kind(e) !== kind(coreError)) {
        throw new AssertionError({
          message: `${name}.entropy() should throw a ${kind(coreError)} as its twin does`,
        });
      }
      return;
    }
    const h = read(d.entropy());
    c.members.forEach((params, b) =>
      agree(
        backend,
        h[b]!,
        (v) => c.core(v).entropy(),
        params,
        `${name}.entropy()[${b}] (params [${params}])`,
      )
    );
  } finally {
    free(d);
  }
}

/** KL(p ‖ q) of one case against the core's, and KL(p ‖ p) = 0 exactly. */
export function checkKL(name: string, c: KLCase, backend: string): void {
  const p = c.P.tensor(c.p), q = c.Q.tensor(c.q);
  try {
    const P = c.p.length;
    const f = (v: number[]) =>
      coreLayer.klDivergence(c.P.core(v.slice(0, P)), c.Q.core(v.slice(P)));
    const [kl] = read(T.klDivergence(p, q));
    agree(backend, kl!, f, [...c.p, ...c.q], `KL(${name}) (p [${c.p}], q [${c.q}])`);
    const [self] = read(T.klDivergence(p, p));
    if (self !== 0) {
      throw new AssertionError({ message: `KL(p ‖ p) = ${self} ≠ 0 for ${name} on ${backend}` });
    }
  } finally {
    p.dispose();
    q.dispose();
  }
}

/** The worst errors as lines, for the log, and forgets them. */
export function worstTable(): string {
  const lines = [...worst].map(([b, w]) => `  ${b}: ${w.ratio.toFixed(2)} (${w.what})`);
  worst.clear();
  return `worst error, in roundings of the exact answer (${K} allowed):\n${lines.join("\n")}`;
}

export type { core };
