// Logits of the families whose probabilities lie in the open interval
// (ContinuousBernoulli, RelaxedBernoulli): `{ logits }` or `{ probs }` in
// (0, 1), read once, with an event axis.
import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { oneOfTwo, readOptions } from "../../math/_options.ts";
import { log, log1p } from "../_stable.ts";
import type { ParamRule, TensorInput } from "./distribution.ts";

/**
 * The logits `[...batch, D]` from `{ logits }` (finite) or `{ probs }`
 * (numbers checked to lie in (0, 1): 0 and 1 have no density; a tensor's
 * values stay on the device), for the constructor `what`.
 */
export function readOpenLogits(
  what: string,
  params: unknown,
  param: (name: string, raw: TensorInput, rule: ParamRule) => tf.Tensor,
  own: (t: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const o = readOptions(what, params, ["logits", "probs"], "params");
  const name = oneOfTwo(what, o, params, "logits", "probs");
  let logits: tf.Tensor;
  if (name === "logits") logits = param("logits", o.get("logits") as TensorInput, "finite");
  else {
    const given = o.get("probs");
    if (!(given instanceof tf.Tensor)) {
      const flat = [given].flat(Infinity as 1) as unknown[];
      const at = flat.findIndex((v) => !(typeof v === "number" && v > 0 && v < 1));
      if (at >= 0 && typeof flat[at] === "number" && !Number.isNaN(flat[at])) {
        throw new RangeError(
          `${what} as probs must be in (0, 1): current value is ${show(flat[at])}`,
        );
      }
    }
    const p = param("probs", given as TensorInput, "probability");
    logits = own(tf.tidy(() => tf.sub(log(p), log1p(tf.neg(p)))));
  }
  if (logits.rank === 0) {
    throw new TypeError(
      `${what} as ${name} must have an event axis (rank ≥ 1): current shape is []`,
    );
  }
  return logits;
}
