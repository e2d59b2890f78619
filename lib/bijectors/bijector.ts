/**
 * An invertible, differentiable map f: X → Y with its log-Jacobians, in the
 * style of TensorFlow Probability's bijectors: what
 * {@linkcode TransformedDistribution} pushes a base distribution through.
 *
 * Points are numbers or arrays of numbers. Elementwise bijectors (`Exp`,
 * `Softplus`, `Sigmoid`, `Shift`, `Scale`) take either, coordinate by
 * coordinate, and their log-Jacobians of an array are sums over its
 * coordinates; vector bijectors (`FillScaleTriL`, `SoftmaxCentered`) take
 * arrays and change their length.
 *
 * ```text
 * forwardLogDetJacobian(x) = log |det ∂f(x)/∂x|
 * inverseLogDetJacobian(y) = log |det ∂f⁻¹(y)/∂y| = −forwardLogDetJacobian(f⁻¹(y))
 * ```
 */
export interface Bijector {
  /** A short name for messages, such as "Exp" or "Chain([Exp, Shift])". */
  readonly name: string;
  /**
   * The length of f(x) for an x of `size` coordinates.
   *
   * @throws {TypeError} If the bijector does not take points of that size.
   */
  forwardEventSize(size: number): number;
  /**
   * The length of f⁻¹(y) for a y of `size` coordinates.
   *
   * @throws {TypeError} If the bijector does not give points of that size.
   */
  inverseEventSize(size: number): number;
  /** f(x). */
  forward(x: number): number;
  /** f(x), for an array. */
  forward(x: ArrayLike<number>): Float64Array;
  /** f⁻¹(y); a RangeError for y outside the range of f. */
  inverse(y: number): number;
  /** f⁻¹(y), for an array. */
  inverse(y: ArrayLike<number>): Float64Array;
  /** log |det ∂f/∂x| at x. */
  forwardLogDetJacobian(x: number | ArrayLike<number>): number;
  /** log |det ∂f⁻¹/∂y| at y; a RangeError for y outside the range. */
  inverseLogDetJacobian(y: number | ArrayLike<number>): number;
  /**
   * Whether y is in the (open) range of f, where `inverse` and
   * `inverseLogDetJacobian` are defined: a transformed density is 0 elsewhere.
   */
  inRange(y: number | ArrayLike<number>): boolean;
}

/** Whether `b` has the shape of a {@linkcode Bijector}. */
export function isBijector(b: unknown): b is Bijector {
  const r = b as Record<string, unknown> | null;
  return r !== null && typeof r === "object" &&
    [
      "forward",
      "inverse",
      "forwardLogDetJacobian",
      "inverseLogDetJacobian",
      "inRange",
      "forwardEventSize",
      "inverseEventSize",
    ].every((m) => typeof r[m] === "function");
}
