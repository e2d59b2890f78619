import type { Distribution } from "../distributions/distribution.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { klMonteCarlo } from "../divergences/kl_monte_carlo.ts";
import { readOptions } from "../math/_options.ts";
import { show } from "../math/_validate.ts";
import type { Estimate } from "../math/mean_and_standard_error.ts";
import type { Rng } from "../math/rng.ts";
import { fitVariational } from "./fit_variational.ts";
import type { LatentModel } from "../targets/latent_model.ts";

/** Options of {@linkcode fitGaussian}. */
export interface FitGaussianOptions {
  /** `"forward"`: argmin KL(p ‖ q) (M-projection); `"reverse"`: argmin KL(q ‖ p) (I-projection). */
  divergence: "forward" | "reverse";
  /** The random source (reverse fit, and the KL estimates). */
  rng: Rng;
  /** Adam steps for the reverse fit (default 3000). */
  steps?: number;
  /** Draws per gradient for the reverse fit (default 16). */
  samples?: number;
  /** Step size for the reverse fit (default 0.05). */
  learningRate?: number;
  /** Where the reverse fit starts (default: a draw from p, with a tenth of p's variances). */
  init?: MultivariateNormal;
  /** Random starts of the reverse fit, the best kept (default 4). */
  restarts?: number;
  /** Draws for each reported KL estimate (default 20000). */
  klSamples?: number;
}

/** A fitted Gaussian and both divergences to the target. */
export interface FitGaussianResult {
  /** The fitted full-covariance Gaussian. */
  q: MultivariateNormal;
  /** KL(p ‖ q), by Monte Carlo. */
  forwardKL: Estimate;
  /** KL(q ‖ p), by Monte Carlo. */
  reverseKL: Estimate;
}

/**
 * Projects a target p onto the full-covariance Gaussians (Bishop, Pattern
 * Recognition and Machine Learning, 2006, section 10.1.2; Minka, "Divergence
 * measures and message passing", 2005):
 *
 * ```text
 * M-projection  q* = argmin_q KL(p ‖ q):  μ = E_p[x],  Σ = Cov_p[x]   (moment matching)
 * I-projection  q* = argmin_q KL(q ‖ p) = argmax_q E_q[log p(z)] + H[q]
 * ```
 *
 * The M-projection is exact. The I-projection maximises the ELBO of the model
 * whose log-joint is log p (its evidence is 1, so −ELBO = KL(q ‖ p)) with
 * reparameterization gradients and Adam, from `restarts` random starts (it
 * is not convex), keeping the fit with the smallest KL; it needs `p.gradLogProb`.
 *
 * @param target p: needs `mean` and `covariance` (forward), or `gradLogProb` (reverse).
 * @param options See {@linkcode FitGaussianOptions}.
 * @returns q and both KLs with standard errors.
 * @throws {TypeError} If the target is not a distribution or lacks what the
 *   chosen divergence needs, `divergence` is unknown, `rng` is not an Rng,
 *   `init` is not a MultivariateNormal of the target's size, or `options`
 *   has a key other than these.
 * @throws {RangeError} If `steps`, `samples`, `restarts`, `klSamples` or
 *   `learningRate` is out of range, or the reverse fit diverges.
 *
 * @example Mass-covering versus mode-seeking
 * ```ts
 * import { createRng, fitGaussian, Mixture, MultivariateNormal } from "@elbo/elbo";
 * import assert from "node:assert/strict";
 *
 * const p = new Mixture([0.5, 0.5], [
 *   MultivariateNormal.fromCovariance([-3, 0], [[1, 0], [0, 1]]),
 *   MultivariateNormal.fromCovariance([3, 0], [[1, 0], [0, 1]]),
 * ]);
 * const m = fitGaussian(p, { divergence: "forward", rng: createRng(1) });
 * const i = fitGaussian(p, { divergence: "reverse", rng: createRng(1), steps: 1500 });
 * assert.ok(Math.abs(m.q.loc[0]!) < 1e-12);   // between the modes
 * assert.ok(Math.abs(Math.abs(i.q.loc[0]!) - 3) < 0.1); // on one mode
 * assert.ok(i.reverseKL.value < m.reverseKL.value && m.forwardKL.value < i.forwardKL.value);
 * ```
 */
