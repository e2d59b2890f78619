// The VAE's options and objectives, and their checks.
import { assertFinite, assertPositive, show } from "../math/_validate.ts";
import { assertIntegerIn } from "../math/_validate.ts";
import { MAX_IMPORTANCE_SAMPLES } from "./_limits.ts";
import type { DenseGradient } from "./_mlp.ts";
import { assertFloat32Positive, assertKnownKeys, networkOptions } from "./_options.ts";
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
  /** `"bernoulli"` (logits, binary cross-entropy; default) or `"gaussian"` (fixed-σ mean, MSE). */
  likelihood?: "bernoulli" | "gaussian";
  /** σ of the Gaussian likelihood (default 1/√2, which makes −log p the sum of squared errors + const). */
  observationScale?: number;
  /** The objective (default `{ kind: "elbo" }`). */
  objective?: Objective;
  /** `"analytic"` (closed form, default) or `"monteCarlo"` (log q(z|x) − log p(z) at the sample). */
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

/** A VAE's configuration with every default filled in. */
export type VAEConfig = Required<Omit<VAEOptions, "objective">> & { objective: Objective };

const OPTIONS = [
  "inputSize",
  "network",
  "hiddenSizes",
  "latentSize",
  "likelihood",
  "observationScale",
  "objective",
  "klEstimator",
  "learningRate",
  "seed",
  "denseGradient",
] as const;

/** Checks an objective and returns a copy with its defaults filled in. */
function objectiveOf(what: string, ob: unknown): Objective {
  if (ob === undefined) return { kind: "elbo" };
  const kinds = ["elbo", "beta", "capacity", "constrained", "iwae"];
  const kind = (ob as { kind?: unknown } | null)?.kind;
  if (typeof kind !== "string" || !kinds.includes(kind)) {
    throw new TypeError(
      `${what} as objective.kind must be one of ${kinds.join(", ")}: current value is ${
        show(typeof ob === "object" && ob !== null ? kind : ob)
      }`,
    );
  }
  const fields: Record<string, string[]> = {
    elbo: [],
    beta: ["beta"],
    capacity: ["gamma", "maxCapacity", "annealSteps"],
    constrained: ["budget", "dualStepSize", "initialBeta"],
    iwae: ["k"],
  };
  assertKnownKeys(what, "objective", ob, ["kind", ...fields[kind]!]);
  const o = ob as Record<string, unknown>;
  const atLeast0 = (name: string, v: unknown): number => {
    assertFinite(what, `objective.${name}`, v);
    if (!(v >= 0)) {
      throw new RangeError(`${what} as objective.${name} must be ≥ 0: current value is ${show(v)}`);
    }
    return v;
  };
  const above0 = (name: string, v: unknown): number => {
    assertPositive(what, `objective.${name}`, v);
    return v;
  };
  switch (kind) {
    case "beta":
      return { kind, beta: atLeast0("beta", o.beta) };
    case "capacity":
      return {
        kind,
        gamma: above0("gamma", o.gamma),
        maxCapacity: atLeast0("maxCapacity", o.maxCapacity),
        annealSteps: above0("annealSteps", o.annealSteps),
      };
    case "constrained":
      return {
        kind,
        budget: atLeast0("budget", o.budget),
        dualStepSize: above0("dualStepSize", o.dualStepSize ?? 0.01),
        initialBeta: atLeast0("initialBeta", o.initialBeta ?? 1),
      };
    case "iwae":
      assertIntegerIn(what, "objective.k", o.k, 1, MAX_IMPORTANCE_SAMPLES);
      return { kind, k: o.k };
    default:
      return { kind: "elbo" };
  }
}

/**
 * Checks a VAE's options and fills in the defaults.
 *
 * @param options The options as given.
 * @returns A fresh configuration (later changes to `options` do not reach it).
 */
export function resolveVAEOptions(options: unknown): VAEConfig {
  const what = "Cannot construct VAE";
  assertKnownKeys(what, "options", options, OPTIONS);
  const o = options as Record<string, unknown>;
  const network = o.network ?? "mlp";
  if (network !== "mlp" && network !== "conv") {
    throw new TypeError(
      `${what} as network must be "mlp" or "conv": current value is ${show(network)}`,
    );
  }
  const net = networkOptions(what, {
    ...o,
    hiddenSizes: o.hiddenSizes ?? (network === "conv" ? [256] : undefined),
  });
  if (network === "conv") {
    const side = Math.round(Math.sqrt(net.inputSize));
    if (side * side !== net.inputSize || side % 16 !== 0) {
      throw new RangeError(
        `${what} as inputSize must be the pixels of a square image whose side is a multiple of 16 (256, 1024, 4096, …) for network "conv": current value is ${net.inputSize}`,
      );
    }
  }
  const likelihood = o.likelihood ?? "bernoulli";
  if (likelihood !== "bernoulli" && likelihood !== "gaussian") {
    throw new TypeError(
      `${what} as likelihood must be "bernoulli" or "gaussian": current value is ${
        show(likelihood)
      }`,
    );
  }
  const klEstimator = o.klEstimator ?? "analytic";
  if (klEstimator !== "analytic" && klEstimator !== "monteCarlo") {
    throw new TypeError(
      `${what} as klEstimator must be "analytic" or "monteCarlo": current value is ${
        show(klEstimator)
      }`,
    );
  }
  const observationScale = o.observationScale ?? Math.SQRT1_2;
  assertFloat32Positive(what, "observationScale", observationScale);
  return {
    ...net,
    network,
    likelihood,
    observationScale,
    objective: objectiveOf(what, o.objective),
    klEstimator,
  };
}
