import { assertInteger, show } from "../math/_validate.ts";
import type { Rng } from "../math/rng.ts";
import type { LatentModel } from "./latent_model.ts";

export function checkModel<X>(what: string, model: LatentModel<X>): void {
  if (model === null || typeof model !== "object" || typeof model.logJoint !== "function") {
    throw new TypeError(
      `${what} expects model to be a LatentModel with logJoint: current value is ${show(model)}`,
    );
  }
}

export function checkSamples(what: string, samples: unknown, min = 1): number {
  assertInteger(what, "samples", samples, min);
  return samples as number;
}

export function checkRng(what: string, rng: unknown): Rng {
  if (rng === null || typeof rng !== "object" || typeof (rng as Rng).normal !== "function") {
    throw new TypeError(
      `${what} as rng must be an Rng from createRng: current value is ${show(rng)}`,
    );
  }
  return rng as Rng;
}

export function needGradient<X>(
  what: string,
  model: LatentModel<X>,
  estimator: string,
): NonNullable<LatentModel<X>["gradLogJoint"]> {
  if (typeof model.gradLogJoint !== "function") {
    throw new TypeError(
      `${what} with estimator "${estimator}" needs model.gradLogJoint (the gradient of log p(x, z) in z); use "scoreFunction" for a model without it`,
    );
  }
  return model.gradLogJoint.bind(model);
}
