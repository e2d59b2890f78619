import { show } from "../math/_validate.ts";

/** A message part as text, whatever it is (an error must construct for any input). */
const text = (v: unknown): string => (typeof v === "string" ? v : show(v));

/**
 * Which part of a training step stopped being finite: the input `"batch"`,
 * the `"gradient"`, the `"loss"` (the weighted sum of finite terms, or
 * `fitSurrogatePosterior`'s loss), `"targetLogProb"` (the user's target of
 * `fitSurrogatePosterior`), or the key of one of the loss terms (the
 * VAE's `"reconstruction"` and `"kl"`, the autoencoder's `"reconstruction"`,
 * see `ModelReport.terms`).
 */
export type BrokenTerm = string;

/**
 * A training step met a non-finite value. The step was not applied: the
 * weights (and optimiser state) are as they were before it — a model's
 * weights in `@elbo/elbo/models`, a surrogate's variables in
 * `fitSurrogatePosterior`.
 */
export class NonFiniteError extends Error {
  /** What broke: `"batch"`, `"gradient"`, or the key of a loss term. */
  readonly term: BrokenTerm;
  /** The 1-based training step that failed. */
  readonly step: number;
  /** The offending value (NaN or ±Infinity), when known. */
  readonly value: number;

  /**
   * Creates the error.
   *
   * @param term What broke.
   * @param step The step.
   * @param value The value.
   * @param detail Extra words for the message.
   */
  constructor(term: BrokenTerm, step: number, value: number, detail = "") {
    const what = term === "batch"
      ? "the input batch holds a non-finite value"
      : term === "gradient"
      ? "the gradient became non-finite"
      : term === "targetLogProb"
      ? `the target log-density (targetLogProb) became ${text(value)}`
      : `the loss term ${text(term)} became ${text(value)}`;
    super(
      `Training step ${text(step)}: ${what}${
        detail ? ` (${text(detail)})` : ""
      }; the step was not applied and the weights are unchanged`,
    );
    this.name = "NonFiniteError";
    this.term = term;
    this.step = step;
    this.value = value;
  }
}
