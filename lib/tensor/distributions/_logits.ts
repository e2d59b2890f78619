// Logits of the families whose probabilities lie in the open interval
// (ContinuousBernoulli, RelaxedBernoulli): `{ logits }` or `{ probs }` in
// (0, 1), read once, with an event axis.
import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { oneOfTwo, readOptions } from "../../math/_options.ts";
import { log, log1p } from "../_stable.ts";
import type { ParamRule, TensorInput } from "./distribution.ts";
import { flatten } from "./_params.ts";

/**
 * The logits `[...batch, D]` from `{ logits }` (finite) or `{ probs }`
 * (numbers checked to lie in (0, 1) — 0 and 1 have no density — and their
 * logits taken in float64; a tensor's values stay on the device), for the
 * constructor `what`.
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
    if (given instanceof tf.Tensor) {
      const p = param("probs", given, "probability");
      logits = own(tf.tidy(() => tf.sub(log(p), log1p(tf.neg(p)))));
    } else {
      // Numbers: the logits in float64 (0.99999999 and 10⁻⁴⁶ round to 1 and 0 in float32).
      const { values, shape } = flatten(what, "probs", given);
      const l = values.map((v, i) => {
        const at = shape.length ? `probs[${i}]` : "probs";
        if (typeof v !== "number") {
          throw new TypeError(`${what} as ${at} must be a number: current value is ${show(v)}`);
        }
        if (!(v > 0 && v < 1)) {
          throw new RangeError(`${what} as ${at} must be in (0, 1): current value is ${show(v)}`);
        }
        return Math.log(v) - Math.log1p(-v);
      });
      logits = own(tf.tensor(l, shape, "float32"));
    }
  }
  if (logits.rank === 0) {
    throw new TypeError(
      `${what} as ${name} must have an event axis (rank ≥ 1): current shape is []`,
    );
  }
  return logits;
}
