// The tensor-layer values of the reliability tests (tensor_test.ts and its
// case files): slot makers, counts, and values that are almost a tensor
// distribution or bijector, made afresh for each call.
import * as tf from "@tensorflow/tfjs";
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import type { fc } from "../_fc.ts";
import { countsUpTo, disposeAll, MakeValue, optionsOf, type Slot } from "./_hostile.ts";

/** Numbers a slot's values are in the support of, value by value. */
export const all = (p: (x: number) => boolean) => (xs: number[]): boolean => xs.every(p);
/** Positive numbers. */
export const positive: (xs: number[]) => boolean = all((x) => x > 0);

/** A slot with a fixed valid value (arrays and numbers are never changed by a call). */
export const P = (name: string, valid: unknown, inSupport?: Slot["inSupport"]): Slot => ({
  name,
  valid: () => valid,
  inSupport,
});

/** An option slot: `options.name` in the table, `name` in messages. */
export const O = (name: string, valid: unknown, values?: fc.Arbitrary<unknown>): Slot => ({
  name: `options.${name}`,
  valid: () => valid,
  hostile: values,
  names: [name],
});

/** The options object of a call from its `options.` slots (or the replaced whole). */
export const options = (v: Record<string, unknown>): Record<string, unknown> =>
  optionsOf(v, "options.") as Record<string, unknown>;

/**
 * The hostile values less the valid counts in (8, 2²⁶]: a count drawn is
 * tiny, or past the draw-size limit of 2²⁶ values.
 */
export const hostileN: fc.Arbitrary<unknown> = countsUpTo(8, 2 ** 26);

/** A tensor of one value, made when called. */
export const fill = (shape: number[], v = 0.5) => (): tf.Tensor => tf.fill(shape, v);

/** Values that are almost a tensor distribution, made afresh for each call. */
export const NOT_DISTRIBUTIONS: readonly MakeValue[] = [
  new MakeValue("a disposed Normal", () => {
    const d = new T.Normal(0, 1);
    d.dispose();
    return d;
  }),
  new MakeValue("a core (float64) Normal", () => new core.Normal(0, 1)),
  new MakeValue("an Exp bijector", () => new T.Exp()),
  new MakeValue("a Gamma", () => new T.Gamma(2, 1)),
  new MakeValue("a Normal of batch [3]", () => new T.Normal([0, 1, 2], 1)),
  new MakeValue("a DiagNormal of event [3]", () => new T.DiagNormal([0, 1, 2], 1)),
];

/** Values that are almost a tensor bijector, made afresh for each call. */
export const NOT_BIJECTORS: readonly MakeValue[] = [
  new MakeValue("a disposed Exp", () => {
    const b = new T.Exp();
    b.dispose();
    return b;
  }),
  new MakeValue("a core (float64) Exp", () => new core.Exp()),
  new MakeValue("a Normal", () => new T.Normal(0, 1)),
  new MakeValue("a SoftmaxCentered", () => new T.SoftmaxCentered()),
  new MakeValue("a FillScaleTriL", () => new T.FillScaleTriL()),
];

/**
 * Whether an error is a moment's documented refusal: no closed form (a
 * mixture's entropy, a transformed distribution's mean), or no moment (a
 * StudentT's mean for ν ≤ 1).
 */
const refused = (e: unknown, method: string) =>
  (e instanceof TypeError || e instanceof RangeError) &&
  e.message.startsWith("Cannot compute") && e.message.includes(`.${method} `);

/**
 * The entropy, mean, variance (and covariance, where it has one) of a
 * distribution, those it refuses as documented left out.
 */
export function moments(d: T.TensorDistribution): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  try {
    for (const m of ["entropy", "mean", "variance", "covariance"] as const) {
      const f = (d as unknown as Record<string, unknown>)[m];
      if (typeof f !== "function") continue;
      try {
        out[m] = f.call(d);
      } catch (e) {
        if (!refused(e, m)) throw e;
      }
    }
  } catch (e) {
    disposeAll(out);
    throw e;
  }
  return out;
}
