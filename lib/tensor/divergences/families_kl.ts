// The closed-form KL divergences of the tensor twins of Gamma, Beta,
// Dirichlet, Categorical, Laplace, Uniform and Poisson (and Exponential‖
// Gamma), in the forms of the core's (lib/divergences/*_kl.ts), registered
// with the tensor KL registry when this module loads (tensor.ts imports
// it). Among tfjs's comparisons only greaterEqual has a gradient, so every
// condition is an a ≥ b with the branches of tf.where in that order.
import { tf } from "../_tf.ts";
import { expm1MinusX, log, log1p, log1pmx, logRatio, maxOf } from "../_stable.ts";
import { bregmanH } from "../_gamma_series.ts";
import { klConcentrations } from "../distributions/_concentration.ts";
import { Beta } from "../distributions/beta.ts";
import { Categorical } from "../distributions/categorical.ts";
import { Dirichlet } from "../distributions/dirichlet.ts";
import { Exponential } from "../distributions/exponential.ts";
import { Gamma } from "../distributions/gamma.ts";
import { Laplace } from "../distributions/laplace.ts";
import { Poisson } from "../distributions/poisson.ts";
import { Uniform } from "../distributions/uniform.ts";
import { checkPair, sameEvent } from "./_check.ts";
import { REGISTRY } from "./_registry.ts";

/** KL(Gamma(a, b) ‖ Gamma(c, d)) = c (e^{−v} − 1 + v) + D_h(a → c), v = log((c/d)/(a/b)). */
function klGammaParams(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor): tf.Tensor {
  const v = tf.sub(logRatio(c, a), logRatio(d, b));
  return tf.add(tf.mul(c, expm1MinusX(tf.neg(v))), bregmanH(a, c));
}

/**
 * KL(Gamma(α₀, β₀) ‖ Gamma(α₁, β₁)) elementwise over the broadcast batch;
 * the twin of the core's `klGamma`, in its form of two terms that are each
 * ≥ 0:
 *
 * ```text
 * KL = (α₀ − α₁) ψ(α₀) − log Γ(α₀) + log Γ(α₁) + α₁ log(β₀/β₁) + α₀ (β₁ − β₀)/β₀
 *    = α₁ (e^{−v} − 1 + v) + D_h(α₀ → α₁),     v = log((α₁/β₁) / (α₀/β₀))
 * ```
 *
 * where D_h(x → y) = h(y) − h(x) − (y − x) h′(x) ≥ 0 is the Bregman
 * divergence of the convex h(x) = log Γ(x) − (x − ½) log x + x − ½ log 2π − ½ log x.
 *
 * @param p Gamma(α₀, β₀).
 * @param q Gamma(α₁, β₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Gamma of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { Gamma, klGamma, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // Same shape: KL = α (β₁/β₀ − 1 − log(β₁/β₀))
 * const kl = (await klGamma(new Gamma(3, 1), new Gamma(3, 2)).data())[0]!;
 * assert.ok(Math.abs(kl - 3 * (1 - Math.log(2))) < 1e-6);
 * ```
 */
export function klGamma(p: Gamma, q: Gamma): tf.Tensor {
  checkPair("klGamma", p, q, [[Gamma], [Gamma]]);
  return tf.tidy(() => klGammaParams(p.concentration, p.rate, q.concentration, q.rate));
}

/**
 * KL(Exponential(λ) ‖ Gamma(α, β)), the Gamma KL with shape 1 on the left
 * (Exponential(λ) = Gamma(1, λ)); the twin of the core's
 * `klExponentialGamma`, computed as the two terms of {@linkcode klGamma}:
 *
 * ```text
 * KL = −1 + log λ + log Γ(α) − α log β + (α − 1)(log λ + γ) + β/λ
 * ```
 *
 * @param p Exponential(λ).
 * @param q Gamma(α, β).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p is not an Exponential or q not a Gamma of this module (or one is
 *   disposed), or their batch shapes do not broadcast.
 * @example
 * ```ts
 * import { Exponential, Gamma, klExponentialGamma, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const kl = (await klExponentialGamma(new Exponential(1), new Gamma(2, 1)).data())[0]!;
 * assert.ok(Math.abs(kl - 0.5772156649015329) < 1e-6); // Euler's γ
 * ```
 */
export function klExponentialGamma(p: Exponential, q: Gamma): tf.Tensor {
  checkPair("klExponentialGamma", p, q, [[Exponential], [Gamma]]);
  return tf.tidy(() => klGammaParams(tf.onesLike(p.rate), p.rate, q.concentration, q.rate));
}

