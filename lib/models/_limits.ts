// Sizes the models refuse to exceed, so that a mistyped number fails at once
// with a RangeError that says why, instead of allocating without limit,
// hanging, or crashing deep in a backend (WebAssembly's heap is 32-bit: 4 GiB
// of addresses, shared by every tensor).

/**
 * The most elements of the largest activation of a training step, rows × k ×
 * width (k importance samples, width the widest layer). A step keeps about a
 * dozen tensors of that size for its backward pass (measured: 12× for a
 * 784-400-20 IWAE), so 2²⁵ float32 values (128 MiB) bound a step near
 * 1.5 GiB, which the wasm backend can still hold.
 */
export const MAX_STEP_ELEMENTS = 2 ** 25;

/**
 * The most parameters of a model: its weights, Adam's two moments and a
 * gradient are four float32 copies, 512 MiB at 2²⁵ parameters.
 */
export const MAX_PARAMETERS = 2 ** 25;

/**
 * The elements of one tensor of an evaluation chunk (rows × samples × width):
 * 2²¹ float32 values, 8 MiB. Evaluation runs in chunks of this size, so its
 * memory does not grow with the number of importance samples.
 */
export const EVALUATION_CHUNK_ELEMENTS = 2 ** 21;

/**
 * The most importance samples per example of an evaluation. Time grows
 * linearly with k; beyond 2²⁰ draws per example an evaluation of a
 * 1,000-example test set would run for days.
 */
export const MAX_IMPORTANCE_SAMPLES = 2 ** 20;
