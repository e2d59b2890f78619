// One operation at a time on a model, and none after dispose: a step, a save
// or an evaluation started while another runs would see (or save) weights
// from the middle of a step.

/** Tracks the operation in progress on a model and whether it was disposed. */
export class ModelGuard {
  /** The operation in progress (a step, a save, an evaluation), if any. */
  #busy: string | undefined;
  #disposed = false;

  /** Whether the model has been disposed. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Throws a TypeError if the model has been disposed. */
  assertLive(what: string): void {
    if (this.#disposed) {
      throw new TypeError(`${what} cannot run as the model has been disposed`);
    }
  }

  /** Runs `run` as the one operation in progress, refusing to start beside another. */
  async exclusive<T>(what: string, run: () => Promise<T>): Promise<T> {
    this.assertLive(what);
    if (this.#busy) {
      throw new TypeError(
        `${what} cannot start while ${this.#busy} of this model is running: await it first`,
      );
    }
    this.#busy = what;
    try {
      return await run();
    } finally {
      this.#busy = undefined;
    }
  }

  /**
   * Marks the model disposed; returns false if it already was.
   *
   * @throws {TypeError} If an operation is in progress.
   */
  dispose(what: string): boolean {
    if (this.#disposed) return false;
    if (this.#busy) {
      throw new TypeError(
        `${what} cannot run while ${this.#busy} of this model is running: await it first`,
      );
    }
    this.#disposed = true;
    return true;
  }
}
