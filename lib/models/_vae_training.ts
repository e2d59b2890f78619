// What a VAE computes from its distributions besides its networks: what it
// reports, the starting β, the terms and loss of one step, and draws.
import { tf } from "../tensor/_tf.ts";
import type { Normal } from "../tensor/distributions/normal.ts";
import { assertIntegerIn } from "../math/_validate.ts";
import { assertSeed } from "../math/rng.ts";
import { deriveSeed } from "./_mlp.ts";
import { MAX_STEP_ELEMENTS } from "./_limits.ts";
import type { StepTerms } from "./_step.ts";
import { evaluationMetrics } from "./_vae_evaluation.ts";
import { type Fit, kl, loss, objectiveTerms, reconstruction, schedule } from "./objectives.ts";
import type { ModelReport } from "./report.ts";
import type { Objective, VAEConfig } from "./vae_options.ts";

/** What a VAE reports: the ELBO's terms and its objective's weights, and its evaluation. */
export function vaeReport(config: VAEConfig): ModelReport {
  return {
    terms: objectiveTerms(config.objective),
    metrics: evaluationMetrics(config.latentSize),
    testLoss: { key: "elbo", sign: -1, label: "test −ELBO" },
    unit: "nats",
    // A flow's KL does not split by coordinate: its klPerDimension is empty.
    ...(config.posterior ? {} : {
      perLatent: { key: "klPerDimension", label: "KL", description: "KL of each latent (nats)" },
    }),
    generative: true,
  };
}

/** The values a VAE's data may take: [0, 1] for the Bernoulli likelihoods, else any. */
export function dataRangeOf(
  config: VAEConfig,
): { min: number; max: number; why: string } | undefined {
  return config.likelihood === "bernoulli" || config.likelihood === "continuous-bernoulli"
    ? {
      min: 0,
      max: 1,
      why: `the ${
        config.likelihood === "bernoulli" ? "Bernoulli" : "continuous Bernoulli"
      } likelihood's pixel values`,
    }
    : undefined;
}

/** β before the first step: the β-VAE's β, the constrained objective's initial β, else 1. */
export function initialBeta(ob: Objective): number {
  return ob.kind === "beta" ? ob.beta : ob.kind === "constrained" ? ob.initialBeta ?? 1 : 1;
}

/**
 * The terms and the loss of a step of objective `ob` (the functions of
 * `objectives.ts`), with the weights of its schedule after `step` steps at
 * the current β.
 */
export function stepLoss(
  f: Fit,
  config: VAEConfig,
  step: number,
  beta: number,
): StepTerms {
  const ob = config.objective, s = schedule(ob, step, beta);
  const terms = { reconstruction: reconstruction(f), kl: kl(f, config.klEstimator) };
  return { loss: loss(ob, f, terms, s), terms: { ...terms, ...s } };
}

/** What is wrong with a VAE's saved training state, if anything: β must be ≥ 0. */
export function checkBeta(state: Record<string, number>): string | undefined {
  if (state.beta !== undefined && !(state.beta >= 0)) {
    return `trainingState.beta = ${state.beta}, which must be ≥ 0`;
  }
  return undefined;
}

/** The path under the model's seed of the draws of `VAE.sample`. */
const SAMPLE_STREAM = -1;

/**
 * n draws from a VAE: z ~ p(z), then the mean of p(x|z), [n, D]; the draws
 * depend on the model's seed and on `seed`.
 *
 * @throws {RangeError} If `n` is not an integer ≥ 1 or is too large for
 *   the widest layer, or `seed` is not a safe integer.
 */
export function draw(
  what: string,
  vae: { latentSize: number; prior: Normal; decodeMean(z: tf.Tensor2D): tf.Tensor2D },
  width: number,
  modelSeed: number,
  n: number,
  seed: number,
): tf.Tensor2D {
  const most = Math.max(1, Math.floor(MAX_STEP_ELEMENTS / width));
  assertIntegerIn(what, "n", n, 1, most, "draw larger sets in parts");
  assertSeed(what, "seed", seed);
  const K = vae.latentSize, s = deriveSeed(modelSeed, SAMPLE_STREAM, seed);
  return tf.tidy(() => vae.decodeMean(tf.reshape(vae.prior.sample(n * K, s), [n, K])));
}
