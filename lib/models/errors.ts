/** Which part of a training step stopped being finite. */
export type BrokenTerm = "batch" | "reconstruction" | "kl" | "gradient";

/**
 * A training step met a non-finite value. The step was not applied: the
 * weights (and optimiser state) are as they were before it.
 */
export class NonFiniteError extends Error {
  /** What broke: the input batch, a loss term, or the gradient. */
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
      : `the ${term === "kl" ? "KL" : "reconstruction"} term became ${value}`;
    super(
      `Training step ${step}: ${what}${
        detail ? ` (${detail})` : ""
      }; the step was not applied and the weights are unchanged`,
    );
    this.name = "NonFiniteError";
    this.term = term;
    this.step = step;
    this.value = value;
  }
}
