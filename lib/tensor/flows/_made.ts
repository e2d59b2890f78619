// MADE (Germain et al. 2015): a network whose output d depends only on the
// inputs before d in a fixed order, by masking the weights of an MLP. Its
// outputs are a shift and a log-scale per coordinate, the parameters of an
// autoregressive flow step (Papamakarios et al. 2017; Kingma et al. 2016).
import { tf } from "../_tf.ts";
import { createRng } from "../../math/rng.ts";

/** The log-scale's bound: s = B tanh(raw / B) keeps each step's scale in (e⁻ᴮ, eᴮ). */
export const LOG_SCALE_BOUND = 4;

/** A MADE's shape: the sizes of its weight matrices and their masks (row-major, in × out). */
export interface MadeLayout {
  readonly eventSize: number;
  readonly hiddenSizes: readonly number[];
  /** The size of an unmasked context input to the first hidden layer (0: none). */
  readonly contextSize: number;
  /** [in, out] of each masked weight matrix, the output layer last. */
  readonly sizes: readonly [number, number][];
  readonly masks: readonly Float32Array[];
}

/**
 * What a MADE flow computes with besides its parameters: its layout, and
 * for a flow conditioned on a context (an IAF step of a VAE's posterior,
 * Kingma et al. 2016), the context's rows [n, C].
 */
export interface MadeView {
  readonly layout: MadeLayout;
  readonly context?: tf.Tensor2D;
}

/**
 * The context of each of `rows` points: the context's n rows repeated, so
 * that points [..., n, D], flattened to rows, meet row j of the context at
 * index j of their second-last axis (none without a context).
 *
 * @throws {TypeError} If `rows` is not a multiple of n.
 */
export function contextRows(
  name: string,
  context: tf.Tensor2D | undefined,
  rows: number,
): tf.Tensor2D | undefined {
  if (context === undefined) return undefined;
  const n = context.shape[0];
  if (rows % n !== 0) {
    throw new TypeError(
      `Cannot compute ${name} as its points must come in groups of the context's ${n} rows ([..., ${n}, D]): current count is ${rows}`,
    );
  }
  return rows === n ? context : tf.tile(context, [rows / n, 1]);
}

/**
 * The masks: input i has degree i + 1, hidden unit k of every layer degree
 * (k mod (D − 1)) + 1, output d (of the shift and of the log-scale) degree
 * d + 1; a weight from degree a to hidden degree b is kept when b ≥ a, to
 * an output of degree b when b > a. So output d sees inputs < d only.
 */
export function madeLayout(
  eventSize: number,
  hiddenSizes: readonly number[],
  contextSize = 0,
): MadeLayout {
  const D = eventSize;
  const inDegrees = Array.from({ length: D }, (_, i) => i + 1);
  const hiddenDegrees = (n: number) =>
    Array.from({ length: n }, (_, k) => (D > 1 ? (k % (D - 1)) + 1 : D + 1));
  const sizes: [number, number][] = [], masks: Float32Array[] = [];
  let from = inDegrees;
  for (const n of hiddenSizes) {
    const to = hiddenDegrees(n);
    sizes.push([from.length, n]);
    masks.push(Float32Array.from(from.flatMap((a) => to.map((b) => (b >= a ? 1 : 0)))));
    from = to;
  }
  const outDegrees = [...inDegrees, ...inDegrees];
  sizes.push([from.length, 2 * D]);
  masks.push(Float32Array.from(from.flatMap((a) => outDegrees.map((b) => (b > a ? 1 : 0)))));
  return { eventSize: D, hiddenSizes: [...hiddenSizes], contextSize, sizes, masks };
}

/**
 * The trainable variables of a MADE: a weight and a bias per layer (hidden
 * weights Glorot-uniform, seeded; the output layer zero, so that the flow
 * step starts as the identity), then the context's weights into the first
 * hidden layer (Glorot-uniform) and into the outputs (zero). With a `name`
 * they are called `${name}/${i}/kernel`, `${name}/${i}/bias`,
 * `${name}/context/kernel` and `${name}/context/output` (a model that saves
 * its weights names them); without one tfjs numbers them.
 */
