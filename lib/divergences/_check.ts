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
  // The checks run on every call: no strings or arrays unless one fails.
  const ok = (v: unknown) => {
    for (let i = 0; i < classes.length; i++) if (v instanceof classes[i]!) return true;
    return false;
  };
  if (!ok(p) || !ok(q)) {
    const names = classes.map((c) => c.name).join(" or ");
    const [name, v] = ok(p) ? ["q", q] : ["p", p];
    throw new TypeError(
      `Cannot compute ${what} as ${name} must be a ${names}: current value is ${className(v)}`,
    );
  }
  const a = (p as { eventSize: number }).eventSize, b = (q as { eventSize: number }).eventSize;
  if (a !== b) {
    throw new TypeError(
      `Cannot compute ${what} as p and q differ in size: p has ${a} coordinates, q has ${b}`,
    );
  }
}
