// The VAE's options and objectives, and their checks.
import { type OptionReader, readOptions } from "../math/_options.ts";
import { show } from "../math/_validate.ts";
import { MAX_IMPORTANCE_SAMPLES } from "./_limits.ts";
import type { DenseGradient } from "../tensor/dense.ts";
import { checkSizes } from "../tensor/flows/vector_flow.ts";
import { networkOptions, POSITIVE_FLOAT32 } from "./_options.ts";
import type { KLEstimator, Objective } from "./objectives.ts";

export type { KLEstimator, Objective };

/** Options of the VAE. */
export interface VAEOptions {
  /** D, the number of input coordinates (784 for MNIST). */
  inputSize: number;
  /**
   * The networks: `"mlp"` (dense layers, default) or `"conv"`, the
   * convolutional encoder and decoder of Burgess et al. 2018 (four 4×4
   * convolutions of stride 2 with 32 channels, then the dense layers) for
   * square one-channel images whose side is a multiple of 16 (D = 16², 32², 64², …).
   */
  network?: "mlp" | "conv";
  /**
   * Hidden layer widths of the encoder's dense part; the decoder mirrors them
   * (default [400], or [256] for `network: "conv"`; [] for none).
   */
  hiddenSizes?: number[];
  /** K, the latent size (default 20). */
  latentSize?: number;
  /**
   * `"bernoulli"` (logits, binary cross-entropy; default), `"gaussian"`
   * (fixed-σ mean, MSE) or `"continuous-bernoulli"` (logits, a proper
   * density on grey levels in [0, 1]; Loaiza-Ganem & Cunningham 2019).
   */
  likelihood?: "bernoulli" | "gaussian" | "continuous-bernoulli";
  /** σ of the Gaussian likelihood (default 1/√2, which makes −log p the sum of squared errors + const). */
  observationScale?: number;
  /** The objective (default `{ kind: "elbo" }`). */
  objective?: Objective;
  /**
   * q(z|x): absent or `{ flow: "none" }` for the encoder's diagonal Gaussian
   * (default), `{ flow: "iaf", layers, hiddenSizes, contextSize }` for that
   * Gaussian followed by an inverse autoregressive flow whose steps are
   * conditioned on a context the encoder also emits (Kingma et al. 2016; see
   * {@linkcode PosteriorOptions}).
   */
  posterior?: PosteriorOptions;
  /**
   * `"analytic"` (closed form; the default with the diagonal Gaussian) or
   * `"monteCarlo"` (log q(z|x) − log p(z) at the sample; the default, and
   * the only choice, with a flow posterior, which has no closed-form KL).
   */
  klEstimator?: KLEstimator;
  /** Adam's step size (default 1e-3). */
  learningRate?: number;
  /** Seed of the initial weights and of every step's noise: any safe integer (default 0). */
  seed?: number;
  /**
   * The dense layers' gradient: hand-written (`"custom"`, default) or tfjs's
   * autodiff (the MLP only: the convolutional networks always use the
   * hand-written gradients, which tfjs-backend-wasm needs).
   */
  denseGradient?: DenseGradient;
}

/**
 * The approximate posterior q(z|x) of a VAE: the encoder's diagonal Gaussian
 * (`flow: "none"`), or that Gaussian followed by `layers` steps of an
 * inverse autoregressive flow (`flow: "iaf"`, Kingma et al. 2016), each a
 * MADE (Germain et al. 2015) on the previous step's z and on a context h(x)
 * of `contextSize` values that the encoder emits beside μ and log σ²:
 *
 * ```text
 * z₀ = μ(x) + σ(x) ⊙ ε,   z_t = (z_{t−1} − m_t) ⊙ exp(−s_t),   (m_t, s_t) = MADE_t(z_{t−1}, h(x))
 * log q(z_L|x) = log N(z₀; μ, diag σ²) + Σ_t Σ_i s_{t,i},   s = 4 tanh(raw / 4)
 * ```
 *
 * every second step reading the coordinates in reverse order. The steps start as
 * the identity, so a new flow posterior is the diagonal Gaussian. `layers` is an integer in
 * [1, 32] (default 2), `hiddenSizes` MADE's hidden widths, 1 to 8 integers
 * in [1, 4096] (default [2K], at most 4096), `contextSize` an integer in [1,
 * 4096] (default K).
 */
export type PosteriorOptions =
  | { flow: "none" }
  | { flow: "iaf"; layers?: number; hiddenSizes?: number[]; contextSize?: number };

/** An inverse autoregressive flow posterior with every default filled in. */
export type IafPosterior = {
  flow: "iaf";
  layers: number;
  hiddenSizes: number[];
  contextSize: number;
};

/**
 * A VAE's configuration with every default filled in; `posterior` is absent
 * for the diagonal Gaussian.
 */
export type VAEConfig =
  & Required<Omit<VAEOptions, "objective" | "posterior">>
  & { objective: Objective; posterior?: IafPosterior };

const OPTIONS = [
  "inputSize",
  "network",
  "hiddenSizes",
  "latentSize",
  "likelihood",
  "observationScale",
  "objective",
  "posterior",
  "klEstimator",
  "learningRate",
  "seed",
  "denseGradient",
] as const;

/** The fields of each objective besides `kind`. */
const OBJECTIVE_FIELDS = {
  elbo: [],
  beta: ["beta"],
  capacity: ["gamma", "maxCapacity", "annealSteps"],
  constrained: ["budget", "dualStepSize", "initialBeta"],
  iwae: ["k"],
} as const;

type ObjectiveField = typeof OBJECTIVE_FIELDS[keyof typeof OBJECTIVE_FIELDS][number];

