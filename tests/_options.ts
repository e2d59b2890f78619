// The suite's check that a public function refuses an option it does not
// take, in the package's one message style:
// "<what> as options.<typo> is not an option (choose from a, b, c): current value is 5".
import assert from "node:assert/strict";

/** One public function, called with valid arguments plus the options given. */
export interface OptionsCase {
  /** The function's name, for the test step. */
  label: string;
  /** The prefix of its messages ("Cannot compute elbo"). */
  what: string;
  /** The keys it takes, in the order its message lists them. */
  keys: readonly string[];
  /** Calls it with `options` (valid ones plus the typo); may return a promise. */
  call: (options: Record<string, unknown>) => unknown;
  /** Valid options to keep beside the typo. */
  valid?: Record<string, unknown>;
  /** What the options object is called (default "options"). */
  name?: string;
}

/**
 * Asserts that `c.call` refuses the misspelt key `typo` with a TypeError
 * whose message is exactly the house style, naming the key, the function
 * and every option it takes.
 */
export async function assertRefusesUnknownOption(c: OptionsCase, typo = "sampels"): Promise<void> {
  const expected = `${c.what} as ${c.name ?? "options"}.${typo} is not an option (choose from ${
    c.keys.join(", ")
  }): current value is 5`;
  let error: unknown;
  try {
    await c.call({ ...c.valid, [typo]: 5 });
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof TypeError, `${c.label}: expected a TypeError, got ${error}`);
  assert.equal(error.message, expected, c.label);
}
