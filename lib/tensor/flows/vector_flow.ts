// What the trainable flows share: points are vectors of `eventSize` (the
// last axis), computed as rows of a matrix; their variables are theirs to
// dispose; and a view of the same flow computed with other tensors in place
// of its variables, which is how a surrogate's builder uses a flow.
import { tf } from "../_tf.ts";
import { markDisposed } from "../_validate.ts";
import { checkEventRank, checkEventShape, checkPoint } from "../bijectors/_check.ts";
import { sumEventAxes, type TensorBijector } from "../bijectors/bijector.ts";

/** The view `withParameters` is making, read once by the subclass's constructor. */
let pendingView: { layout: unknown; params: readonly tf.Tensor[] } | undefined;

/**
 * For a subclass's constructor, before `super`: the layout and tensors of
 * the view being made, or undefined for a flow with fresh variables.
 */
export function takeView<L>(): { layout: L; params: readonly tf.Tensor[] } | undefined {
  const view = pendingView as { layout: L; params: readonly tf.Tensor[] } | undefined;
  pendingView = undefined;
  return view;
}

/**
 * Runs `make` (which calls a subclass's constructor) with `layout` and
 * `params` waiting for it: a view computing with tensors the caller keeps,
 * unchecked (a flow's `view` checks them against its variables first).
 */
export function makeView<T extends VectorFlow>(
  layout: unknown,
  params: readonly tf.Tensor[],
  make: () => T,
): T {
  pendingView = { layout, params };
  try {
    return make();
  } finally {
    pendingView = undefined;
  }
}

/** A trainable vector bijector: a flow layer of {@linkcode VectorFlow}'s kind. */
export abstract class VectorFlow implements TensorBijector {
  abstract readonly name: string;
  /** 1: a point is a vector. */
  readonly minEventRank: number = 1;
  /** The length of a point. */
  readonly eventSize: number;
  /** The variables a fit moves (none for a view made by `withParameters`). */
  readonly trainableVariables: tf.Variable[];
  /** The tensors the flow computes with: its variables, or a view's stand-ins. */
  protected readonly params: readonly tf.Tensor[];

  /**
   * A flow of points of `eventSize`, owning `variables`, or a view computing
   * with `params` in their place (then it owns nothing).
   */
  protected constructor(
    eventSize: number,
    variables: tf.Variable[],
    params?: readonly tf.Tensor[],
  ) {
    if (new.target === VectorFlow) {
      throw new TypeError(
        "Cannot construct VectorFlow as it is abstract: construct a MaskedAutoregressiveFlow or a RealNVP",
      );
    }
    this.eventSize = eventSize;
    this.trainableVariables = params ? [] : variables;
    this.params = params ?? variables;
  }

  /** y = f(x) and log |det ∂y/∂x| of each row of x `[n, D]`. */
  protected abstract forwardRows(x: tf.Tensor2D): { y: tf.Tensor2D; logDet: tf.Tensor1D };
  /** x = f⁻¹(y) and log |det ∂x/∂y| of each row of y `[n, D]`. */
  protected abstract inverseRows(y: tf.Tensor2D): { x: tf.Tensor2D; logDet: tf.Tensor1D };

  /**
   * The same flow computed with `params` in place of its variables, in the
   * order of `trainableVariables`: a view that owns nothing (its `dispose()`
   * frees nothing), for a surrogate's builder and for stopped gradients.
   */
  abstract withParameters(params: readonly tf.Tensor[]): VectorFlow;

  /**
   * A view of this flow: checks `params`, then runs `make` (which calls the
   * subclass's constructor) with `layout` and `params` waiting for it.
   */
  protected view<T extends VectorFlow>(
    layout: unknown,
    params: readonly tf.Tensor[],
    make: () => T,
  ): T {
    this.checkParameters(params);
    return makeView(layout, params, make);
  }

  /** Throws unless `params` match the variables' count and shapes. */
  protected checkParameters(params: readonly tf.Tensor[]): void {
    const what = `Cannot compute ${this.name}.withParameters`;
    const want = this.params;
    if (
      !Array.isArray(params) || params.length !== want.length ||
      !params.every((p, i) =>
        p instanceof tf.Tensor && !p.isDisposed && p.shape.join() === want[i]!.shape.join()
      )
    ) {
      throw new TypeError(
        `${what} as params must be ${want.length} live tensors of the variables' shapes [${
          want.map((p) => `[${p.shape}]`).join(", ")
        }]`,
      );
    }
  }

