// Adam for tfjs variables, in one pass per variable on the wasm backend.
import { tf } from "./_tf.ts";
import { offsetOf, uninitialised, wasmKernels } from "./_wasm_kernels.ts";

/** Adam's state as a checkpoint holds it. */
export interface AdamState {
  /** Steps taken. */
  iterations: number;
  /** β₁ᵗ and β₂ᵗ as the running float32 products Adam keeps. */
  beta1Power: number;
  beta2Power: number;
  /** The first moment of each variable, then the second, in the variables' order (empty before a step). */
  slots: Float32Array[];
}

const f32 = Math.fround;

/**
 * Adam (Kingma and Ba, 2015) on tfjs variables, computing exactly what
 * tfjs's `tf.train.adam` computes, operation by operation in float32:
 *
 * ```text
 * m ← m·β₁ + g·(1 − β₁),   v ← v·β₂ + g²·(1 − β₂)
 * θ ← ((m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε))·(−α) + θ
 * ```
 *
 * On the wasm backend each variable is updated by one SIMD pass over its
 * memory (m and v in place, θ into a new buffer: tfjs-wasm caches packed
 * matrices by tensor, so a variable's values are never changed in place);
 * on other backends by tfjs ops. Both give tfjs's bits.
 */
export class TensorAdam {
  readonly #lr: number;
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #epsilon: number;
  #m: tf.Tensor[] = [];
  #v: tf.Tensor[] = [];
  #iterations = 0;
  #beta1Power: number;
  #beta2Power: number;

  /**
   * @param learningRate α (checked by the caller).
   * @param epsilon ε; default the backend's (1e-7 for float32), as tfjs.
   */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    this.#lr = learningRate;
    this.#beta1 = beta1;
    this.#beta2 = beta2;
    this.#epsilon = epsilon ?? tf.backend().epsilon();
    this.#beta1Power = f32(beta1);
    this.#beta2Power = f32(beta2);
  }

  /** Steps taken. */
  get iterations(): number {
    return this.#iterations;
  }

  /**
   * Whether every value of the gradients is finite: one pass over memory
   * on the wasm backend, one read of Σ g·0 otherwise.
   */
  static async allFinite(gradients: (tf.Tensor | undefined)[]): Promise<boolean> {
    const grads = gradients.filter((g) => g !== undefined);
    if (grads.length === 0) return true;
    const k = wasmKernels();
    if (k !== undefined) return grads.every((g) => k.allFinite(offsetOf(g), g.size) === 1);
    // A running sum rather than tf.addN, which the WebGPU backend gets wrong.
    const s = tf.tidy(() =>
      grads.reduce((acc: tf.Tensor, g) => tf.add(acc, tf.sum(tf.mul(g, 0))), tf.scalar(0))
    );
    const [value] = await s.data();
    s.dispose();
    return Number.isFinite(value!);
  }

  /**
   * One step on `variables` with their gradients `grads`, in the same order;
   * a variable without a gradient (one the loss does not use) is left as it
   * is, as tfjs does.
   */
  apply(variables: tf.Variable[], grads: (tf.Tensor | undefined)[]): void {
    if (this.#m.length === 0) {
      this.#m = variables.map((v) => tf.zeros(v.shape));
      this.#v = variables.map((v) => tf.zeros(v.shape));
    }
    const b1 = f32(this.#beta1), b2 = f32(this.#beta2);
    const c1 = f32(1 - this.#beta1), c2 = f32(1 - this.#beta2);
    const o1 = f32(1 - this.#beta1Power), o2 = f32(1 - this.#beta2Power);
    const eps = f32(this.#epsilon), nlr = f32(-this.#lr);
    const k = wasmKernels();
    variables.forEach((p, i) => {
      const g = grads[i], m = this.#m[i]!, v = this.#v[i]!;
      if (g === undefined) return;
      if (k !== undefined) {
        const out = uninitialised(p.shape);
        k.adam(
          offsetOf(p),
          offsetOf(m),
          offsetOf(v),
          offsetOf(g),
          offsetOf(out),
          p.size,
          b1,
          b2,
          c1,
          c2,
          o1,
          o2,
          eps,
          nlr,
        );
        p.assign(out);
        out.dispose();
        return;
      }
      const [m1, v1, p1] = tf.tidy(() => {
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, c1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), c2));
        const step = tf.div(tf.div(m1, o1), tf.add(tf.sqrt(tf.div(v1, o2)), eps));
        return [m1, v1, tf.add(tf.mul(step, nlr), p)];
      });
      p.assign(p1 as tf.Tensor<tf.Rank>);
      tf.dispose([m, v, p1]);
      this.#m[i] = m1;
      this.#v[i] = v1;
    });
    this.#beta1Power = f32(this.#beta1Power * b1);
    this.#beta2Power = f32(this.#beta2Power * b2);
    this.#iterations++;
  }

  /** The state, read back (the moments empty before a first step). */
  async state(): Promise<AdamState> {
    const slots = await Promise.all(
      [...this.#m, ...this.#v].map(async (t) => (await t.data()) as Float32Array),
    );
    return {
      iterations: this.#iterations,
      beta1Power: this.#beta1Power,
      beta2Power: this.#beta2Power,
      slots,
    };
  }

  /**
   * Restores a state for variables of `shapes` (checked by the caller);
   * powers not given are recomputed as β^t.
   */
  restore(
    state: { iterations: number; slots: Float32Array[]; beta1Power?: number; beta2Power?: number },
    shapes: number[][],
  ): void {
    tf.dispose([...this.#m, ...this.#v]);
    const n = shapes.length;
    const moments = state.slots.map((s, i) => tf.tensor(s, shapes[i % n]));
    this.#m = moments.slice(0, moments.length / 2);
    this.#v = moments.slice(moments.length / 2);
    this.#iterations = state.iterations;
    this.#beta1Power = f32(state.beta1Power ?? this.#beta1 ** (state.iterations + 1));
    this.#beta2Power = f32(state.beta2Power ?? this.#beta2 ** (state.iterations + 1));
  }

  /** Frees the moments. */
  dispose(): void {
    tf.dispose([...this.#m, ...this.#v]);
    this.#m = [];
    this.#v = [];
  }
}
