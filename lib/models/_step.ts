// A training step: the batch checked (type, shape, values, memory) and
// turned into a tensor; the loss and terms read back and checked, with the
// gradients, before any update is applied.
import { tf } from "../tensor/_tf.ts";
import { assertIntegerIn } from "../math/_validate.ts";
import { assertTensor, describe, firstBadValue } from "../tensor/_validate.ts";
import { TensorAdam } from "../tensor/adam.ts";
import { NonFiniteError } from "./errors.ts";
import { MAX_STEP_ELEMENTS } from "./_limits.ts";

/** Throws a TypeError unless `x` is a live float32 tensor [rows, `columns`]. */
export function assertColumns(what: string, name: string, x: unknown, columns: number): void {
  assertTensor(what, name, x, 2);
  if (x.shape[1] !== columns) {
    throw new TypeError(
      `${what} as ${name} must have ${columns} columns: current shape is [${x.shape}]`,
    );
  }
}

/**
 * Throws a RangeError (saying what would fit) unless a step on `rows` rows
 * with k decodes per row fits: rows × k × the widest layer ≤ 2²⁵ values.
 */
export function assertStepFits(what: string, rows: number, k: number, width: number): void {
  assertIntegerIn(what, "the batch's rows", rows, 1, Number.MAX_SAFE_INTEGER);
  if (rows * k * width > MAX_STEP_ELEMENTS) {
    const most = Math.floor(MAX_STEP_ELEMENTS / (k * width));
    throw new RangeError(
      `${what} as a batch of ${rows} rows${
        k > 1 ? ` × ${k} importance samples (objective.k)` : ""
      } × ${width} units needs activations of ${
        rows * k * width
      } values, more than ${MAX_STEP_ELEMENTS} (128 MiB; a step keeps about a dozen of them for its backward pass): ${
        most >= 1 ? `use batches of at most ${most} rows` : "lower objective.k"
      }`,
    );
  }
}

/** What an objective gives on a batch: the loss, and its terms (tensors, or numbers such as β). */
export type StepTerms = { loss: tf.Scalar; terms: Record<string, tf.Scalar | number> };

/** What a batch must be: its columns, the range of its values, and whether a step on it fits. */
export interface BatchRules {
  /** D, the values per row. */
  columns: number;
  /** The values the data may take, if limited (the Bernoulli likelihood's [0, 1]). */
  range?: { min: number; max: number; why: string };
  /** The step the batch is for (named by a NonFiniteError). */
  step: number;
  /** Throws if a step on this many rows would not fit in memory. */
  fits: (rows: number) => void;
}

/**
 * Converts a batch to a tensor (a tensor batch is used as it is), checking
 * its type, shape, size and values: a non-finite value is a NonFiniteError
 * (the step is not taken), a value out of range a RangeError.
 */
export function batchTensor(
  what: string,
  batch: Float32Array | tf.Tensor2D,
  rules: BatchRules,
): tf.Tensor2D {
  const D = rules.columns;
  if (batch instanceof tf.Tensor) {
    assertTensor(what, "batch", batch, 2);
    if (batch.shape[1] !== D || batch.shape[0] === 0) {
      throw new TypeError(
        `${what} as batch must have rows of ${D} columns: current shape is [${batch.shape}]`,
      );
    }
    rules.fits(batch.shape[0]);
    return batch;
  }
  if (!(batch instanceof Float32Array)) {
    throw new TypeError(
      `${what} as batch must be a Float32Array or a 2-D tensor of rows of ${D} values: current value is ${
        describe(batch)
      }`,
    );
  }
  if (batch.length === 0 || batch.length % D !== 0) {
    throw new TypeError(
      `${what} as batch must be a Float32Array of whole rows of ${D} values: current length is ${batch.length}`,
    );
  }
  rules.fits(batch.length / D);
  const range = rules.range, i = firstBadValue(batch, range);
  if (i >= 0) {
    const at = `row ${Math.floor(i / D)}, column ${i % D}`;
    if (!Number.isFinite(batch[i]!)) throw new NonFiniteError("batch", rules.step, batch[i]!, at);
    throw new RangeError(
      `${what} as batch must hold values in [${range!.min}, ${range!.max}] (${
        range!.why
      }): ${at} is ${batch[i]}`,
    );
  }
  return tf.tensor2d(batch, [batch.length / D, D]);
}

