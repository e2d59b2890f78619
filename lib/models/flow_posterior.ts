import type { tf } from "../tensor/_tf.ts";
import type { TensorBijector } from "../tensor/bijectors/bijector.ts";
import type { DiagNormal } from "../tensor/distributions/diag_normal.ts";
import { TransformedDistribution } from "../tensor/distributions/transformed.ts";
import { assertTensor } from "../tensor/_validate.ts";

/**
 * A VAE's approximate posterior with an inverse autoregressive flow (Kingma
 * et al. 2016; `new VAE({ posterior: { flow: "iaf" } })`): the encoder's
 * Gaussian q₀(z₀|x) = N(μ(x), diag σ²(x)) pushed through IAF steps whose
 * networks also read a context h(x) the encoder emits. By the change of
 * variables,
 *
 * ```text
 * z = f_x(z₀),  z₀ ~ N(μ(x), diag σ²(x))
 * log q(z|x) = log N(z₀; μ, diag σ²) − log |det ∂f_x/∂z₀|
 * ```
 *
 * `sampleAndLogProb(k, seed)` gives draws and their log-density in one pass
 * along the flow (what training and evaluation use); `logProb(z)` at any
 * other z inverts each step, one network pass per latent coordinate. Its
 * batch is the rows of x and its event the K latents, as the diagonal
 * Gaussian's; a draw is [k, n, K]. Mean, variance and entropy have no
 * closed form (a TypeError that points to Monte Carlo); `center()` is the
 * point that stands for x. `dispose()` frees the base and every tensor the
 * distribution owns: a VAE's `encode` hands it all it made (the base's
 * parameters and the context).
 *
 * @example
 * ```ts
 * import { FlowPosterior, VAE } from "@elbo/elbo/models";
 * import { useBackend } from "@elbo/elbo/tensor";
 * import * as tf from "@tensorflow/tfjs";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const vae = new VAE({ inputSize: 4, hiddenSizes: [8], latentSize: 2, posterior: { flow: "iaf" } });
 * const q = vae.encode(tf.tensor2d([[1, 0, 1, 0]]));
 * assert.ok(q instanceof FlowPosterior);
 * const { sample, logProb } = q.sampleAndLogProb(5, 1); // [5, 1, 2] and [5, 1]
 * const again = q.logProb(sample); // by inverting the flow
 * assert.ok(tf.max(tf.abs(tf.sub(again, logProb))).dataSync()[0]! < 1e-4);
 * tf.dispose([sample, logProb, again]);
 * q.dispose();
 * vae.dispose();
 * ```
 */
export class FlowPosterior extends TransformedDistribution<DiagNormal> {
  /** h(x), the context of every step, [n, C]. */
  readonly context: tf.Tensor2D;

  /**
   * Creates a {@linkcode FlowPosterior} (the VAE makes them: `vae.encode(x)`).
   *
   * @param base q₀(z₀|x), batch [n], event [K].
   * @param bijector f_x, the flow's steps conditioned on `context`.
   * @param context h(x), [n, C].
   * @throws {TypeError} If the base and the bijector do not fit together, or
   *   `context` is not a live float32 tensor [n, C] with the base's n rows.
   */
  constructor(base: DiagNormal, bijector: TensorBijector, context: tf.Tensor2D) {
    super(base, bijector);
    const what = "Cannot construct FlowPosterior";
    assertTensor(what, "context", context, 2);
    if (context.shape[0] !== this.batchShape[0] || this.batchShape.length !== 1) {
      throw new TypeError(
        `${what} as context must have a row per batch member of the base [${this.batchShape}]: current shape is [${context.shape}]`,
      );
    }
    this.context = context;
  }

  /**
   * f_x(μ(x)), the base's mean through the flow, [n, K]: the point that
   * stands for x (the posterior mean has no closed form).
   *
   * @returns [n, K].
   */
  center(): tf.Tensor {
    return this.bijector.forward(this.base.loc);
  }

  /** The base's tensors and the context, besides the distribution's own. */
  protected override tensors(): tf.Tensor[] {
    return [...super.tensors(), this.base.loc, this.base.scale, this.base.logScale];
  }

  /** Frees the tensors it owns (from `encode`: the base's and the context), and the base. */
  override dispose(): void {
    super.dispose();
    // (undefined when a failing constructor gives up before it is set)
    (this.base as DiagNormal | undefined)?.dispose();
  }
}