  #rows(what: string, name: string, t: unknown): asserts t is tf.Tensor {
    checkPoint(what, name, t, 1);
    if (t.shape[t.rank - 1] !== this.eventSize) {
      throw new TypeError(
        `${what} as ${name} must end in the event size ${this.eventSize}: current shape is [${t.shape}]`,
      );
    }
  }

  #apply(
    what: string,
    name: "x" | "y",
    t: unknown,
    eventRank: number | undefined,
    f: (rows: tf.Tensor2D) => { out: tf.Tensor2D; logDet: tf.Tensor1D },
  ): { out: tf.Tensor; logDet: tf.Tensor } {
    this.#rows(what, name, t);
    if (eventRank !== undefined) checkEventRank(what, eventRank, 1, t.rank);
    return tf.tidy(() => {
      const r = f(tf.reshape(t, [-1, this.eventSize]) as tf.Tensor2D);
      const perPoint = tf.reshape(r.logDet, t.shape.slice(0, -1));
      return {
        out: tf.reshape(r.out, t.shape),
        logDet: sumEventAxes(perPoint, (eventRank ?? 1) - 1),
      };
    });
  }

  #forward = (rows: tf.Tensor2D) => {
    const r = this.forwardRows(rows);
    return { out: r.y, logDet: r.logDet };
  };

  #inverse = (rows: tf.Tensor2D) => {
    const r = this.inverseRows(rows);
    return { out: r.x, logDet: r.logDet };
  };

  /** f(x) and log |det ∂f/∂x|, in one pass. */
  forwardAndLogDet(x: tf.Tensor, eventRank: number): { y: tf.Tensor; logDet: tf.Tensor } {
    const r = this.#apply(
      `Cannot compute ${this.name}.forwardAndLogDet`,
      "x",
      x,
      eventRank,
      this.#forward,
    );
    return { y: r.out, logDet: r.logDet };
  }

  /** f⁻¹(y) and log |det ∂f⁻¹/∂y|, in one pass. */
  inverseAndLogDet(y: tf.Tensor, eventRank: number): { x: tf.Tensor; logDet: tf.Tensor } {
    const r = this.#apply(
      `Cannot compute ${this.name}.inverseAndLogDet`,
      "y",
      y,
      eventRank,
      this.#inverse,
    );
    return { x: r.out, logDet: r.logDet };
  }

  #only(r: { out: tf.Tensor; logDet: tf.Tensor }, keep: "out" | "logDet"): tf.Tensor {
    tf.dispose(keep === "out" ? r.logDet : r.out);
    return r[keep];
  }

  /** f(x), point by point. */
  forward(x: tf.Tensor): tf.Tensor {
    const what = `Cannot compute ${this.name}.forward`;
    return this.#only(this.#apply(what, "x", x, undefined, this.#forward), "out");
  }

  /** f⁻¹(y), point by point. */
  inverse(y: tf.Tensor): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverse`;
    return this.#only(this.#apply(what, "y", y, undefined, this.#inverse), "out");
  }

  /** log |det ∂f/∂x|, summed over the last `eventRank` axes. */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.forwardLogDetJacobian`;
    return this.#only(this.#apply(what, "x", x, eventRank, this.#forward), "logDet");
  }

  /** log |det ∂f⁻¹/∂y|, summed over the last `eventRank` axes. */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor {
    const what = `Cannot compute ${this.name}.inverseLogDetJacobian`;
    return this.#only(this.#apply(what, "y", y, eventRank, this.#inverse), "logDet");
  }

  /** `shape`, which must end in the event size. */
  forwardEventShape(shape: number[]): number[] {
    return this.#eventShape(`Cannot compute ${this.name}.forwardEventShape`, shape);
  }

  /** `shape`, which must end in the event size. */
  inverseEventShape(shape: number[]): number[] {
    return this.#eventShape(`Cannot compute ${this.name}.inverseEventShape`, shape);
  }

  #eventShape(what: string, shape: number[]): number[] {
    checkEventShape(what, shape, 1);
    if (shape[shape.length - 1] !== this.eventSize) {
      throw new TypeError(
        `${what} as shape must end in the event size ${this.eventSize}: current value is [${shape}]`,
      );
    }
    return [...shape];
  }

  /** Whether `dispose()` was called (or a variable was disposed by other means). */
  get isDisposed(): boolean {
    return this.trainableVariables.some((v) => v.isDisposed);
  }

  /** Frees the variables (a view made by `withParameters` owns none). */
  dispose(): void {
    tf.dispose(this.trainableVariables);
    if (this.trainableVariables.length > 0) markDisposed(this, this.name);
  }
}

/** Checks a flow's hidden layer widths: 1 to 8 integers in [1, 4096]. */
export function checkSizes(what: string, name: string, sizes: unknown): readonly number[] {
  const typed = Array.isArray(sizes) && sizes.every((s) => typeof s === "number");
  if (
    !typed || sizes.length === 0 || sizes.length > 8 ||
    !sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= 4096)
  ) {
    // A wrong type (not an array of numbers) is a TypeError, a number out of range a RangeError.
    throw new (typed ? RangeError : TypeError)(
      `${what} as ${name} must be 1 to 8 layer widths, integers in [1, 4096]: current value is ${
        JSON.stringify(sizes)
      }`,
    );
  }
  return [...sizes];
}