/**
 * KL(Beta(a₀, b₀) ‖ Beta(a₁, b₁)), the Dirichlet divergence with K = 2;
 * the twin of the core's `klBeta`. With s = a₀ + b₀, t = a₁ + b₁:
 *
 * ```text
 * KL = log B(a₁, b₁) − log B(a₀, b₀) + (a₀ − a₁) ψ(a₀) + (b₀ − b₁) ψ(b₀) + (t − s) ψ(s)
 *    = t · KL(Bernoulli(a₁/t) ‖ Bernoulli(a₀/s)) + D_h(a₀ → a₁) + D_h(b₀ → b₁) − D_h(s → t)
 * ```
 *
 * @param p Beta(a₀, b₀).
 * @param q Beta(a₁, b₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Beta of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { Beta, klBeta, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // KL(Beta(2, 1) ‖ Beta(1, 1)) = E[log 2x] = log 2 − ½
 * const kl = (await klBeta(new Beta(2, 1), new Beta(1, 1)).data())[0]!;
 * assert.ok(Math.abs(kl - (Math.LN2 - 0.5)) < 1e-6);
 * ```
 */
export function klBeta(p: Beta, q: Beta): tf.Tensor {
  checkPair("klBeta", p, q, [[Beta], [Beta]]);
  return tf.tidy(() => {
    const shape = tf.backend_util.assertAndGetBroadcastShape(p.batchShape, q.batchShape);
    const stack = (a: tf.Tensor, b: tf.Tensor) =>
      tf.stack([tf.broadcastTo(a, shape), tf.broadcastTo(b, shape)], -1);
    return klConcentrations(stack(p.alpha, p.beta), stack(q.alpha, q.beta));
  });
}

/**
 * KL(Dir(α) ‖ Dir(β)), with s = Σ αᵢ and t = Σ βᵢ; the twin of the core's
 * `klDirichlet`, in its form whose terms subtract no numbers of size
 * α log α:
 *
 * ```text
 * KL = log B(β) − log B(α) + Σᵢ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(s))
 *    = Σᵢ βᵢ (e^{−wᵢ} − 1 + wᵢ) + Σᵢ D_h(αᵢ → βᵢ) − D_h(s → t),   wᵢ = log(βᵢ/αᵢ) − log(t/s)
 * ```
 *
 * @param p Dir(α).
 * @param q Dir(β), of the same event size.
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a Dirichlet of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @throws {TypeError} If p and q differ in event shape.
 *
 * @example
 * ```ts
 * import { Dirichlet, klDirichlet, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = new Dirichlet([1, 2, 3]);
 * assert.equal((await klDirichlet(p, p).data())[0], 0);
 * assert.ok((await klDirichlet(p, new Dirichlet([1, 1, 1])).data())[0]! > 0);
 * ```
 */
export function klDirichlet(p: Dirichlet, q: Dirichlet): tf.Tensor {
  checkPair("klDirichlet", p, q, [[Dirichlet], [Dirichlet]]);
  sameEvent("klDirichlet", p, q);
  return tf.tidy(() => klConcentrations(p.concentration, q.concentration));
}

/**
 * KL(Cat(π) ‖ Cat(ρ)) = Σₖ πₖ log(πₖ/ρₖ), written as a cumulant so that no
 * first-order term is left to cancel; the twin of the core's
 * `klCategorical`. With Δₖ = log(ρₖ/πₖ) up to a constant (ℓ′ₖ − ℓₖ from
 * logits; log(ρₖ/πₖ) by its exact difference from probabilities), masses
 * wₖ ∝ πₖ, m = E_π[Δ] and uₖ = Δₖ − m:
 *
 * ```text
 * KL = log E_π[e^Δ] − E_π[Δ] = S + [log(1 + x) − x]_{x = S + r} − log(1 − R₀)
 * S = E_π[e^u − 1 − u] ≥ 0,   r = E_π[u] ≈ 0,   R₀ = Σ_{πₖ = 0} ρₖ
 * ```
 *
 * Rounding in π then moves the KL only relatively (the first-order terms
 * cancel analytically), so near-identical pairs keep their digits and the
 * KL is never negative. Far apart (S + r ≥ ½) it is log E_π[e^Δ] − E_π[Δ]
 * in log space. The KL is +∞ where ρₖ = 0 < πₖ.
 *
 * @param p Cat(π).
 * @param q Cat(ρ), over as many categories.
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 * @throws {TypeError} If p or q is not a Categorical of this module (or is disposed), or their
 *   batch shapes do not broadcast.
 * @throws {TypeError} If the numbers of categories differ.
 *
 * @example
 * ```ts
 * import { Categorical, klCategorical, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const p = new Categorical({ probs: [0.5, 0.5] }), q = new Categorical({ probs: [0.25, 0.75] });
 * const kl = (await klCategorical(p, q).data())[0]!;
 * assert.ok(Math.abs(kl - (0.5 * Math.log(2) + 0.5 * Math.log(2 / 3))) < 1e-6);
 * ```
 */
