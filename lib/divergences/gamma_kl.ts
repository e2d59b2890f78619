import { Exponential } from "../distributions/exponential.ts";
import { Gamma } from "../distributions/gamma.ts";
import { bregmanH } from "../math/_gamma_series.ts";
import { expm1mx, logRatio } from "../math/_stable.ts";
import { MIN_NORMAL } from "../math/_validate.ts";
import { productError } from "../distributions/_deviance.ts";
import { className } from "../math/_pair_registry.ts";
import { checkPair } from "./_check.ts";

/**
 * log((c/d)/(a/b)) = log(c b / (a d)), the log of the ratio of two Gamma
 * means, to a few ulps of itself even when it is tiny: the products are
 * taken exactly (as value + rounding error), so that their difference keeps
 * its digits.
 */
function logMeanRatio(a: number, b: number, c: number, d: number): number {
  const x = c * b, y = a * d;
  if (
    x >= MIN_NORMAL && y >= MIN_NORMAL && x < Infinity && y < Infinity && x <= 2 * y && y <= 2 * x
  ) {
    const diff = (x - y) + (productError(c, b, x) - productError(a, d, y));
    return Math.log1p(diff / y);
  }
  return logRatio(c, a) - logRatio(d, b);
}

/** KL(Gamma(a, b) ‖ Gamma(c, d)) as two non-negative terms (see klGamma). */
export function klGammaParams(a: number, b: number, c: number, d: number): number {
  return c * expm1mx(-logMeanRatio(a, b, c, d)) + bregmanH(a, c);
}

/**
 * KL(Gamma(α₀, β₀) ‖ Gamma(α₁, β₁)), written as two terms that are each ≥ 0
 * so that a near-identical pair gets a small positive KL with its digits:
 *
 * ```text
 * KL = (α₀ − α₁) ψ(α₀) − log Γ(α₀) + log Γ(α₁) + α₁ log(β₀/β₁) + α₀ (β₁ − β₀)/β₀
 *    = α₁ (e^{−v} − 1 + v) + D_h(α₀ → α₁),     v = log((α₁/β₁) / (α₀/β₀))
 * ```
 *
 * where v compares the means and D_h(x → y) = h(y) − h(x) − (y − x) h′(x) ≥ 0
 * is the Bregman divergence of the convex h(x) = log Γ(x) − (x − ½) log x + x
 * − ½ log 2π − ½ log x (Stirling's remainder less ½ log x), taken by
 * Gauss–Legendre quadrature of its positive second derivative when α₁ is
 * close to α₀.
 *
 * @param p Gamma(α₀, β₀).
 * @param q Gamma(α₁, β₁).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If an argument is not a {@linkcode Gamma}.
 *
 * @example
 * ```ts
 * import { Gamma, klGamma } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * // Same shape: KL = α (β₁/β₀ − 1 − log(β₁/β₀))
 * const kl = klGamma(new Gamma(3, 1), new Gamma(3, 2));
 * assert.ok(Math.abs(kl - 3 * (1 - Math.log(2))) < 1e-15);
 * assert.equal(klGamma(new Gamma(3, 1), new Gamma(3, 1)), 0);
 * ```
 */
export function klGamma(p: Gamma, q: Gamma): number {
  checkPair("klGamma", p, q, [Gamma]);
  return klGammaParams(p.concentration, p.rate, q.concentration, q.rate);
}

/**
 * KL(Exponential(λ) ‖ Gamma(α, β)), the Gamma KL with shape 1 on the left
 * (Exponential(λ) = Gamma(1, λ)); see {@linkcode klGamma}.
 *
 * ```text
 * KL = −1 + log λ + log Γ(α) − α log β + (α − 1)(log λ + γ) + β/λ
 * ```
 *
 * (γ ≈ 0.5772, Euler's constant), computed as the two non-negative terms of
 * {@linkcode klGamma}.
 *
 * @param p Exponential(λ).
 * @param q Gamma(α, β).
 * @returns KL(p ‖ q) ≥ 0.
 * @throws {TypeError} If `p` is not an {@linkcode Exponential} or `q` not a
 *   {@linkcode Gamma}.
 *
 * @example
 * ```ts
 * import { Exponential, Gamma, klExponentialGamma } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * assert.equal(klExponentialGamma(new Exponential(2), new Gamma(1, 2)), 0);
 * const kl = klExponentialGamma(new Exponential(1), new Gamma(2, 1));
 * assert.ok(Math.abs(kl - 0.5772156649015329) < 1e-15); // (α − 1) γ − log Γ(2) … = γ
 * ```
 */
export function klExponentialGamma(p: Exponential, q: Gamma): number {
  for (const [name, v, c] of [["p", p, Exponential], ["q", q, Gamma]] as const) {
    if (!(v instanceof c)) {
      throw new TypeError(
        `Cannot compute klExponentialGamma as ${name} must be a ${c.name}: current value is ${
          className(v)
        }`,
      );
    }
  }
  return klGammaParams(1, p.rate, q.concentration, q.rate);
}
