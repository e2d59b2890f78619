// The VAE's two networks and the distributions they parameterise: an MLP
// encoder with linear heads for μ and log σ² gives q(z|x), an MLP decoder
// mirroring it gives p(x|z).
import { tf } from "../tensor/_tf.ts";
import { dense, denseAutodiff } from "../tensor/dense.ts";
import { Bernoulli } from "../tensor/distributions/bernoulli.ts";
import { ContinuousBernoulli } from "../tensor/distributions/continuous_bernoulli.ts";
import { DiagNormal } from "../tensor/distributions/diag_normal.ts";
import { deriveSeed, type Layer, makeLayer, mlp } from "./_mlp.ts";
import { assertModelSize } from "./_options.ts";
import { IafFlow, iafLayerSizes } from "./_iaf.ts";
import type { FlowPosterior } from "./flow_posterior.ts";
import type { VAEConfig } from "./vae_options.ts";

/** What a VAE needs of its networks, whichever they are. */
export abstract class VAENetworksBase {
  protected readonly c: VAEConfig;
  /** The IAF of a flow posterior, made last by the subclass (its seeds are its own). */
  #flow?: IafFlow;

  constructor(c: VAEConfig) {
    this.c = c;
  }

  /** The [in, out] sizes of the flow's weights on `features` encoder features (none without). */
  static flowSizes(c: VAEConfig, features: number): [number, number][] {
    return c.posterior ? iafLayerSizes(c.posterior, c.latentSize, features) : [];
  }

  /** For the subclass's constructor, last: the flow of a flow posterior, on `features` features. */
  protected addFlow(prefix: string, features: number): void {
    const c = this.c;
    if (c.posterior) this.#flow = new IafFlow(prefix, { ...c, posterior: c.posterior }, features);
  }

  /** The networks' variables, encoder first. */
  protected abstract networkVariables(): tf.Variable[];

