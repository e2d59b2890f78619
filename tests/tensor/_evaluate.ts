// The tensor side of the conformance suite: what a tensor distribution (or
// a KL pair) gives for one case, as plain numbers. It imports nothing from
// Node, so the browser page of tests/browser/ bundles it and evaluates the
// same cases on webgl; tests/tensor/_conformance.ts compares with the core.
import * as tf from "@tensorflow/tfjs";
import * as T from "../../tensor.ts";
import type { FamilyCase } from "./_family_cases.ts";
import type { KLCase } from "./_kl_cases.ts";

/** A method's values, or the class of the error it threw (a method with no closed form throws). */
export type Values = number[] | { error: string };

/** The values of one family case: flat logProb `[m, B]`, mean and variance `[B, E]`, entropy `[B]`. */
export interface FamilyValues {
  logProb: number[];
  mean: Values;
  variance: Values;
  entropy: Values;
}

/** KL(p ‖ q) and KL(p ‖ p) of one case. */
export interface KLValues {
  kl: number;
  self: number;
}

function read(t: tf.Tensor): number[] {
  try {
    return Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
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

/** The tensor distribution's values for one case, on the active backend. */
export function evaluateFamily(c: FamilyCase): FamilyValues {
  const d = c.tensor(c.members);
  try {
    const x = tf.tensor(c.points.flat(2), [c.points.length, ...d.batchShape, ...d.eventShape]);
    const logProb = read(d.logProb(x));
    x.dispose();
    const values = (f: () => tf.Tensor): Values => {
      try {
        return read(f());
      } catch (e) {
        return { error: (e as Error)?.constructor?.name ?? "unknown" };
      }
    };
    return {
      logProb,
      mean: values(() => d.mean()),
      variance: values(() => d.variance()),
      entropy: values(() => d.entropy()),
    };
  } finally {
    free(d);
  }
}

/** KL(p ‖ q) and KL(p ‖ p) for one case, on the active backend. */
export function evaluateKL(c: KLCase): KLValues {
  const p = c.P.tensor(c.p), q = c.Q.tensor(c.q);
  try {
    return { kl: read(T.klDivergence(p, q))[0]!, self: read(T.klDivergence(p, p))[0]! };
  } finally {
    p.dispose();
    q.dispose();
  }
}
