// deno bench bench/estimators_bench.ts
//
// Cost of each ELBO method and each gradient estimator on one model and one
// sample count (S = 100). Their variance is measured by `deno task variance`.
import {
  createRng,
  DiagNormal,
  elbo,
  elboGradient,
  type ElboGradientEstimator,
  importanceWeightedGradient,
  linearGaussianModel,
} from "../mod.ts";

const model = linearGaussianModel({
  weight: [[1, 0.5], [0.2, 1], [0.3, -0.4], [-0.8, 0.1], [0.5, 0.5]],
  bias: [0, 0, 1, 0.5, -0.5],
  noiseScale: 0.7,
});
const x = new Float64Array([0.3, -1, 2, 0.4, 0.1]);
const q = new DiagNormal([0, 0], [1, 1]);
const rng = createRng(1);
const S = 100;

for (const method of ["exact", "monteCarlo", "analyticKL"] as const) {
  Deno.bench({
    group: `ELBO, S = ${S}`,
    name: method,
    baseline: method === "monteCarlo",
    fn: () => {
      elbo(model, q, x, { method, samples: S, rng });
    },
  });
}

const estimators: ElboGradientEstimator[] = [
  "scoreFunction",
  "scoreFunctionBaseline",
  "reparameterization",
  "stickingTheLanding",
];
for (const estimator of estimators) {
  Deno.bench({
    group: `ELBO gradient, S = ${S}`,
    name: estimator,
    baseline: estimator === "reparameterization",
    fn: () => {
      elboGradient(model, q, x, { estimator, samples: S, rng });
    },
  });
}

for (const estimator of ["iwae", "dreg"] as const) {
  Deno.bench({
    group: "importance-weighted gradient, k = 10, 10 replications",
    name: estimator,
    baseline: estimator === "iwae",
    fn: () => {
      importanceWeightedGradient(model, q, x, { k: 10, estimator, samples: 10, rng });
    },
  });
}
