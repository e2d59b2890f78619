// The inverse autoregressive flow of a VAE's posterior (Kingma et al. 2016):
// a context head on the encoder's last features, and L MADE steps whose
// variables the model keeps and names, each conditioned on the context.
import type { tf } from "../tensor/_tf.ts";
import { dense, denseAutodiff } from "../tensor/dense.ts";
import type { TensorBijector } from "../tensor/bijectors/bijector.ts";
import { Chain } from "../tensor/bijectors/chain.ts";
import { Invert } from "../tensor/bijectors/invert.ts";
import { Permute } from "../tensor/bijectors/permute.ts";
import type { DiagNormal } from "../tensor/distributions/diag_normal.ts";
import { type MadeLayout, madeLayout, madeVariables } from "../tensor/flows/_made.ts";
import { conditionedMaf } from "../tensor/flows/_conditioned.ts";
import { deriveSeed, type Layer, makeLayer } from "./_mlp.ts";
import { FlowPosterior } from "./flow_posterior.ts";
import type { IafPosterior, VAEConfig } from "./vae_options.ts";

/** The seed path of the flow's weights under the model's seed (-1 is VAE.sample's draws). */
const FLOW_STREAM = -2;

/** The [in, out] sizes of the flow's weight matrices on `features` encoder features. */
export function iafLayerSizes(p: IafPosterior, K: number, features: number): [number, number][] {
  const made = madeLayout(K, p.hiddenSizes, p.contextSize);
  const step: [number, number][] = [...made.sizes, [p.contextSize, made.sizes[0]![1]]];
  return [[features, p.contextSize], ...Array.from({ length: p.layers }, () => step).flat()];
}

/**
 * The flow of an IAF posterior: the context head h(x) = W_h f(x) + b_h on
 * the encoder's features f(x), and `layers` MADE steps. The MADEs' output
 * layers start at zero, so a new flow is the identity and q(z|x) starts as
 * the diagonal Gaussian; the weights of the encoder and the decoder are the
 * same as without a flow (the flow's seeds are a stream of their own).
 */
export class IafFlow {
  readonly #c: VAEConfig;
  readonly #layout: MadeLayout;
  readonly #contextHead: Layer;
  readonly #steps: tf.Variable[][];
  readonly #reverse: Permute;
  /** The widest activation of the flow (for the step's memory bound). */
  readonly width: number;

  /**
   * Makes the variables, named `${prefix}/encoder/context/…` and
   * `${prefix}/posterior/iaf${t}/…`.
   */
  constructor(prefix: string, c: VAEConfig & { posterior: IafPosterior }, features: number) {
    const p = c.posterior, K = c.latentSize;
    this.#c = c;
    this.#layout = madeLayout(K, p.hiddenSizes, p.contextSize);
    this.#contextHead = makeLayer(
      `${prefix}/encoder/context`,
      features,
      p.contextSize,
      deriveSeed(c.seed, FLOW_STREAM, 0),
    );
    this.#steps = Array.from(
      { length: p.layers },
      (_, t) =>
        madeVariables(
          this.#layout,
          deriveSeed(c.seed, FLOW_STREAM, t + 1),
          `${prefix}/posterior/iaf${t}`,
        ),
    );
    this.#reverse = new Permute(Array.from({ length: K }, (_, i) => K - 1 - i));
    this.width = Math.max(2 * K, p.contextSize, ...p.hiddenSizes);
  }

  /** The context head's variables, then each step's. */
  variables(): tf.Variable[] {
    return [this.#contextHead.kernel, this.#contextHead.bias, ...this.#steps.flat()];
  }

  /**
   * q(z|x) = f_# q₀ with f = … ∘ F_3 ∘ (P ∘ F_2 ∘ P) ∘ F_1, F_t =
   * Invert(MADE_t(·, h)) and P the reversal of the coordinates, so that every
   * second step reads them in the reverse order and a new flow (F_t = id) is
   * the identity; h is the context head at `features`.
   */
  posterior(base: DiagNormal, features: tf.Tensor2D): FlowPosterior {
    const head = this.#c.denseGradient === "custom" ? dense : denseAutodiff;
    const h = head(features, this.#contextHead.kernel, this.#contextHead.bias);
    // Outermost first: the last step applied last.
    const steps: TensorBijector[] = [];
    this.#steps.forEach((params, t) => {
      const step = new Invert(conditionedMaf(this.#layout, params, h));
      steps.unshift(...(t % 2 === 1 ? [this.#reverse, step, this.#reverse] : [step]));
    });
    return new FlowPosterior(base, new Chain(steps), h);
  }
}
