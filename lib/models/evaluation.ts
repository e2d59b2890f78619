// The public types of VAE.evaluate: its options and what it reports.

/** The options of {@linkcode VAE.evaluate}. */
export interface EvaluateOptions {
  /** k, the importance samples per example (default 50, at most 2²⁰). */
  importanceSamples?: number;
  /** Rows per batch (default 100; lowered to fit the memory bound). */
  batchSize?: number;
  /** The seed of the draws: any safe integer (default 0). */
  seed?: number;
  /** At most this many importance samples per tensor op (default: as many as fit 8 MiB). */
  chunkSize?: number;
}

/** What {@linkcode VAE.evaluate} reports, per example (nats). */
export type Evaluation = {
  /** The ELBO, E_q[log p(x|z)] − KL (the expectation averaged over the k draws, the KL analytic). */
  elbo: number;
  /** The importance-sampled log p(x), L_k with k = importanceSamples. */
  logLikelihood: number;
  /** −E_q[log p(x|z)]. */
  reconstruction: number;
  /** KL(q(z|x) ‖ p(z)). */
  kl: number;
  /** The KL of each latent coordinate. */
  klPerDimension: number[];
  /** Latent coordinates whose posterior mean varies across the data: Cov_x(E_q[z_u]) > 0.01 (Burda et al.). */
  activeUnits: number;
  /** k of the importance-sampled log p(x). */
  importanceSamples: number;
  /** How many examples were evaluated. */
  examples: number;
};
