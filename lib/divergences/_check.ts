import { className } from "../math/_pair_registry.ts";

/**
 * Throws a TypeError unless p and q are instances of the given classes and
 * of one event size: the closed-form KL functions read their fields directly.
 */
export function checkPair(
  what: string,
  p: unknown,
  q: unknown,
  // deno-lint-ignore no-explicit-any
  classes: ReadonlyArray<abstract new (...args: any[]) => unknown>,
): void {
  const names = classes.map((c) => c.name).join(" or ");
  for (const [name, v] of [["p", p], ["q", q]] as const) {
    if (!classes.some((c) => v instanceof c)) {
      throw new TypeError(
        `Cannot compute ${what} as ${name} must be a ${names}: current value is ${className(v)}`,
      );
    }
  }
  const a = (p as { eventSize: number }).eventSize, b = (q as { eventSize: number }).eventSize;
  if (a !== b) {
    throw new TypeError(
      `Cannot compute ${what} as p and q differ in size: p has ${a} coordinates, q has ${b}`,
    );
  }
}
