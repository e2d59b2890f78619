/** The fast-check settings every law takes. */
export interface LawOptions {
  /**
   * How many cases to generate: fast-check's `numRuns` (its global setting,
   * 100 unless configured, for an arbitrary; 1 for a fixed value).
   */
  numRuns?: number;
  /** fast-check's seed, to replay a failure (the message of one prints it). */
  seed?: number;
  /** fast-check's path, with `seed`, to replay a failure at once. */
  path?: string;
}