/**
 * Reads a step's loss and its tensor terms back in one asynchronous read
 * (so that it also works on WebGPU, where Deno has no synchronous read),
 * frees them, and checks them and the gradients: a non-finite term, loss or
 * gradient value is a NonFiniteError naming it, and the gradients are freed
 * so that the step is not applied. Returns the loss and the terms by key.
 */
export async function readStep(
  step: number,
  value: tf.Scalar,
  kept: [string, tf.Scalar][],
  grads: (tf.Tensor | undefined)[],
): Promise<{ loss: number; terms: Record<string, number> }> {
  const values = tf.tidy(() => tf.stack([value, ...kept.map(([, t]) => t)]));
  tf.dispose([value, ...kept.map(([, t]) => t)]);
  const read = Array.from(await values.data());
  values.dispose();
  const loss = read[0]!, terms: Record<string, number> = {};
  kept.forEach(([key], i) => (terms[key] = read[i + 1]!));
  const broken = kept.find(([key]) => !Number.isFinite(terms[key]!))?.[0];
  if (broken !== undefined || !Number.isFinite(loss)) {
    tf.dispose(grads);
    throw broken !== undefined
      ? new NonFiniteError(broken, step, terms[broken]!)
      : new NonFiniteError("loss", step, loss);
  }
  const bad = await firstNonFinite(grads);
  if (bad !== undefined) {
    tf.dispose(grads);
    throw new NonFiniteError("gradient", step, bad);
  }
  return { loss, terms };
}

/** The first non-finite gradient value, if any (read only when there is one). */
async function firstNonFinite(grads: (tf.Tensor | undefined)[]): Promise<number | undefined> {
  if (await TensorAdam.allFinite(grads)) return undefined;
  for (const g of grads) {
    if (g === undefined) continue; // a variable the loss does not use
    const v = (await g.data()).find((x) => !Number.isFinite(x));
    if (v !== undefined) return v;
  }
  return NaN;
}

/**
 * One step of `optimizer` on a batch: the batch checked and made a tensor,
 * the objective taped under `tf.variableGrads`, the loss, its tensor terms
 * and the gradients read back and checked together (see
 * {@linkcode readStep}), and only then the update applied. Returns the loss
 * and every term, the objective's number terms (β, C) included.
 */
export async function applyStep(
  what: string,
  batch: Float32Array | tf.Tensor2D,
  rules: BatchRules,
  variables: tf.Variable[],
  optimizer: TensorAdam,
  objective: (x: tf.Tensor2D) => StepTerms,
): Promise<{ loss: number; terms: Record<string, number> }> {
  const x = batchTensor(what, batch, rules);
  const kept: [string, tf.Scalar][] = [], numbers: Record<string, number> = {};
  let value: tf.Scalar, grads: tf.NamedTensorMap;
  try {
    ({ value, grads } = tf.variableGrads(() => {
      const { loss, terms } = objective(x);
      for (const [key, t] of Object.entries(terms)) {
        if (typeof t === "number") numbers[key] = t;
        else kept.push([key, tf.keep(t)]);
      }
      return loss;
    }, variables));
  } finally {
    if (x !== batch) x.dispose();
  }
  const list = variables.map((v) => grads[v.name]);
  const { loss, terms } = await readStep(rules.step, value, kept, list);
  optimizer.apply(variables, list);
  tf.dispose(grads);
  return { loss, terms: Object.assign(terms, numbers) };
}
