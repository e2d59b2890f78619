import { tf } from "../_tf.ts";
import { softplus } from "../_stable.ts";
import { readOptions } from "../../math/_options.ts";
import { assertIntegerIn, show } from "../../math/_validate.ts";
import { createRng } from "../../math/rng.ts";
import { isTensorBijector, type TensorBijector } from "../bijectors/bijector.ts";
import { FillScaleTriL } from "../bijectors/fill_scale_tril.ts";
import { DiagNormal } from "../distributions/diag_normal.ts";
import type { TensorDistribution } from "../distributions/distribution.ts";
import { MultivariateNormal } from "../distributions/multivariate_normal.ts";
import { TransformedDistribution } from "../distributions/transformed.ts";
import { assertNotDisposed } from "../_validate.ts";
import { type SurrogateBuilder, TrainableSurrogate } from "./surrogate.ts";
import { markGaussian } from "./_gaussian_step.ts";

/** Options of {@linkcode meanFieldSurrogate} and {@linkcode fullRankSurrogate}. */
export interface SurrogateOptions {
  /**
   * Where the latent lives: the Gaussian is pushed through this bijector
   * (`Exp` or `Softplus` for a positive latent, `Sigmoid` for one in (0, 1),
   * `SoftmaxCentered` for the simplex). Default: none (the whole real line).
   */
  bijector?: TensorBijector;
  /** Seed of the initial locations (a safe integer, default 0). */
  seed?: number;
}

/** The scale every surrogate starts from: narrow, so early gradients are quiet. */
const INITIAL_SCALE = 0.1;
/** Added to softplus(raw) so that no scale underflows to 0 in float32 (as TFP does). */
const SCALE_FLOOR = 1e-5;
/** softplus⁻¹(INITIAL_SCALE − SCALE_FLOOR). */
const RAW_SCALE = Math.log(Math.expm1(INITIAL_SCALE - SCALE_FLOOR));

function checkArgs(what: string, eventSize: unknown, options: unknown): {
  bijector?: TensorBijector;
  baseSize: number;
  seed: number;
} {
  assertIntegerIn(what, "eventSize", eventSize, 1, 4096, "a surrogate of at most 4096 latents");
  const o = readOptions(what, options, ["bijector", "seed"]);
  const seed = o.seed("seed", 0), bijector = o.get("bijector");
  if (bijector === undefined) return { baseSize: eventSize, seed };
  const size = baseSize(what, o.label("bijector"), bijector, eventSize);
  return { bijector: bijector as TensorBijector, baseSize: size, seed };
}

/**
 * The size of the base's vectors that `bijector` (the option `name`) maps
 * onto vectors of `eventSize`, or a TypeError naming the option.
 */
export function baseSize(
  what: string,
  name: string,
  bijector: unknown,
  eventSize: number,
): number {
  if (!isTensorBijector(bijector)) {
    throw new TypeError(
      `${what} as ${name} must be a tensor bijector (from @elbo/elbo/tensor): current value is ${
        show(bijector)
      }`,
    );
  }
  assertNotDisposed(what, name, bijector);
  let base: number[];
  try {
    base = bijector.inverseEventShape([eventSize]);
  } catch (e) {
    throw new TypeError(
      `${what} as ${name} ${bijector.name} does not give points of event shape [${eventSize}]: ${
        (e as Error)?.message
      }`,
    );
  }
  if (base.length !== 1) {
    throw new TypeError(
      `${what} as ${name} must map vectors to vectors: ${bijector.name} gives event shape [${base}] for [${eventSize}]`,
    );
  }
  return base[0]!;
}

/** Locations drawn uniformly from (−1, 1), seeded. */
function initialLoc(d: number, seed: number): tf.Variable {
  const rng = createRng(seed);
  const init = Array.from({ length: d }, () => 2 * rng.uniform() - 1);
  // (tidy frees the initial tensor; a variable is never freed by a tidy.)
  return tf.tidy(() => tf.variable(tf.tensor1d(init)));
}

/** The surrogate of `variables`, or, if building it fails, the variables freed. */
function owning(variables: tf.Variable[], build: SurrogateBuilder): TrainableSurrogate {
  try {
    return new TrainableSurrogate(variables, build);
  } catch (e) {
    tf.dispose(variables);
    throw e;
  }
}

const through = (d: TensorDistribution, b: TensorBijector | undefined): TensorDistribution =>
  b ? new TransformedDistribution(d, b) : d;

