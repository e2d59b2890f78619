// Logits of the core's families whose probabilities lie in the open interval
// (ContinuousBernoulli, RelaxedBernoulli): `{ logits }` or `{ probs }` in
// (0, 1), read once.
import { oneOfTwo, readOptions } from "../math/_options.ts";
import { show, toFiniteVector } from "../math/_validate.ts";
import { sigmoid } from "../math/softplus.ts";

/**
 * `{ logits }` (finite) or `{ probs }` (each in (0, 1): 0 and 1 have no
 * density) for the constructor `what`, as both logits and probabilities.
 */
export function readOpenLogits(
  what: string,
  params: unknown,
): { logits: Float64Array; probs: Float64Array } {
  const o = readOptions(what, params, ["logits", "probs"], "params");
  if (oneOfTwo(what, o, params, "logits", "probs") === "logits") {
    const logits = toFiniteVector(what, "logits", o.get("logits"));
    return { logits, probs: logits.map(sigmoid) };
  }
  const probs = toFiniteVector(what, "probs", o.get("probs"));
  probs.forEach((v, i) => {
    if (!(v > 0 && v < 1)) {
      throw new RangeError(`${what} as probs[${i}] must be in (0, 1): current value is ${show(v)}`);
    }
  });
  return { logits: probs.map((v) => Math.log(v) - Math.log1p(-v)), probs };
}