/** Checks the objective of `o` and returns a copy with its defaults filled in. */
function objectiveOf(o: OptionReader<"objective">): Objective {
  const ob = o.get("objective");
  if (ob === undefined) return { kind: "elbo" };
  const kinds = Object.keys(OBJECTIVE_FIELDS) as (keyof typeof OBJECTIVE_FIELDS)[];
  const kind = (ob as { kind?: unknown } | null)?.kind;
  if (typeof kind !== "string" || !(kinds as string[]).includes(kind)) {
    throw new TypeError(
      `${o.what} as ${o.label("objective")}.kind must be one of ${
        kinds.join(", ")
      }: current value is ${show(typeof ob === "object" && ob !== null ? kind : ob)}`,
    );
  }
  const k = kind as keyof typeof OBJECTIVE_FIELDS;
  const f = o.object<"kind" | ObjectiveField>("objective", ["kind", ...OBJECTIVE_FIELDS[k]]);
  const atLeast0 = { min: 0 }, above0 = { min: 0, minExclusive: true };
  switch (k) {
    case "beta":
      return { kind: k, beta: f.number("beta", atLeast0) };
    case "capacity":
      return {
        kind: k,
        gamma: f.number("gamma", above0),
        maxCapacity: f.number("maxCapacity", atLeast0),
        annealSteps: f.number("annealSteps", above0),
      };
    case "constrained":
      return {
        kind: k,
        budget: f.number("budget", atLeast0),
        dualStepSize: f.number("dualStepSize", { ...above0, default: 0.01 }),
        initialBeta: f.number("initialBeta", { ...atLeast0, default: 1 }),
      };
    case "iwae":
      return { kind: k, k: f.int("k", { min: 1, max: MAX_IMPORTANCE_SAMPLES }) };
    default:
      return { kind: "elbo" };
  }
}

/** The keys of an IAF posterior's options. */
const IAF_FIELDS = ["flow", "layers", "hiddenSizes", "contextSize"] as const;

/**
 * The IAF posterior with the defaults filled in for K latents: 2 layers,
 * MADEs of one hidden layer of 2K units (at most 4096), a context of K.
 */
export function iafPosterior(
  latentSize: number,
  given: { layers?: number; hiddenSizes?: number[]; contextSize?: number } = {},
): IafPosterior {
  return {
    flow: "iaf",
    layers: given.layers ?? 2,
    hiddenSizes: [...(given.hiddenSizes ?? [Math.min(4096, 2 * latentSize)])],
    contextSize: given.contextSize ?? Math.min(4096, latentSize),
  };
}

/** Checks the posterior of `o` for K latents: undefined for the diagonal Gaussian. */
function posteriorOf(o: OptionReader<"posterior">, K: number): IafPosterior | undefined {
  if (o.get("posterior") === undefined) return undefined;
  const p = o.object<typeof IAF_FIELDS[number]>("posterior", IAF_FIELDS);
  const flow = p.choice("flow", ["none", "iaf"] as const);
  if (flow === "none") {
    const extra = IAF_FIELDS.find((k) => k !== "flow" && p.has(k));
    if (extra !== undefined) {
      throw new TypeError(
        `${o.what} as ${p.label(extra)} applies to flow "iaf" only: current value is ${
          show(p.get(extra))
        } with flow "none"`,
      );
    }
    return undefined;
  }
  return iafPosterior(K, {
    layers: p.has("layers") ? p.int("layers", { min: 1, max: 32 }) : undefined,
    hiddenSizes: p.has("hiddenSizes")
      ? [...checkSizes(o.what, p.label("hiddenSizes"), p.get("hiddenSizes"))]
      : undefined,
    contextSize: p.has("contextSize") ? p.int("contextSize", { min: 1, max: 4096 }) : undefined,
  });
}

/**
 * Checks a VAE's options and fills in the defaults.
 *
 * @param options The options as given.
 * @returns A fresh configuration (later changes to `options` do not reach it).
 */
export function resolveVAEOptions(options: unknown): VAEConfig {
  const what = "Cannot construct VAE";
  const o = readOptions(what, options, OPTIONS);
  const network = o.choice("network", ["mlp", "conv"] as const, "mlp");
  const net = networkOptions(o, network === "conv" ? [256] : [400]);
  if (network === "conv") {
    const side = Math.round(Math.sqrt(net.inputSize));
    if (side * side !== net.inputSize || side % 16 !== 0) {
      throw new RangeError(
        `${what} as ${
          o.label("inputSize")
        } must be the pixels of a square image whose side is a multiple of 16 (256, 1024, 4096, …) for network "conv": current value is ${net.inputSize}`,
      );
    }
  }
  const posterior = posteriorOf(o, net.latentSize);
  const klEstimator = o.choice(
    "klEstimator",
    ["analytic", "monteCarlo"] as const,
    posterior ? "monteCarlo" : "analytic",
  );
  if (posterior && klEstimator === "analytic") {
    throw new RangeError(
      `${what} as ${
        o.label("klEstimator")
      } "analytic" needs the diagonal Gaussian posterior: with ${
        o.label("posterior")
      }.flow "iaf" q(z|x) has no closed-form KL, so use "monteCarlo" (the default with a flow)`,
    );
  }
  return {
    ...net,
    network,
    likelihood: o.choice(
      "likelihood",
      ["bernoulli", "gaussian", "continuous-bernoulli"] as const,
      "bernoulli",
    ),
    observationScale: o.number("observationScale", { ...POSITIVE_FLOAT32, default: Math.SQRT1_2 }),
    objective: objectiveOf(o),
    klEstimator,
    ...(posterior ? { posterior } : {}),
  };
}
