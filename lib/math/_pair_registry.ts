// A table of functions keyed by a pair of classes, looked up along both
// prototype chains (so a subclass finds its parent's entry): the mechanism
// behind both KL registries, the float64 core's and the tensor layer's.

import { show } from "./_validate.ts";

// deno-lint-ignore no-explicit-any
export type Ctor = abstract new (...args: any[]) => unknown;

/** Functions of a pair of objects, registered by the pair of their classes. */
export class PairRegistry<F> {
  readonly #rows: Map<Ctor, Map<Ctor, F>> = new Map();

  /**
   * Registers `fn` for (pClass, qClass), checking that all three are
   * functions and the two classes are classes (an arrow function has no
   * prototype: no object is of its class, and the entry would never be found).
   */
  register(what: string, pClass: Ctor, qClass: Ctor, fn: F): void {
    for (const [name, v] of [["pClass", pClass], ["qClass", qClass], ["fn", fn]] as const) {
      if (typeof v !== "function") {
        throw new TypeError(`${what} as ${name} must be a function: current value is ${show(v)}`);
      }
    }
    for (const [name, v] of [["pClass", pClass], ["qClass", qClass]] as const) {
      const proto: unknown = v.prototype;
      if (proto === null || typeof proto !== "object") {
        throw new TypeError(
          `${what} as ${name} must be a class (a constructor with a prototype): current value is ${
            String(v).slice(0, 40)
          }`,
        );
      }
    }
    let row = this.#rows.get(pClass);
    if (!row) this.#rows.set(pClass, row = new Map());
    row.set(qClass, fn);
  }

  /** The entry for the classes of p and q (nearest along both prototype chains). */
  lookup(p: object, q: object): F | undefined {
    for (
      let pp = Object.getPrototypeOf(p);
      pp && pp !== Object.prototype;
      pp = Object.getPrototypeOf(pp)
    ) {
      const row = this.#rows.get(pp.constructor);
      if (!row) continue;
      for (
        let qq = Object.getPrototypeOf(q);
        qq && qq !== Object.prototype;
        qq = Object.getPrototypeOf(qq)
      ) {
        const fn = row.get(qq.constructor);
        if (fn) return fn;
      }
    }
    return undefined;
  }

  /**
   * The entry for p and q, or a TypeError naming both classes, listing the
   * registered pairs and saying what to use instead (`otherwise`).
   */
  find(what: string, p: object, q: object, otherwise: string): F {
    const fn = this.lookup(p, q);
    if (fn) return fn;
    const pairs = this.pairs().map(([a, b]) => `${a}‖${b}`).join(", ");
    throw new TypeError(
      `Cannot compute ${what}(${className(p)}, ${
        className(q)
      }) as p and q have no closed form registered for this pair. Registered pairs: ${pairs}. ${otherwise}`,
    );
  }

  /** The registered pairs, as class names. */
  pairs(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [p, row] of this.#rows) for (const q of row.keys()) out.push([p.name, q.name]);
    return out;
  }
}

/** The class name of an object, for messages (its `show` form if it has none). */
export function className(v: unknown): string {
  if (v === null || typeof v !== "object") return show(v);
  const c = (v as { constructor?: { name?: unknown } }).constructor;
  return typeof c === "function" && typeof c.name === "string" && c.name ? c.name : show(v);
}
