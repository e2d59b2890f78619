import { tf } from "../_tf.ts";
import { readOptions } from "../../math/_options.ts";
import { assertValuesAtOnce } from "../_validate.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import { checkPair, sameEvent } from "./_check.ts";
import { meanAndStandardError, type TensorEstimate } from "../estimate.ts";

/**
 * KL(p ‖ q) by Monte Carlo, for pairs with no closed form (mixtures):
 *
 * ```text
 * KL ≈ (1/n) Σᵢ log p(xᵢ) − log q(xᵢ),   xᵢ ~ p
 * ```
 *
 * with its standard error. Where p is reparameterized the value is
 * differentiable in p's parameters as well as q's.
 *
 * @param p The distribution the draws come from.
 * @param q The other distribution (same event shape).
 * @param options `samples` n (an integer ≥ 2) and `seed`.
 * @returns `{ value, standardError }`, tensors of the broadcast batch shape.
 * @throws {TypeError} If p or q is not a live tensor distribution, the
 *   event shapes or batch shapes do not fit, `options` is not a plain object
 *   or has a key other than these, or `samples` or `seed` is missing or not a
 *   number.
 * @throws {RangeError} If `samples` is not an integer ≥ 2 or `seed` not a
 *   safe integer, or the draws (samples × batch size × event size) are more
 *   than 2²⁶ values.
 *
 * @example
 * ```ts
 * import { klDivergence, klMonteCarlo, Normal, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = new Normal(0, 1), q = new Normal(1, 2);
 * const mc = klMonteCarlo(p, q, { samples: 20000, seed: 1 });
 * const exact = (await klDivergence(p, q).data())[0]!;
 * const [v, se] = [(await mc.value.data())[0]!, (await mc.standardError.data())[0]!];
 * assert.ok(Math.abs(v - exact) < 4 * se);
 * ```
 */
export function klMonteCarlo(
  p: TensorDistribution,
  q: TensorDistribution,
  options: { samples: number; seed: number },
): TensorEstimate {
  const what = "Cannot compute klMonteCarlo";
  checkPair("klMonteCarlo", p, q);
  sameEvent("klMonteCarlo", p, q);
  const o = readOptions(what, options, ["samples", "seed"]);
  const samples = o.int("samples", { min: 2 }), seed = o.seed("seed");
  const batch = tf.backend_util.assertAndGetBroadcastShape(p.batchShape, q.batchShape);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  assertValuesAtOnce(what, [
    [o.label("samples"), samples],
    ["batch size", size(batch)],
    ["event size", size(p.eventShape)],
  ], "at once");
  return tf.tidy(() => {
    const drawn = p.sample(samples, seed);
    // Axes of size 1 between the draws and p's batch, where q's batch has
    // more axes: q.logProb then reads the draws' first axis as a draw, not
    // as a batch axis to broadcast against its own.
    const extra = batch.length - p.batchShape.length;
    const x = extra > 0
      ? tf.reshape(drawn, [samples, ...new Array<number>(extra).fill(1), ...drawn.shape.slice(1)])
      : drawn;
    const diff = tf.sub(p.logProb(x), q.logProb(x));
    return meanAndStandardError(diff);
  });
}
