/** Throws a TypeError unless p and q have one event shape (the KL of `what` compares points). */
export function sameEvent(
  what: string,
  p: { eventShape: number[] },
  q: { eventShape: number[] },
): void {
  if (p.eventShape.join() !== q.eventShape.join()) {
    throw new TypeError(
      `Cannot compute ${what} as p and q differ in event shape: p is [${p.eventShape}], q is [${q.eventShape}]`,
    );
  }
}