export function klCategorical(p: Categorical, q: Categorical): tf.Tensor {
  checkPair("klCategorical", p, q, [[Categorical], [Categorical]]);
  if (p.numCategories !== q.numCategories) {
    throw new TypeError(
      `Cannot compute klCategorical as p and q differ in the number of categories: p has ${p.numCategories}, q has ${q.numCategories}`,
    );
  }
  return tf.tidy(() => {
    const l = p.fromProbs ? p.logProbs : p.logits;
    const lw = tf.sub(l, maxOf(l, -1, true)), w = tf.exp(lw);
    const massless = tf.greaterEqual(0, w); // πₖ = 0
    const rawDelta = !p.fromProbs && !q.fromProbs
      ? tf.sub(q.logits, p.logits)
      : p.fromProbs && q.fromProbs
      ? logRatio(q.probs, p.probs)
      : tf.sub(q.logProbs, p.logProbs);
    const zero = tf.zerosLike(tf.add(rawDelta, w));
    // ρₖ = 0 < πₖ: +∞. Elsewhere Δ is finite where πₖ > 0; 0 where πₖ = 0.
    const impossible = tf.sum(
      tf.where(massless, zero, tf.where(tf.isFinite(rawDelta), zero, tf.onesLike(zero))),
      -1,
    );
    const delta = tf.where(massless, zero, tf.where(tf.isFinite(rawDelta), rawDelta, zero));
    const W = tf.sum(w, -1, true);
    const m = tf.div(tf.sum(tf.mul(w, delta), -1, true), W);
    const u = tf.sub(delta, m);
    // wₖ (e^u − 1 − u), as e^{log w + u} − w − w u where |u| ≥ 1 (one exp,
    // not a product of two that round apart), as the core does.
    const big = tf.sub(tf.sub(tf.exp(tf.add(lw, u)), w), tf.mul(w, u));
    const each = tf.where(
      tf.greaterEqual(tf.abs(u), 1),
      tf.where(massless, zero, big),
      tf.mul(w, expm1MinusX(tf.clipByValue(u, -1, 1))),
    );
    const S = tf.squeeze(tf.div(tf.sum(each, -1, true), W), [-1]);
    const r = tf.squeeze(tf.div(tf.sum(tf.mul(w, u), -1, true), W), [-1]);
    const x = tf.add(S, r);
    const near = tf.add(S, log1pmx(tf.minimum(x, 0.5)));
    // Far: log E_π[e^u] − r, as M + log(Σ e^{t − M} / W) with t = log w + u
    // and M its largest (the ratio, near 1 when KL is, keeps its digits).
    const t = tf.where(massless, tf.fill(u.shape, -Infinity), tf.add(lw, u));
    const M = maxOf(t, -1, true);
    const ratio = tf.div(tf.sum(tf.exp(tf.sub(t, M)), -1, true), W);
    const far = tf.squeeze(tf.sub(tf.add(M, log(ratio)), tf.expandDims(r, -1)), [-1]);
    const r0 = tf.sum(tf.where(massless, tf.add(zero, q.probs), zero), -1);
    const tail = tf.neg(log1p(tf.neg(tf.minimum(r0, 1))));
    const kl = tf.relu(tf.add(tf.where(tf.greaterEqual(x, 0.5), far, near), tail));
    return tf.where(tf.greaterEqual(impossible, 1), tf.fill(kl.shape, Infinity), kl);
  });
}

/**
 * KL(Laplace(μ₀, b₀) ‖ Laplace(μ₁, b₁)), as two terms that are each ≥ 0;
 * the twin of the core's `klLaplace`. With r = b₀/b₁, ρ = log r and
 * z = |μ₀ − μ₁|/b₀:
 *
 * ```text
 * KL = log(b₁/b₀) + |μ₀ − μ₁|/b₁ + (b₀/b₁) e^{−|μ₀ − μ₁|/b₀} − 1
 *    = (e^ρ − 1 − ρ) + r (e^{−z} − 1 + z)
 * ```
 *
 * @param p Laplace(μ₀, b₀).
 * @param q Laplace(μ₁, b₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Laplace of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { klLaplace, Laplace, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * // Same scale, shifted by one scale: e^{−1} − 1 + 1
 * const kl = (await klLaplace(new Laplace(0, 1), new Laplace(1, 1)).data())[0]!;
 * assert.ok(Math.abs(kl - Math.exp(-1)) < 1e-6);
 * ```
 */
