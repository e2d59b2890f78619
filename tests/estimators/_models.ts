// Random linear-Gaussian models and Gaussian q's for the estimator laws.
import {
  type LinearGaussianModel,
  linearGaussianModel,
  type MultivariateNormal,
} from "../../mod.ts";
import { fc } from "../_fc.ts";
import { diagNormal, mvn } from "../_arbitraries.ts";

/** A model with K ∈ {1, 2, 3} latents and D ∈ {1, …, 4} observations, an x, and a q. */
export const linearCase = (): fc.Arbitrary<
  {
    model: LinearGaussianModel;
    x: Float64Array;
    q: MultivariateNormal | import("../../mod.ts").DiagNormal;
  }
> =>
  fc.record({
    K: fc.integer({ min: 1, max: 3 }),
    D: fc.integer({ min: 1, max: 4 }),
    full: fc.boolean(),
  }).chain(({ K, D, full }) =>
    fc.record({
      w: fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), {
        minLength: D * K,
        maxLength: D * K,
      }),
      b: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: D, maxLength: D }),
      x: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: D, maxLength: D }),
      sigma: fc.double({ min: 0.3, max: 2, noNaN: true }),
      q: full ? mvn(K) : diagNormal(K),
    }).map(({ w, b, x, sigma, q }) => ({
      model: linearGaussianModel({ weight: w, bias: b, noiseScale: sigma, latentSize: K }),
      x: Float64Array.from(x),
      q,
    }))
  );
