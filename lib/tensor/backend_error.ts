import { describe } from "./_validate.ts";

/** A backend that cannot start, with the reason in words. */
export class BackendError extends Error {
  /** The backend that failed. */
  readonly backend: string;
  /**
   * Creates the error.
   *
   * @param backend The backend's name.
   * @param message Why it cannot start.
   */
  constructor(backend: string, message: string) {
    super(typeof message === "string" ? message : describe(message));
    this.name = "BackendError";
    this.backend = typeof backend === "string" ? backend : describe(backend);
  }
}
