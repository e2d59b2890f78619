// The parameters of the categorical families (Categorical, OneHotCategorical,
// RelaxedOneHotCategorical): logits or probabilities, read and checked once.
import { logSoftmax } from "../math/_stable.ts";
import { oneOfTwo, readOptions } from "../math/_options.ts";
import { show, toFiniteVector } from "../math/_validate.ts";
import { checkSimplex } from "./_simplex.ts";

/** Checked categorical parameters, each of K entries. */
export interface CategoricalParts {
  /** The logits, as given (from `probs`: log pₖ). */
  logits: Float64Array;
  /** log pₖ, normalised. */
  logProbs: Float64Array;
  /** pₖ, summing to 1. */
  probs: Float64Array;
  /** Whether they were given as probabilities. */
  fromProbs: boolean;
}

/**
 * Reads `{ logits }` (finite) or `{ probs }` (in [0, 1], summing to 1
 * within 10⁻¹⁰, then divided by their sum) for the constructor `what`,
 * with at least `minK` categories, every probability > 0 when `positive`.
 */
export function categoricalParts(
  what: string,
  params: unknown,
  minK = 1,
  positive = false,
): CategoricalParts {
  const o = readOptions(what, params, ["logits", "probs"], "params");
  const name = oneOfTwo(what, o, params, "logits", "probs");
  let parts: CategoricalParts;
  if (name === "logits") {
    const logits = toFiniteVector(what, "logits", o.get("logits"));
    const logProbs = logSoftmax(logits);
    parts = { logits, logProbs, probs: logProbs.map(Math.exp), fromProbs: false };
  } else {
    const p = toFiniteVector(what, "probs", o.get("probs"));
    const total = 1 + checkSimplex(what, "probs", p, 0, p.length);
    const probs = total === 1 ? p : p.map((v) => v / total);
    const logProbs = probs.map(Math.log);
    parts = { logits: logProbs.slice(), logProbs, probs, fromProbs: true };
    if (positive) {
      p.forEach((v, i) => {
        if (!(v > 0)) {
          throw new RangeError(
            `${what} as probs[${i}] must be > 0 (every category is drawn with some weight): current value is ${
              show(v)
            }`,
          );
        }
      });
    }
  }
  if (parts.logits.length < minK) {
    throw new TypeError(
      `${what} as ${name} must have at least ${minK} entries: current value is ${
        show(o.get(name))
      }`,
    );
  }
  return parts;
}