export function fitGaussian(
  target: Distribution<ArrayLike<number>, Float64Array>,
  options: FitGaussianOptions,
): FitGaussianResult {
  const what = "Cannot fitGaussian";
  if (
    target === null || typeof target !== "object" || typeof target.logProbBatch !== "function" ||
    typeof target.sampleN !== "function" || typeof target.logProb !== "function" ||
    !Number.isSafeInteger(target.eventSize) || target.eventSize < 1
  ) {
    throw new TypeError(
      `${what} as target must be a distribution: current value is ${show(target)}`,
    );
  }
  const o = readOptions(what, options, [
    "divergence",
    "rng",
    "steps",
    "samples",
    "learningRate",
    "init",
    "restarts",
    "klSamples",
  ]);
  const d = target.eventSize;
  const mean = typeof target.mean === "function" ? target.mean() : undefined;
  if (
    mean === null || typeof mean !== "object" || (mean as ArrayLike<number>).length !== d
  ) {
    throw new TypeError(
      `${what} as target must be a multivariate distribution whose mean() has eventSize (${d}) entries (wrap a univariate one as a DiagNormal): current value is ${
        show(target)
      }`,
    );
  }
  const divergence = o.choice("divergence", ["forward", "reverse"] as const);
  const rng = o.rng("rng");
  const steps = o.count("steps", { min: 1, perItem: d, default: 3000 });
  const samples = o.count("samples", { min: 1, perItem: d, default: 16 });
  const learningRate = o.number("learningRate", { min: 0, minExclusive: true, default: 0.05 });
  const restarts = o.count("restarts", { min: 1, perItem: d * d, default: 4 });
  const klSamples = o.count("klSamples", { min: 2, perItem: d, default: 20000 });
  const init = o.get("init");
  if (init !== undefined && !(init instanceof MultivariateNormal && init.eventSize === d)) {
    throw new TypeError(
      `${what} as ${
        o.label("init")
      } must be a MultivariateNormal of size ${d} (the target's event size): current value is ${
        show(init)
      }`,
    );
  }
  let q: MultivariateNormal;
  if (divergence === "forward") {
    if (typeof target.covariance !== "function") {
      throw new TypeError(
        `${what} with divergence "forward" needs target.covariance() for moment matching`,
      );
    }
    q = MultivariateNormal.fromCovariance(mean, target.covariance());
  } else {
    const gradLogProb = target.gradLogProb?.bind(target);
    if (typeof gradLogProb !== "function") {
      throw new TypeError(`${what} with divergence "reverse" needs target.gradLogProb(x)`);
    }
    const model: LatentModel<null> = {
      latentSize: d,
      logJoint: (_x, z) => target.logProb(z),
      gradLogJoint: (_x, z, out) => {
        const g = gradLogProb(z);
        if (out) {
          out.set(g);
          return out;
        }
        return g;
      },
    };
    // Default start: a draw from p with a tenth of p's covariance, so that the
    // fit starts inside one region of mass (the I-projection is not convex).
    const start = new Float64Array(d * d);
    const cov = target.covariance?.();
    for (let i = 0; i < d; i++) start[i * d + i] = cov ? 0.1 * cov[i * d + i]! : 1;
    // The I-projection is not convex: fit from several starts and keep the
    // one with the smallest reverse KL (a single given init is used as is).
    const starts = init ? [init] : Array.from(
      { length: restarts },
      () => MultivariateNormal.fromCovariance(target.sample(rng), start),
    );
    let best = Infinity;
    q = starts[0]!;
    for (const init of starts) {
      const fitted = fitVariational(model, null, {
        init,
        estimator: "reparameterization",
        steps,
        samples,
        learningRate,
        rng,
      }).q as MultivariateNormal;
      const kl = klMonteCarlo(fitted, target, { samples: 4000, rng }).value;
      if (kl < best) [best, q] = [kl, fitted];
    }
  }
  return {
    q,
    forwardKL: klMonteCarlo(target, q, { samples: klSamples, rng }),
    reverseKL: klMonteCarlo(q, target, { samples: klSamples, rng }),
  };
}
