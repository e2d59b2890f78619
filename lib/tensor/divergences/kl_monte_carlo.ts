import { tf } from "../_tf.ts";
import { show } from "../../math/_validate.ts";
import { assertSeed } from "../../math/rng.ts";
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
 * @throws {TypeError} If p or q is not a tensor distribution or the event shapes differ.
 * @throws {RangeError} If `samples` is not an integer ≥ 2 or `seed` not a safe integer.
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
  if (options === null || typeof options !== "object") {
    throw new TypeError(
      `${what} as options must be { samples, seed }: current value is ${show(options)}`,
    );
  }
  const { samples, seed } = options;
  if (typeof samples !== "number" || !Number.isSafeInteger(samples) || samples < 2) {
    throw new RangeError(
      `${what} as samples must be an integer ≥ 2: current value is ${show(samples)}`,
    );
  }
  assertSeed(what, "seed", seed);
  return tf.tidy(() => {
    const x = p.sample(samples, seed);
    const diff = tf.sub(p.logProb(x), q.logProb(x));
    return meanAndStandardError(diff);
  });
}
