// Among tfjs's comparisons only greaterEqual has a gradient, so every
// condition is an a ≥ b with the branches of tf.where in that order.
import { tf } from "../_tf.ts";
import { expm1MinusX, log, log1p, log1pmx, logRatio, maxOf } from "../_stable.ts";
import { Categorical } from "../distributions/categorical.ts";
import { checkPair } from "./_check.ts";

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
  return categoricalKL("klCategorical", p, q);
}

/** The parameters the categorical KL reads (a Categorical's, or a OneHotCategorical's). */
type CategoricalLike = Pick<
  Categorical,
  "fromProbs" | "logits" | "logProbs" | "probs" | "numCategories"
>;

/**
 * {@linkcode klCategorical}'s formula for p and q of one family (checked by
 * the caller `what`), and as many categories.
 */
export function categoricalKL(what: string, p: CategoricalLike, q: CategoricalLike): tf.Tensor {
  if (p.numCategories !== q.numCategories) {
    throw new TypeError(
      `Cannot compute ${what} as p and q differ in the number of categories: p has ${p.numCategories}, q has ${q.numCategories}`,
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
