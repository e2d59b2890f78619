// What a model reports, in one shape for every model, so that a trainer, a
// progress line or a report reads a model's numbers and labels without
// knowing its class.

/**
 * What one training step reports, per example: the loss minimised and the
 * model's terms by key (the VAE's `reconstruction`, `kl` and the weights
 * `beta`, `capacity` of its objective; the autoencoder's `reconstruction`).
 * `report.terms` lists the keys with their labels.
 */
export interface StepResult {
  /** The objective minimised at this step. */
  loss: number;
  /** The model's terms of this step, by key. */
  terms: Record<string, number>;
}

/** A number a model reports, and the words that show it. */
export interface Quantity {
  /** Its key in `StepResult.terms` or in the evaluation. */
  key: string;
  /** A short label, for a progress line: "rec", "KL", "β", "ELBO". */
  label: string;
  /** A description, for a table: "test reconstruction −E_q[log p(x|z)]". */
  description: string;
}

/** A step's term: a quantity averaged over the batch, or a weight the step used. */
export interface Term extends Quantity {
  /**
   * True for a weight set for the step (β, the capacity C): an epoch reports
   * its last value, not its mean, and a report plots it beside the KL.
   */
  weight?: boolean;
}

/**
 * What a model reports: its step terms and evaluation metrics with their
 * labels, the test counterpart of its loss, and which figures it has.
 */
export interface ModelReport {
  /** The keys of `StepResult.terms`, in display order. */
  terms: readonly Term[];
  /** The numbers of `evaluate` a results table lists, the headline first. */
  metrics: readonly Quantity[];
  /**
   * The evaluation's counterpart of the training loss, `sign × evaluation[key]`
   * (the VAE: −ELBO; the autoencoder: its squared error), with its label.
   */
  testLoss: { key: string; sign: 1 | -1; label: string };
  /** The unit of the loss, for plots: "nats", "squared error". */
  unit: string;
  /** A number the evaluation gives per latent coordinate (the VAE's KL), to chart. */
  perLatent?: Quantity;
  /**
   * Whether the model draws new data from a prior, so that a report shows
   * its samples and its latent traversals.
   */
  generative: boolean;
}
