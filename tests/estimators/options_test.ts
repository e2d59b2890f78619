// Every estimator refuses an option it does not take, naming it and listing
// the ones it takes: `elbo(model, q, x, { sampels: 5 })` used to run.
import {
  createRng,
  DiagNormal,
  elbo,
  elboGradient,
  estimateLogEvidence,
  fitGaussian,
  fitVariational,
  importanceWeightedBound,
  importanceWeightedGradient,
  linearGaussianModel,
  MultivariateNormal,
} from "../../mod.ts";
import { assertRefusesUnknownOption, type OptionsCase } from "../_options.ts";

const model = linearGaussianModel({ weight: [[1], [0.5]], bias: [0, 0.5], noiseScale: 1 });
const q = new DiagNormal([0.2], [0.9]), x = new Float64Array([1, 2]);
const rng = () => createRng(1);
const target = MultivariateNormal.fromCovariance([0, 1], [[1, 0.3], [0.3, 2]]);

const CASES: OptionsCase[] = [
  {
    label: "elbo",
    what: "Cannot compute elbo",
    keys: ["method", "samples", "rng"],
    valid: { method: "exact" },
    call: (o) => elbo(model, q, x, o as never),
  },
  {
    label: "importanceWeightedBound",
    what: "Cannot compute importanceWeightedBound",
    keys: ["k", "samples", "rng"],
    valid: { k: 2, samples: 2, rng: rng() },
    call: (o) => importanceWeightedBound(model, q, x, o as never),
  },
  {
    label: "estimateLogEvidence",
    what: "Cannot estimateLogEvidence",
    keys: ["k", "samples", "rng"],
    valid: { k: 2, rng: rng() },
    call: (o) => estimateLogEvidence(model, q, x, o as never),
  },
  {
    label: "elboGradient",
    what: "Cannot compute elboGradient",
    keys: ["estimator", "samples", "rng"],
    valid: { estimator: "reparameterization", samples: 2, rng: rng() },
    call: (o) => elboGradient(model, q, x, o as never),
  },
  {
    label: "importanceWeightedGradient",
    what: "Cannot compute importanceWeightedGradient",
    keys: ["k", "estimator", "samples", "rng"],
    valid: { k: 2, estimator: "dreg", samples: 2, rng: rng() },
    call: (o) => importanceWeightedGradient(model, q, x, o as never),
  },
  {
    label: "fitVariational",
    what: "Cannot fitVariational",
    keys: [
      "init",
      "estimator",
      "steps",
      "samples",
      "learningRate",
      "learnScale",
      "average",
      "rng",
    ],
    valid: { init: q, steps: 2, rng: rng() },
    call: (o) => fitVariational(model, x, o as never),
  },
  {
    label: "fitGaussian",
    what: "Cannot fitGaussian",
    keys: [
      "divergence",
      "rng",
      "steps",
      "samples",
      "learningRate",
      "init",
      "restarts",
      "klSamples",
    ],
    valid: { divergence: "forward", rng: rng(), klSamples: 10 },
    call: (o) => fitGaussian(target, o as never),
  },
];

Deno.test("the estimators refuse an unknown option, naming it and the options", async (t) => {
  for (const c of CASES) {
    await t.step(`${c.label}() refuses options.sampels`, () => assertRefusesUnknownOption(c));
  }
});
