import { tf } from "../_tf.ts";

/**
 * An invertible, differentiable map f on tensors with its log-Jacobians: the
 * float32, batched twin of the core's `Bijector`, with the same names, and
 * what the tensor `TransformedDistribution` pushes a base distribution
 * through.
 *
 * A bijector acts on the trailing `eventRank` axes of a tensor (0 for an
 * elementwise map such as `Exp`, 1 for a vector map such as
 * `SoftmaxCentered`); the leading axes are a batch, mapped point by point.
 * The log-Jacobians are summed over the event axes of the point they are
 * asked about, so they have the shape of the leading axes:
 *
 * ```text
 * forwardLogDetJacobian(x, eventRank) = log |det ∂f(x)/∂x|,   shape x.shape[: rank − eventRank]
 * inverseLogDetJacobian(y, eventRank) = log |det ∂f⁻¹(y)/∂y| = −forwardLogDetJacobian(f⁻¹(y), eventRank)
 * ```
 *
 * Every method returns new tensors the caller disposes (or runs inside
 * `tf.tidy`), and each is differentiable by tfjs autodiff in its input and in
 * the bijector's own parameters.
 */
export interface TensorBijector {
  /** A short name for messages, such as "Exp" or "Chain([Exp, Shift])". */
  readonly name: string;
  /**
   * The smallest number of trailing axes the bijector acts on together: 0 for
   * elementwise maps, 1 for vector maps.
   */
  readonly minEventRank: number;
  /**
   * The event shape of f(x) for an x of event shape `shape`.
   *
   * @throws {TypeError} If the bijector does not take points of that shape.
   */
  forwardEventShape(shape: number[]): number[];
  /**
   * The event shape of f⁻¹(y) for a y of event shape `shape`.
   *
   * @throws {TypeError} If the bijector does not give points of that shape.
   */
  inverseEventShape(shape: number[]): number[];
  /** f(x), point by point. */
  forward(x: tf.Tensor): tf.Tensor;
  /** f⁻¹(y), point by point. */
  inverse(y: tf.Tensor): tf.Tensor;
  /**
   * log |det ∂f/∂x| at x, summed over its last `eventRank` axes
   * (≥ `minEventRank`).
   */
  forwardLogDetJacobian(x: tf.Tensor, eventRank: number): tf.Tensor;
  /**
   * log |det ∂f⁻¹/∂y| at y, summed over the axes of one point. `eventRank`
   * counts the axes of a point x = f⁻¹(y), as in `forwardLogDetJacobian`
   * (the same number where f keeps the rank; a `FillScaleTriL`'s y has one
   * axis more than its x), so the result has the shape of the
   * `forwardLogDetJacobian` at x.
   */
  inverseLogDetJacobian(y: tf.Tensor, eventRank: number): tf.Tensor;
  /** Frees the tensors the bijector made itself (never the caller's). */
  dispose(): void;
  /**
   * f(x) and log |det ∂f/∂x| together (optional: for a bijector whose two
   * share their work, such as a flow layer; see {@linkcode forwardAndLogDet}).
   */
  forwardAndLogDet?(x: tf.Tensor, eventRank: number): { y: tf.Tensor; logDet: tf.Tensor };
  /** f⁻¹(y) and log |det ∂f⁻¹/∂y| together (optional, as `forwardAndLogDet`). */
  inverseAndLogDet?(y: tf.Tensor, eventRank: number): { x: tf.Tensor; logDet: tf.Tensor };
}

/**
 * f(x) and log |det ∂f/∂x| at x: in one pass where the bijector offers it,
 * else its two methods.
 */
export function forwardAndLogDet(
  b: TensorBijector,
  x: tf.Tensor,
  eventRank: number,
): { y: tf.Tensor; logDet: tf.Tensor } {
  if (b.forwardAndLogDet) return b.forwardAndLogDet(x, eventRank);
  return { y: b.forward(x), logDet: b.forwardLogDetJacobian(x, eventRank) };
}

/**
 * f⁻¹(y) and log |det ∂f⁻¹/∂y| at y: in one pass where the bijector offers
 * it, else its two methods.
 */
export function inverseAndLogDet(
  b: TensorBijector,
  y: tf.Tensor,
  eventRank: number,
): { x: tf.Tensor; logDet: tf.Tensor } {
  if (b.inverseAndLogDet) return b.inverseAndLogDet(y, eventRank);
  return { x: b.inverse(y), logDet: b.inverseLogDetJacobian(y, eventRank) };
}

/** Whether `b` has the shape of a {@linkcode TensorBijector}. */
export function isTensorBijector(b: unknown): b is TensorBijector {
  const r = b as Record<string, unknown> | null;
  return r !== null && typeof r === "object" && typeof r.minEventRank === "number" &&
    [
      "forward",
      "inverse",
      "forwardLogDetJacobian",
      "inverseLogDetJacobian",
      "forwardEventShape",
      "inverseEventShape",
      "dispose",
    ].every((m) => typeof r[m] === "function");
}

/** Sums a per-element log-Jacobian over the last `eventRank` axes. */
export function sumEventAxes(t: tf.Tensor, eventRank: number): tf.Tensor {
  if (eventRank === 0) return t;
  const axes = Array.from({ length: eventRank }, (_, i) => t.rank - eventRank + i);
  return tf.sum(t, axes);
}