export function klLaplace(p: Laplace, q: Laplace): tf.Tensor {
  checkPair("klLaplace", p, q, [[Laplace], [Laplace]]);
  return tf.tidy(() => {
    const rho = logRatio(p.scale, q.scale);
    const z = tf.div(tf.abs(tf.sub(p.loc, q.loc)), p.scale);
    return tf.add(expm1MinusX(rho), tf.mul(tf.exp(rho), expm1MinusX(tf.neg(z))));
  });
}

/**
 * KL(U(a₀, b₀) ‖ U(a₁, b₁)); the twin of the core's `klUniform`: the log of
 * the ratio of the widths when [a₀, b₀] ⊆ [a₁, b₁], +∞ otherwise (q is 0
 * where p is not).
 *
 * ```text
 * KL = log((b₁ − a₁) / (b₀ − a₀))     if a₁ ≤ a₀ and b₀ ≤ b₁;   +∞ otherwise
 * ```
 *
 * Rounding keeps the widths ordered like the intervals, so the ratio is
 * ≥ 1 and the KL ≥ 0 without a clamp; the log of the ratio is taken from
 * the widths' exact difference where they are close.
 *
 * @param p U(a₀, b₀).
 * @param q U(a₁, b₁).
 * @returns KL(p ‖ q) ≥ 0, or +∞, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Uniform of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { klUniform, Uniform, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const [inside] = await klUniform(new Uniform(0, 1), new Uniform(-1, 3)).data();
 * assert.ok(Math.abs(inside! - Math.log(4)) < 1e-6);
 * assert.equal((await klUniform(new Uniform(-1, 3), new Uniform(0, 1)).data())[0], Infinity);
 * ```
 */
export function klUniform(p: Uniform, q: Uniform): tf.Tensor {
  checkPair("klUniform", p, q, [[Uniform], [Uniform]]);
  return tf.tidy(() => {
    const kl = logRatio(tf.sub(q.high, q.low), tf.sub(p.high, p.low));
    const inf = tf.fill(kl.shape, Infinity);
    return tf.where(
      tf.greaterEqual(p.low, q.low),
      tf.where(tf.greaterEqual(q.high, p.high), kl, inf),
      inf,
    );
  });
}

/**
 * KL(Poisson(λ₀) ‖ Poisson(λ₁)); the twin of the core's `klPoisson`. With
 * δ = log(λ₁/λ₀):
 *
 * ```text
 * KL = λ₀ log(λ₀/λ₁) + λ₁ − λ₀ = λ₀ (e^δ − 1 − δ)
 * ```
 *
 * with e^δ − 1 − δ computed without cancellation for small δ, and the
 * first form for δ > 1, where e^δ could overflow.
 *
 * @param p Poisson(λ₀).
 * @param q Poisson(λ₁).
 * @returns KL(p ‖ q) ≥ 0, shape `broadcast(p.batchShape, q.batchShape)`.
 *
 * @throws {TypeError} If p or q is not a Poisson of this module (or is disposed), or their batch
 *   shapes do not broadcast.
 * @example
 * ```ts
 * import { klPoisson, Poisson, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const kl = (await klPoisson(new Poisson(2), new Poisson(1)).data())[0]!;
 * assert.ok(Math.abs(kl - (2 * Math.log(2) - 1)) < 1e-6);
 * ```
 */
export function klPoisson(p: Poisson, q: Poisson): tf.Tensor {
  checkPair("klPoisson", p, q, [[Poisson], [Poisson]]);
  return tf.tidy(() => {
    const l0 = p.rate, l1 = q.rate, d = logRatio(l1, l0);
    const near = tf.mul(l0, expm1MinusX(tf.minimum(d, 1)));
    const far = tf.sub(tf.sub(l1, l0), tf.mul(l0, d));
    return tf.where(tf.greaterEqual(1, d), near, far);
  });
}

const register = (
  // deno-lint-ignore no-explicit-any
  p: abstract new (...args: any[]) => unknown,
  // deno-lint-ignore no-explicit-any
  q: abstract new (...args: any[]) => unknown,
  // deno-lint-ignore no-explicit-any
  fn: (p: any, q: any) => tf.Tensor,
) => REGISTRY.register("Cannot register KL", p, q, fn);

register(Gamma, Gamma, klGamma);
register(Exponential, Gamma, klExponentialGamma);
register(Beta, Beta, klBeta);
register(Dirichlet, Dirichlet, klDirichlet);
register(Categorical, Categorical, klCategorical);
register(Laplace, Laplace, klLaplace);
register(Uniform, Uniform, klUniform);
register(Poisson, Poisson, klPoisson);