/**
 * A trainable mean-field Gaussian surrogate — independent N(μⱼ, σⱼ²) for
 * each latent, optionally pushed through a bijector onto the latents'
 * support — for {@linkcode fitSurrogatePosterior}:
 *
 * ```text
 * q(z) = T_# DiagNormal(μ, diag σ²),   σ = softplus(ρ) + 10⁻⁵
 * trainableVariables = [μ, ρ]          (μ ~ U(−1, 1) seeded, σ = 0.1 at the start)
 * ```
 *
 * @param eventSize The number of latents the target takes (its z is
 *   `[n, eventSize]`); with a bijector, the size of its output.
 * @param options `{ bijector, seed }`.
 * @returns The surrogate; `dispose()` frees its variables.
 * @throws {TypeError} If `options` or the bijector is not one (or was
 *   disposed), `options` has a key other than `bijector` and `seed`, or the
 *   bijector does not map vectors of `eventSize` to vectors.
 * @throws {RangeError} If `eventSize` is not an integer in [1, 4096] or the
 *   seed is not a safe integer.
 *
 * @example A positive latent
 * ```ts
 * import { Exp, meanFieldSurrogate, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const q = meanFieldSurrogate(3, { bijector: new Exp(), seed: 1 });
 * const z = q.sample(100, 2);
 * assert.deepEqual(z.shape, [100, 3]);
 * assert.ok(z.dataSync().every((v) => v > 0));
 * z.dispose();
 * q.dispose();
 * ```
 */
export function meanFieldSurrogate(
  eventSize: number,
  options: SurrogateOptions = {},
): TrainableSurrogate {
  const { bijector, baseSize, seed } = checkArgs(
    "Cannot build meanFieldSurrogate",
    eventSize,
    options,
  );
  const loc = initialLoc(baseSize, seed);
  const raw = tf.tidy(() => tf.variable(tf.fill([baseSize], RAW_SCALE)));
  const q = owning(
    [loc, raw],
    ([m, r]) => through(new DiagNormal(m!, tf.add(softplus(r!), SCALE_FLOOR)), bijector),
  );
  return bijector ? q : markGaussian(q, { kind: "diag", floor: SCALE_FLOOR });
}

/**
 * A trainable full-rank Gaussian surrogate, which can learn correlations
 * between latents — N(μ, L Lᵀ) with L lower-triangular — optionally pushed
 * through a bijector:
 *
 * ```text
 * q(z) = T_# MultivariateNormal(μ, L),   L = FillScaleTriL(ρ)   (diagonal softplus(ρᵢᵢ) + 10⁻⁵)
 * trainableVariables = [μ, ρ]            (ρ has d(d + 1)/2 entries; L = 0.1 I at the start)
 * ```
 *
 * @param eventSize The number of latents (with a bijector, of its output).
 * @param options `{ bijector, seed }`.
 * @returns The surrogate; `dispose()` frees its variables.
 * @throws {TypeError} If `options` or the bijector is not one (or was
 *   disposed), `options` has a key other than `bijector` and `seed`, or the
 *   bijector does not map vectors of `eventSize` to vectors.
 * @throws {RangeError} If `eventSize` is not an integer in [1, 4096] or the
 *   seed is not a safe integer.
 *
 * @example
 * ```ts
 * import { fullRankSurrogate, useBackend } from "@elbo/elbo/tensor";
 * import assert from "node:assert/strict";
 *
 * await useBackend("cpu");
 * const q = fullRankSurrogate(3);
 * assert.deepEqual(q.trainableVariables.map((v) => v.shape), [[3], [6]]);
 * q.dispose();
 * ```
 */
export function fullRankSurrogate(
  eventSize: number,
  options: SurrogateOptions = {},
): TrainableSurrogate {
  const { bijector, baseSize: d, seed } = checkArgs(
    "Cannot build fullRankSurrogate",
    eventSize,
    options,
  );
  const loc = initialLoc(d, seed);
  // Row i of the triangle starts at i(i + 1)/2 and ends at its diagonal entry.
  const init = new Float32Array((d * (d + 1)) / 2);
  for (let i = 0; i < d; i++) init[(i * (i + 1)) / 2 + i] = RAW_SCALE;
  const raw = tf.tidy(() => tf.variable(tf.tensor1d(init)));
  const fill = new FillScaleTriL({ diagShift: SCALE_FLOOR });
  const q = owning(
    [loc, raw],
    ([m, r]) => through(new MultivariateNormal(m!, fill.forward(r!)), bijector),
  );
  return bijector ? q : markGaussian(q, { kind: "tril", floor: SCALE_FLOOR });
}
