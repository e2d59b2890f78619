import { show } from "../math/_validate.ts";

/** A message part as text, whatever it is (an error must construct for any input). */
const text = (v: unknown): string => (typeof v === "string" ? v : show(v));

/**
 * A saved model or checkpoint cannot be used: a file is missing, truncated,
 * corrupt (its checksum does not match), of the wrong kind, or describes
 * something other than the model it belongs to. The message names the file
 * and what is wrong; nothing of the checkpoint has been used.
 *
 * @example
 * ```ts
 * import { CheckpointError, VAE } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
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
