import { show } from "../math/_validate.ts";

/** A message part as text, whatever it is (an error must construct for any input). */
const text = (v: unknown): string => (typeof v === "string" ? v : show(v));

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
      : `the ${term === "kl" ? "KL" : "reconstruction"} term became ${text(value)}`;
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

/**
 * A saved model or checkpoint cannot be used: a file is missing, truncated,
 * corrupt (its checksum does not match), of the wrong kind, or describes
 * something other than the model it belongs to. The message names the file
 * and what is wrong; nothing of the checkpoint has been used.
 *
 * @example
 * ```ts
 * import { CheckpointError, useBackend, VAE } from "@elbo/elbo/models";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const dir = await Deno.makeTempDir();
 * await assert.rejects(() => VAE.load(dir), CheckpointError);
 * await Deno.remove(dir);
 * ```
 */
export class CheckpointError extends Error {
  /** The file at fault (a path, or a URL when loaded over HTTP), when one is. */
  readonly file: string | undefined;

  /**
   * Creates the error.
   *
   * @param message What is wrong and where.
   * @param options `file`: the file at fault; `cause`: the underlying error.
   */
  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super(text(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckpointError";
    this.file = options?.file === undefined ? undefined : text(options.file);
  }
}
