import type { Distribution } from "../distributions/distribution.ts";
import { show } from "../math/_validate.ts";
import { className } from "../math/_pair_registry.ts";
import { REGISTRY } from "./_registry.ts";
import "./register_families.ts";

/**
 * The pairs of classes that have a closed-form KL, as class names.
 *
 * @returns `[pClassName, qClassName]` for each registered pair.
 *
 * @example
 * ```ts
 * import { registeredKLPairs } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.ok(registeredKLPairs().some(([p, q]) => p === "Normal" && q === "Normal"));
 * ```
 */
export function registeredKLPairs(): Array<[string, string]> {
  return REGISTRY.pairs();
}

/**
 * The closed-form KL divergence KL(p ‖ q) = E_p[log p(X) − log q(X)],
 * looked up in a registry keyed by the pair of classes (see
 * {@linkcode registerKL} and {@linkcode registeredKLPairs}).
 *
 * @param p The distribution the expectation is under.
 * @param q The other distribution.
 * @returns KL(p ‖ q) ≥ 0 (may be +∞).
 * @throws {TypeError} If no closed form is registered for the pair: the
 *   message names both classes and lists the registered pairs, and points
 *   to {@linkcode klMonteCarlo}; or if the sizes differ.
 * @throws {RangeError} If a registered function returns something other
 *   than a number that is not NaN.
 *
 * @example
 * ```ts
 * import { klDivergence, Mixture, Normal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(klDivergence(new Normal(0, 1), new Normal(0, 1)), 0);
 * const m = new Mixture([1], [new Normal(0, 1)]);
 * assert.throws(() => klDivergence(m, new Normal(0, 1)), TypeError);
 * ```
 */
export function klDivergence(p: Distribution, q: Distribution): number {
  for (const [name, v] of [["p", p], ["q", q]] as const) {
    if (v === null || typeof v !== "object") {
      throw new TypeError(
        `Cannot compute klDivergence as ${name} must be a distribution: current value is ${
          show(v)
        }`,
      );
    }
  }
  const fn = REGISTRY.find(
    "klDivergence",
    p,
    q,
    "Use klMonteCarlo(p, q, { samples, rng }) for an estimate with its standard error.",
  );
  const kl = fn(p, q);
  if (typeof kl !== "number" || kl !== kl) {
    throw new RangeError(
      `Cannot compute klDivergence(${className(p)}, ${
        className(q)
      }) as the registered function returned ${show(kl)} for p and q, not a number`,
    );
  }
  return kl;
}