  /** Every variable: the networks', encoder first, then the flow's. */
  variables(): tf.Variable[] {
    return [...this.networkVariables(), ...(this.#flow?.variables() ?? [])];
  }

  /** The most values a layer's activations hold per input row (for memory bounds). */
  abstract readonly width: number;

  /** The widest activation of the flow, or 0. */
  protected get flowWidth(): number {
    return this.#flow?.width ?? 0;
  }

  /**
   * The encoder's heads for rows x [n, D]: μ and log σ², each [n, K], and
   * the features they are computed from (the last hidden layer's).
   */
  protected abstract heads(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];

  /** The decoder's output (logits, or pre-sigmoid means) for codes [m, K], [m, D]. */
  protected abstract decoderOutput(z: tf.Tensor2D): tf.Tensor2D;

  /**
   * q(z|x) for rows x [n, D]: N(μ(x), diag σ²(x)) with σ = exp(½ log σ²),
   * and with a flow posterior that Gaussian through the flow conditioned on
   * the encoder's context h(x).
   */
  posterior(x: tf.Tensor2D): DiagNormal | FlowPosterior {
    const [loc, logVar, features] = this.heads(x);
    const base = DiagNormal.fromLogScale(loc, tf.mul(0.5, logVar));
    return this.#flow ? this.#flow.posterior(base, features) : base;
  }

  /**
   * p(x|z) for codes of any leading shape [..., K]: batch [...], event [D]; a
   * Bernoulli or a continuous Bernoulli on the decoder's logits, or
   * N(sigmoid(·), σ²) per pixel.
   */
  likelihood(z: tf.Tensor): Bernoulli | DiagNormal | ContinuousBernoulli {
    const flat = tf.reshape(z, [-1, this.c.latentSize]) as tf.Tensor2D;
    const out = tf.reshape(this.decoderOutput(flat), [...z.shape.slice(0, -1), this.c.inputSize]);
    if (this.c.likelihood === "bernoulli") return new Bernoulli({ logits: out });
    if (this.c.likelihood === "continuous-bernoulli") {
      return new ContinuousBernoulli({ logits: out });
    }
    return new DiagNormal(tf.sigmoid(out), this.c.observationScale);
  }

  /**
   * log p(x|zᵢ) of rows x [n, D] at draws z [k, n, K], [k, n]. The rows
   * broadcast against the k draws as [1, n, D]: tfjs-wasm's element-wise ops
   * broadcast a leading axis at full speed, where tiling x to [k, n, D] cost
   * 35 times a multiplication (k = 26, n = 100, D = 784).
   */
  logLikelihood(x: tf.Tensor2D, z: tf.Tensor): tf.Tensor {
    const n = z.shape[1]!;
    return this.likelihood(z).logProb(tf.reshape(x, [1, n, this.c.inputSize]));
  }
}

/** The MLP encoder and decoder of a VAE, with seeded Glorot-uniform weights. */
export class VAENetworks extends VAENetworksBase {
  readonly #encoder: Layer[];
  readonly #locHead: Layer;
  readonly #logVarHead: Layer;
  readonly #decoder: Layer[];
  readonly width: number;

  /**
   * Makes the layers, named `${prefix}/encoder/…` and `${prefix}/decoder/…`
   * (the names the checkpoint files use).
   */
  constructor(prefix: string, c: VAEConfig) {
    super(c);
    const { sizes, last, dsizes } = VAENetworks.#sizes(c);
    let n = 0;
    const layer = (name: string, i: number, o: number) =>
      makeLayer(`${prefix}/${name}`, i, o, deriveSeed(c.seed, n++));
    this.#encoder = c.hiddenSizes.map((h, i) => layer(`encoder/${i}`, sizes[i]!, h));
    this.#locHead = layer("encoder/loc", last, c.latentSize);
    this.#logVarHead = layer("encoder/logVar", last, c.latentSize);
    this.#decoder = dsizes.slice(1).map((o, i) => layer(`decoder/${i}`, dsizes[i]!, o));
    this.addFlow(prefix, last);
    this.width = Math.max(...sizes, ...dsizes, this.flowWidth);
  }

  /** The widths of the encoder (input first), its last width, and the decoder's widths. */
  static #sizes(c: VAEConfig): { sizes: number[]; last: number; dsizes: number[] } {
    const sizes = [c.inputSize, ...c.hiddenSizes];
    const dsizes = [c.latentSize, ...[...c.hiddenSizes].reverse(), c.inputSize];
    return { sizes, last: sizes[sizes.length - 1]!, dsizes };
  }

  /** Throws a RangeError if the networks would hold more than 2²⁵ parameters. */
  static assertSize(c: VAEConfig): void {
    const { sizes, last, dsizes } = VAENetworks.#sizes(c);
    assertModelSize("Cannot construct VAE", [
      ...c.hiddenSizes.map((h, i): [number, number] => [sizes[i]!, h]),
      [last, c.latentSize],
      [last, c.latentSize],
      ...dsizes.slice(1).map((o, i): [number, number] => [dsizes[i]!, o]),
      ...VAENetworksBase.flowSizes(c, last),
    ]);
  }

  protected networkVariables(): tf.Variable[] {
    return [...this.#encoder, this.#locHead, this.#logVarHead, ...this.#decoder].flatMap((
      l,
    ) => [l.kernel, l.bias]);
  }

  protected heads(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
    const f = this.c.denseGradient === "custom" ? dense : denseAutodiff;
    const h = mlp(x, this.#encoder, this.c.denseGradient, true, true);
    return [
      f(h, this.#locHead.kernel, this.#locHead.bias),
      f(h, this.#logVarHead.kernel, this.#logVarHead.bias),
      h,
    ];
  }

  protected decoderOutput(z: tf.Tensor2D): tf.Tensor2D {
    return mlp(z, this.#decoder, this.c.denseGradient);
  }
}
