// The tolerance helpers the suite shares: the public ones of
// @elbo/elbo/testing (assertClose, assertAllClose, assertWithinSE, FLOAT32),
// and assertThrowsNaming, which only the suite needs.
import { AssertionError } from "node:assert/strict";

export {
  assertAllClose,
  assertClose,
  assertFloat32Close,
  assertWithinSE,
  FLOAT32,
  FLOAT32_TINY,
  float32Sensitivity,
  float32Tolerance,
  type Tolerance,
} from "../lib/testing/tolerance.ts";

/** Asserts that `fn` throws an error of class `type` whose message contains every fragment. */
export function assertThrowsNaming(
  fn: () => unknown,
  type: new (...args: never[]) => Error,
  ...fragments: string[]
): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof type)) {
    throw new AssertionError({ message: `expected ${type.name}, got ${String(thrown)}` });
  }
  for (const f of fragments) {
    if (!thrown.message.includes(f)) {
      throw new AssertionError({ message: `message "${thrown.message}" does not mention "${f}"` });
    }
  }
}