export function madeVariables(layout: MadeLayout, seed: number, name?: string): tf.Variable[] {
  const rng = createRng(seed);
  const vars: tf.Variable[] = [];
  const named = (part: string) => (name === undefined ? undefined : `${name}/${part}`);
  const uniform = (rows: number, cols: number, zero: boolean, part: string) => {
    const limit = Math.sqrt(6 / (rows + cols));
    const v = Float32Array.from(
      { length: rows * cols },
      () => (zero ? 0 : (2 * rng.uniform() - 1) * limit),
    );
    return tf.tidy(() => tf.variable(tf.tensor2d(v, [rows, cols]), true, named(part)));
  };
  layout.sizes.forEach(([rows, cols], i) => {
    vars.push(uniform(rows, cols, i === layout.sizes.length - 1, `${i}/kernel`));
    vars.push(tf.tidy(() => tf.variable(tf.zeros([cols]), true, named(`${i}/bias`))));
  });
  if (layout.contextSize > 0) {
    vars.push(uniform(layout.contextSize, layout.sizes[0]![1], false, "context/kernel"));
    // Unmasked into the outputs too (zero, as the output layer): else the
    // first coordinate, whose outputs see no hidden unit, would ignore it.
    vars.push(uniform(layout.contextSize, 2 * layout.eventSize, true, "context/output"));
  }
  return vars;
}

/**
 * The tensors {@linkcode madeApply} computes with: `params` in the order of
 * {@linkcode madeVariables}, each weight times its mask — once per map, not
 * once per pass (a MAF's forward map makes D passes).
 */
export function madeMasked(layout: MadeLayout, params: readonly tf.Tensor[]): tf.Tensor[] {
  return params.map((p, i) => {
    const layer = i / 2;
    if (i % 2 !== 0 || layer >= layout.sizes.length) return p; // a bias, or the context's weight
    const [rows, cols] = layout.sizes[layer]!;
    return tf.mul(p, tf.tensor2d(layout.masks[layer]!, [rows, cols]));
  });
}

/**
 * The shift and bounded log-scale of every coordinate, `[n, D]` each, for
 * inputs `x` `[n, D]` (and a context `[n, C]`), computed with the masked
 * tensors of {@linkcode madeMasked}.
 */
export function madeApply(
  layout: MadeLayout,
  masked: readonly tf.Tensor[],
  x: tf.Tensor2D,
  context?: tf.Tensor2D,
): { shift: tf.Tensor2D; logScale: tf.Tensor2D } {
  return tf.tidy(() => {
    let h: tf.Tensor2D = x;
    const last = layout.sizes.length - 1;
    layout.sizes.forEach((_, i) => {
      let a = tf.add(
        tf.matMul(h, masked[2 * i]! as tf.Tensor2D),
        masked[2 * i + 1]!,
      ) as tf.Tensor2D;
      if (context !== undefined && layout.contextSize > 0 && (i === 0 || i === last)) {
        // The context enters the first hidden layer and the outputs, unmasked.
        const v = masked[2 * layout.sizes.length + (i === last ? 1 : 0)]! as tf.Tensor2D;
        a = tf.add(a, tf.matMul(context, v));
      }
      h = i < last ? tf.tanh(a) : a;
    });
    const D = layout.eventSize;
    const shift = tf.slice(h, [0, 0], [-1, D]) as tf.Tensor2D;
    const raw = tf.slice(h, [0, D], [-1, D]);
    const logScale = tf.mul(LOG_SCALE_BOUND, tf.tanh(tf.div(raw, LOG_SCALE_BOUND))) as tf.Tensor2D;
    return { shift, logScale };
  });
}
