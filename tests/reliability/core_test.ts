// Every public constructor, method and function of the float64 core (mod.ts),
// fed hostile arguments: each parameter and each option in turn is replaced
// by a near-miss value (±0, ±∞, NaN, 2⁵³, subnormals, empty and ragged
// arrays, strings, null, objects with a `length`, typed arrays, …) and by
// fc.anything(), the others kept valid. Every call must either return a
// result with no NaN in it (and of the right shape) or throw a TypeError or
// RangeError of ours whose message names the replaced argument — never hang,
// never throw another class, never leak an engine message.
//
// A second property feeds finite values from the whole float64 range (huge,
// tiny, subnormal) to the numeric functions: no NaN may come out.
import assert from "node:assert/strict";
import { familyRows } from "../distributions/_core_table_rows.ts";
import * as core from "../../mod.ts";
import {
  Adam,
  Bernoulli,
  createRng,
  DiagNormal,
  Exponential,
  exponentialGaussianModel,
  linearGaussianModel,
  logisticRegressionModel,
  Mixture,
  MultivariateNormal,
  Normal,
} from "../../mod.ts";
import { fc } from "../_fc.ts";

/** One argument (or option) to replace: argument `at`, or its option `field`. */
interface Slot {
  at: number;
  field?: string;
  /** The name the error message must contain. */
  name: string;
  /** A count: hostile integers above 64 are left out, so that a valid call stays fast. */
  count?: boolean;
}

/** How to call one public function with valid arguments, and what it may return. */
interface Case {
  label: string;
  args: () => unknown[];
  // deno-lint-ignore no-explicit-any
  call: (...args: any[]) => unknown;
  slots: Slot[];
  /** Checks the shape of a result (beyond "no NaN"), given the arguments. */
  shape?: (result: unknown, args: unknown[]) => boolean;
}

const s = (at: number, name: string, extra: Partial<Slot> = {}): Slot => ({ at, name, ...extra });
const o = (at: number, field: string, extra: Partial<Slot> = {}): Slot => ({
  at,
  field,
  name: field,
  ...extra,
});
const isNumber = (r: unknown) => typeof r === "number";
const isVector = (n: number) => (r: unknown) => r instanceof Float64Array && r.length === n;
const isEstimate = (r: unknown) =>
  typeof (r as core.Estimate).value === "number" &&
  typeof (r as core.Estimate).standardError === "number";
const isGradient = (r: unknown) =>
  (r as core.ElboGradientResult).loc instanceof Float64Array &&
  (r as core.ElboGradientResult).scale instanceof Float64Array;

const rng = () => createRng(1);
const lin = () => linearGaussianModel({ weight: [[1], [0.5]], bias: [0, 0.5], noiseScale: 1 });
const logi = () => logisticRegressionModel({ features: [1, 0, 0, 1, 1, 1], dimension: 2 });
const q1 = () => new DiagNormal([0.2], [0.9]);
const mvn2 = () => new MultivariateNormal([0, 1], [[1, 0], [0.5, 2]]);
const mix = () => new Mixture([0.3, 0.7], [new Normal(-1, 1), new Normal(2, 0.5)]);
const x2 = () => new Float64Array([1, 2]);

/** A distribution's methods, from a factory of valid instances. */
function methods(label: string, make: () => core.Distribution, point: () => unknown): Case[] {
  const d = make().eventSize;
  const cases: Case[] = [
    {
      label: `${label}.logProb`,
      args: () => [make(), point()],
      call: (p, x) => p.logProb(x),
      slots: [s(1, "x")],
      shape: isNumber,
    },
    {
      label: `${label}.logProbBatch`,
      args: () => [make(), Array.from({ length: 3 }, point).flat(), undefined],
      call: (p, xs, out) => p.logProbBatch(xs, out),
      slots: [s(1, "xs"), s(2, "out")],
      shape: (r, args) => isVector((args[1] as unknown[]).length / d)(r),
    },
    {
      label: `${label}.sample`,
      args: () => [make(), rng()],
      call: (p, r) => p.sample(r),
      slots: [s(1, "rng")],
    },
    {
      label: `${label}.sampleN`,
      args: () => [make(), rng(), 5],
      call: (p, r, n) => p.sampleN(r, n),
      slots: [s(1, "rng"), s(2, "n", { count: true })],
    },
  ];
  if (make().gradLogProb) {
    cases.push({
      label: `${label}.gradLogProb`,
      args: () => [make(), point()],
      call: (p, x) => p.gradLogProb(x),
      slots: [s(1, "x")],
    });
  }
  return cases.map((c) => ({
    ...c,
    shape: c.shape ?? ((r) => d === 1 ? true : r instanceof Float64Array),
  }));
}

/** Every runtime export of mod.ts, and how to call it. */
const TABLE: Record<string, Case[]> = {
  createRng: [
    { label: "createRng", args: () => [7], call: (seed) => createRng(seed), slots: [s(0, "seed")] },
    {
      label: "rng.integer",
      args: () => [rng(), 5],
      call: (r, n) => r.integer(n),
      slots: [s(1, "n", { count: true })],
      shape: isNumber,
    },
    {
      label: "rng.fillNormal",
      args: () => [rng(), new Float64Array(3)],
      call: (r, out) => r.fillNormal(out),
      slots: [s(1, "out")],
      shape: (r, args) => r === args[1],
    },
  ],
  logAddExp: [{
    label: "logAddExp",
    args: () => [1, 2],
    call: core.logAddExp,
    slots: [s(0, "a"), s(1, "b")],
    shape: isNumber,
  }],
  logSumExp: [{
    label: "logSumExp",
    args: () => [[1, 2, 3], 0, 3],
    call: core.logSumExp,
    slots: [s(0, "values"), s(1, "start"), s(2, "end")],
    shape: isNumber,
  }],
  logSigmoid: [{
    label: "logSigmoid",
    args: () => [0.5],
    call: core.logSigmoid,
    slots: [s(0, "x")],
    shape: isNumber,
  }],
  sigmoid: [{
    label: "sigmoid",
    args: () => [0.5],
    call: core.sigmoid,
    slots: [s(0, "x")],
    shape: isNumber,
  }],
  softplus: [{
    label: "softplus",
    args: () => [0.5],
    call: core.softplus,
    slots: [s(0, "x")],
    shape: isNumber,
  }],
  cholesky: [{
    label: "cholesky",
    args: () => [[[4, 2], [2, 5]]],
    call: core.cholesky,
    slots: [s(0, "matrix")],
  }],
  logDetFromCholesky: [{
    label: "logDetFromCholesky",
    args: () => [[2, 0, 1, 2], 2],
    call: core.logDetFromCholesky,
    slots: [s(0, "L"), s(1, "n", { count: true })],
    shape: isNumber,
  }],
  solveLowerTriangular: [{
    label: "solveLowerTriangular",
    args: () => [[2, 0, 1, 2], [2, 5], undefined],
    call: core.solveLowerTriangular,
    slots: [s(0, "L"), s(1, "b"), s(2, "out")],
  }],
  solveUpperTriangularTransposed: [{
    label: "solveUpperTriangularTransposed",
    args: () => [[2, 0, 1, 2], [2, 5], undefined],
    call: core.solveUpperTriangularTransposed,
    slots: [s(0, "L"), s(1, "b"), s(2, "out")],
  }],
  meanAndStandardError: [{
    label: "meanAndStandardError",
    args: () => [[1, 2, 4], 1],
    call: core.meanAndStandardError,
    slots: [s(0, "values"), s(1, "sign")],
    shape: isEstimate,
  }],
  Normal: [
    {
      label: "new Normal",
      args: () => [0, 1],
      call: (m, sd) => new Normal(m, sd),
      slots: [s(0, "loc"), s(1, "scale")],
    },
    {
      label: "Normal.fromLogScale",
      args: () => [0, 0.1],
      call: Normal.fromLogScale,
      slots: [s(0, "loc"), s(1, "logScale")],
    },
    {
      label: "Normal.reparameterize",
      args: () => [new Normal(0, 2), 0.3],
      call: (n, e) => n.reparameterize(e),
      slots: [s(1, "epsilon")],
      shape: isNumber,
    },
    ...methods("Normal", () => new Normal(0.5, 2), () => 0.25),
  ],
  DiagNormal: [
    {
      label: "new DiagNormal",
      args: () => [[0, 1], [1, 2]],
      call: (m, sd) => new DiagNormal(m, sd),
      slots: [s(0, "loc"), s(1, "scale")],
    },
    {
      label: "DiagNormal.fromLogScale",
      args: () => [[0, 1], [0, 0.5]],
      call: DiagNormal.fromLogScale,
      slots: [s(0, "loc"), s(1, "logScale")],
    },
    {
      label: "DiagNormal.reparameterize",
      args: () => [new DiagNormal([0, 1], [1, 2]), [0.3, -1], undefined],
      call: (n, e, out) => n.reparameterize(e, out),
      slots: [s(1, "epsilon"), s(2, "out")],
      shape: isVector(2),
    },
    ...methods("DiagNormal", () => new DiagNormal([0, 1], [1, 2]), () => [0.5, -1]),
  ],
  MultivariateNormal: [
    {
      label: "new MultivariateNormal",
      args: () => [[0, 1], [[1, 0], [0.5, 2]]],
      call: (m, l) => new MultivariateNormal(m, l),
      slots: [s(0, "loc"), s(1, "scaleTril")],
    },
    {
      label: "MultivariateNormal.fromCovariance",
      args: () => [[0, 1], [[4, 2], [2, 5]]],
      call: MultivariateNormal.fromCovariance,
      slots: [s(0, "loc"), s(1, "covariance")],
    },
    {
      label: "MultivariateNormal.fromScaleTril",
      args: () => [[0, 1], [1, 0, 0.5, 2]],
      call: MultivariateNormal.fromScaleTril,
      slots: [s(0, "loc"), s(1, "scaleTril")],
    },
    {
      label: "MultivariateNormal.reparameterize",
      args: () => [mvn2(), [0.3, -1], undefined],
      call: (n, e, out) => n.reparameterize(e, out),
      slots: [s(1, "epsilon"), s(2, "out")],
      shape: isVector(2),
    },
    {
      label: "MultivariateNormal.whiten",
      args: () => [mvn2(), [0.3, -1], undefined],
      call: (n, v, out) => n.whiten(v, out),
      slots: [s(1, "v"), s(2, "out")],
      shape: isVector(2),
    },
    ...methods("MultivariateNormal", mvn2, () => [0.5, -1]),
  ],
  Bernoulli: [
    {
      label: "new Bernoulli(probs)",
      args: () => [{ probs: [0.2, 0.9] }],
      call: (p) => new Bernoulli(p),
      slots: [s(0, "params"), o(0, "probs")],
    },
    {
      label: "new Bernoulli(logits)",
      args: () => [{ logits: [-1, 3] }],
      call: (p) => new Bernoulli(p),
      slots: [s(0, "params"), o(0, "logits")],
    },
    ...methods("Bernoulli", () => new Bernoulli({ probs: [0.2, 0.9] }), () => [1, 0.25]),
  ],
  ContinuousBernoulli: [
    {
      label: "new ContinuousBernoulli(probs)",
      args: () => [{ probs: [0.2, 0.5] }],
      call: (p) => new core.ContinuousBernoulli(p),
      slots: [s(0, "params"), o(0, "probs")],
    },
    {
      label: "new ContinuousBernoulli(logits)",
      args: () => [{ logits: [-1, 0] }],
      call: (p) => new core.ContinuousBernoulli(p),
      slots: [s(0, "params"), o(0, "logits")],
    },
    ...methods(
      "ContinuousBernoulli",
      () => new core.ContinuousBernoulli({ logits: [0.3, 0] }),
      () => [0.25, 1],
    ),
  ],
  OneHotCategorical: [
    {
      label: "new OneHotCategorical(probs)",
      args: () => [{ probs: [0.2, 0.8] }],
      call: (p) => new core.OneHotCategorical(p),
      slots: [s(0, "params"), o(0, "probs")],
    },
    {
      label: "new OneHotCategorical(logits)",
      args: () => [{ logits: [-1, 0, 2] }],
      call: (p) => new core.OneHotCategorical(p),
      slots: [s(0, "params"), o(0, "logits")],
    },
    ...methods(
      "OneHotCategorical",
      () => new core.OneHotCategorical({ logits: [0.3, 0, -1] }),
      () => [0, 1, 0],
    ),
  ],
  RelaxedOneHotCategorical: [
    {
      label: "new RelaxedOneHotCategorical(probs)",
      args: () => [0.5, { probs: [0.2, 0.8] }],
      call: (t, p) => new core.RelaxedOneHotCategorical(t, p),
      slots: [s(0, "temperature"), s(1, "params"), o(1, "probs")],
    },
    {
      label: "new RelaxedOneHotCategorical(logits)",
      args: () => [2, { logits: [-1, 0, 2] }],
      call: (t, p) => new core.RelaxedOneHotCategorical(t, p),
      slots: [s(0, "temperature"), s(1, "params"), o(1, "logits")],
    },
    ...methods(
      "RelaxedOneHotCategorical",
      () => new core.RelaxedOneHotCategorical(0.7, { logits: [0.3, 0, -1] }),
      () => [0.25, 0.25, 0.5],
    ),
  ],
  RelaxedBernoulli: [
    {
      label: "new RelaxedBernoulli(probs)",
      args: () => [0.5, { probs: [0.2, 0.8] }],
      call: (t, p) => new core.RelaxedBernoulli(t, p),
      slots: [s(0, "temperature"), s(1, "params"), o(1, "probs")],
    },
    {
      label: "new RelaxedBernoulli(logits)",
      args: () => [2, { logits: [-1, 0] }],
      call: (t, p) => new core.RelaxedBernoulli(t, p),
      slots: [s(0, "temperature"), s(1, "params"), o(1, "logits")],
    },
    ...methods(
      "RelaxedBernoulli",
      () => new core.RelaxedBernoulli(0.7, { logits: [0.3, 0] }),
      () => [0.25, 0.9],
    ),
  ],
  Exponential: [
    {
      label: "new Exponential",
      args: () => [2],
      call: (r) => new Exponential(r),
      slots: [s(0, "rate")],
    },
    ...methods("Exponential", () => new Exponential(2), () => 0.3),
  ],
  Mixture: [
    {
      label: "new Mixture",
      args: () => [[0.3, 0.7], [new Normal(-1, 1), new Normal(2, 0.5)]],
      call: (w, c) => new Mixture(w, c),
      slots: [s(0, "weights"), s(1, "components")],
    },
    {
      label: "Mixture.entropyMonteCarlo",
      args: () => [mix(), { samples: 8, rng: rng() }],
      call: (m, opts) => m.entropyMonteCarlo(opts),
      slots: [s(1, "options"), o(1, "samples", { count: true }), o(1, "rng")],
      shape: isEstimate,
    },
    ...methods("Mixture", mix, () => 0.1),
  ],
  klDivergence: [{
    label: "klDivergence",
    args: () => [new Normal(0, 1), new Normal(1, 2)],
    call: core.klDivergence,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }],
  registeredKLPairs: [{
    label: "registeredKLPairs",
    args: () => [],
    call: core.registeredKLPairs,
    slots: [],
  }],
  registerKL: [{
    label: "registerKL",
    args: () => [class extends Exponential {}, class extends Exponential {}, () => 0],
    call: core.registerKL,
    slots: [s(0, "pClass"), s(1, "qClass"), s(2, "fn")],
  }],
  klNormal: [{
    label: "klNormal",
    args: () => [new Normal(0, 1), new Normal(1, 2)],
    call: core.klNormal,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }],
  klDiagNormal: [{
    label: "klDiagNormal",
    args: () => [q1(), new DiagNormal([1], [2])],
    call: core.klDiagNormal,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }],
  klMultivariateNormal: [{
    label: "klMultivariateNormal",
    args: () => [mvn2(), new DiagNormal([0, 0], [1, 1])],
    call: core.klMultivariateNormal,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }],
  klStandardNormal: [{
    label: "klStandardNormal",
    args: () => [q1()],
    call: core.klStandardNormal,
    slots: [s(0, "q")],
    shape: isNumber,
  }],
  klBernoulli: [{
    label: "klBernoulli",
    args: () => [new Bernoulli({ probs: [0.3] }), new Bernoulli({ logits: [1] })],
    call: core.klBernoulli,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }],
  klContinuousBernoulli: [{
    label: "klContinuousBernoulli",
    args: () => [
      new core.ContinuousBernoulli({ probs: [0.3] }),
      new core.ContinuousBernoulli({ logits: [1] }),
    ],
    call: core.klContinuousBernoulli,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }],
  klExponential: [{
    label: "klExponential",
    args: () => [new Exponential(1), new Exponential(3)],
    call: core.klExponential,
    slots: [s(0, "p"), s(1, "q")],
    shape: isNumber,
  }],
  klMonteCarlo: [{
    label: "klMonteCarlo",
    args: () => [new Normal(0, 1), mix(), { samples: 8, rng: rng() }],
    call: core.klMonteCarlo,
    slots: [s(0, "p"), s(1, "q"), s(2, "options"), o(2, "samples", { count: true }), o(2, "rng")],
    shape: isEstimate,
  }],
  jensenShannon: [{
    label: "jensenShannon",
    args: () => [new Normal(0, 1), mix(), { samples: 8, rng: rng() }],
    call: core.jensenShannon,
    slots: [s(0, "p"), s(1, "q"), s(2, "options"), o(2, "samples", { count: true }), o(2, "rng")],
    shape: isEstimate,
  }],
  linearGaussianModel: [
    {
      label: "linearGaussianModel",
      args: () => [{ weight: [[1], [0.5]], bias: [0, 0.5], noiseScale: 1, latentSize: undefined }],
      call: core.linearGaussianModel,
      slots: [
        s(0, "options"),
        o(0, "weight"),
        o(0, "bias"),
        o(0, "noiseScale"),
        o(0, "latentSize"),
      ],
    },
    {
      label: "linear.logLikelihood",
      args: () => [lin(), x2(), [0.3]],
      call: (m, x, z) => m.logLikelihood(x, z),
      slots: [s(1, "x"), s(2, "z")],
      shape: isNumber,
    },
    {
      label: "linear.logJoint",
      args: () => [lin(), x2(), [0.3]],
      call: (m, x, z) => m.logJoint(x, z),
      slots: [s(1, "x"), s(2, "z")],
      shape: isNumber,
    },
    {
      label: "linear.gradLogJoint",
      args: () => [lin(), x2(), [0.3], undefined],
      call: (m, x, z, out) => m.gradLogJoint(x, z, out),
      slots: [s(1, "x"), s(2, "z"), s(3, "out")],
      shape: isVector(1),
    },
    {
      label: "linear.expectedLogLikelihood",
      args: () => [lin(), x2(), q1()],
      call: (m, x, q) => m.expectedLogLikelihood(x, q),
      slots: [s(1, "x"), s(2, "q")],
      shape: isNumber,
    },
    {
      label: "linear.logEvidence",
      args: () => [lin(), x2()],
      call: (m, x) => m.logEvidence(x),
      slots: [s(1, "x")],
      shape: isNumber,
    },
    {
      label: "linear.posterior",
      args: () => [lin(), x2()],
      call: (m, x) => m.posterior(x),
      slots: [s(1, "x")],
    },
    {
      label: "linear.exactElboGradient",
      args: () => [lin(), x2(), q1()],
      call: (m, x, q) => m.exactElboGradient(x, q),
      slots: [s(1, "x"), s(2, "q")],
    },
  ],
  exponentialGaussianModel: [
    {
      label: "exponentialGaussianModel",
      args: () => [],
      call: core.exponentialGaussianModel,
      slots: [],
    },
    {
      label: "expo.logJoint",
      args: () => [exponentialGaussianModel(), 2, [1]],
      call: (m, x, z) => m.logJoint(x, z),
      slots: [s(1, "x"), s(2, "z")],
      shape: isNumber,
    },
    {
      label: "expo.gradLogJoint",
      args: () => [exponentialGaussianModel(), 2, [1], undefined],
      call: (m, x, z, out) => m.gradLogJoint(x, z, out),
      slots: [s(1, "x"), s(2, "z"), s(3, "out")],
      shape: isVector(1),
    },
    {
      label: "expo.optimalLoc",
      args: () => [exponentialGaussianModel(), 2],
      call: (m, x) => m.optimalLoc(x),
      slots: [s(1, "x")],
      shape: isNumber,
    },
  ],
  logisticRegressionModel: [
    {
      label: "logisticRegressionModel",
      args: () => [{ features: [1, 0, 0, 1, 1, 1], dimension: 2, priorScale: 1.5 }],
      call: core.logisticRegressionModel,
      slots: [
        s(0, "options"),
        o(0, "features"),
        o(0, "dimension", { count: true }),
        o(0, "priorScale"),
      ],
    },
    {
      label: "logistic.logLikelihood",
      args: () => [logi(), [1, 0, 1], [0.5, -0.5]],
      call: (m, y, w) => m.logLikelihood(y, w),
      slots: [s(1, "labels"), s(2, "w")],
      shape: isNumber,
    },
    {
      label: "logistic.logJoint",
      args: () => [logi(), [1, 0, 1], [0.5, -0.5]],
      call: (m, y, w) => m.logJoint(y, w),
      slots: [s(1, "labels"), s(2, "w")],
      shape: isNumber,
    },
    {
      label: "logistic.gradLogJoint",
      args: () => [logi(), [1, 0, 1], [0.5, -0.5], undefined],
      call: (m, y, w, out) => m.gradLogJoint(y, w, out),
      slots: [s(1, "labels"), s(2, "w"), s(3, "out")],
      shape: isVector(2),
    },
  ],
  logisticRegressionData: [{
    label: "logisticRegressionData",
    args: () => [rng(), { examples: 5, dimension: 2 }],
    call: core.logisticRegressionData,
    slots: [
      s(0, "rng"),
      s(1, "options"),
      o(1, "examples", { count: true }),
      o(1, "dimension", { count: true }),
    ],
  }],
  elbo: [{
    label: "elbo",
    args: () => [lin(), q1(), x2(), { method: "monteCarlo", samples: 4, rng: rng() }],
    call: core.elbo,
    slots: [
      s(0, "model"),
      s(1, "q"),
      s(2, "x"),
      s(3, "options"),
      o(3, "method"),
      o(3, "samples", { count: true }),
      o(3, "rng"),
    ],
    shape: isEstimate,
  }],
  estimateLogEvidence: [{
    label: "estimateLogEvidence",
    args: () => [lin(), q1(), x2(), { k: 4, samples: 3, rng: rng() }],
    call: core.estimateLogEvidence,
    slots: [
      s(0, "model"),
      s(1, "q"),
      s(2, "x"),
      s(3, "options"),
      o(3, "k", { count: true }),
      o(3, "samples", { count: true }),
      o(3, "rng"),
    ],
    shape: isEstimate,
  }],
  importanceWeightedBound: [{
    label: "importanceWeightedBound",
    args: () => [lin(), q1(), x2(), { k: 4, samples: 3, rng: rng() }],
    call: core.importanceWeightedBound,
    slots: [
      s(0, "model"),
      s(1, "q"),
      s(2, "x"),
      s(3, "options"),
      o(3, "k", { count: true }),
      o(3, "samples", { count: true }),
      o(3, "rng"),
    ],
    shape: isEstimate,
  }],
  elboGradient: [{
    label: "elboGradient",
    args: () => [lin(), q1(), x2(), { estimator: "reparameterization", samples: 4, rng: rng() }],
    call: core.elboGradient,
    slots: [
      s(0, "model"),
      s(1, "q"),
      s(2, "x"),
      s(3, "options"),
      o(3, "estimator"),
      o(3, "samples", { count: true }),
      o(3, "rng"),
    ],
    shape: isGradient,
  }],
  importanceWeightedGradient: [{
    label: "importanceWeightedGradient",
    args: () => [lin(), q1(), x2(), { k: 3, estimator: "dreg", samples: 3, rng: rng() }],
    call: core.importanceWeightedGradient,
    slots: [
      s(0, "model"),
      s(1, "q"),
      s(2, "x"),
      s(3, "options"),
      o(3, "k", { count: true }),
      o(3, "estimator"),
      o(3, "samples", { count: true }),
      o(3, "rng"),
    ],
    shape: isGradient,
  }],
  Adam: [
    {
      label: "new Adam",
      args: () => [2, { learningRate: 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 }],
      call: (n, opts) => new Adam(n, opts),
      slots: [
        s(0, "size", { count: true }),
        s(1, "options"),
        o(1, "learningRate"),
        o(1, "beta1"),
        o(1, "beta2"),
        o(1, "epsilon"),
      ],
    },
    {
      label: "Adam.ascend",
      args: () => [new Adam(2), new Float64Array([1, 2]), [0.5, -0.5]],
      call: (a, p, g) => {
        a.ascend(p, g);
        return p;
      },
      slots: [s(1, "params"), s(2, "grad")],
      shape: isVector(2),
    },
    {
      label: "Adam.learningRate =",
      args: () => [new Adam(2), 0.01],
      call: (a, lr) => {
        a.learningRate = lr;
        return a.learningRate;
      },
      slots: [s(1, "learningRate")],
      shape: isNumber,
    },
  ],
  fitVariational: [{
    label: "fitVariational",
    args: () => [
      lin(),
      x2(),
      {
        init: q1(),
        estimator: "reparameterization",
        steps: 3,
        samples: 2,
        learningRate: 0.05,
        learnScale: true,
        average: true,
        rng: rng(),
      },
    ],
    call: core.fitVariational,
    slots: [
      s(0, "model"),
      s(1, "x"),
      s(2, "options"),
      o(2, "init"),
      o(2, "estimator"),
      o(2, "steps", { count: true }),
      o(2, "samples", { count: true }),
      o(2, "learningRate"),
      o(2, "learnScale"),
      o(2, "average"),
      o(2, "rng"),
    ],
  }],
  fitGaussian: [{
    label: "fitGaussian",
    args: () => [
      new DiagNormal([0, 1], [1, 2]),
      {
        divergence: "reverse",
        rng: rng(),
        steps: 3,
        samples: 2,
        learningRate: 0.05,
        init: undefined,
        restarts: 1,
        klSamples: 4,
      },
    ],
    call: core.fitGaussian,
    slots: [
      s(0, "target"),
      s(1, "options"),
      o(1, "divergence"),
      o(1, "rng"),
      o(1, "steps", { count: true }),
      o(1, "samples", { count: true }),
      o(1, "learningRate"),
      o(1, "init"),
      o(1, "restarts", { count: true }),
      o(1, "klSamples", { count: true }),
    ],
  }],
  ...familyRows({ s, o, methods, isNumber, isVector, rng }),
};

/** Values one step off a valid argument, tried in every slot. */
const NEAR_MISS: unknown[] = [
  0,
  -0,
  1,
  -1,
  2,
  0.5,
  Infinity,
  -Infinity,
  NaN,
  2 ** 53,
  -(2 ** 53),
  1e15,
  2 ** 27 + 1,
  5e-324,
  -5e-324,
  1e-310,
  1e308,
  -1e308,
  "1",
  "",
  null,
  undefined,
  true,
  {},
  [],
  [NaN],
  [1, NaN],
  [Infinity],
  [[1, 2], [3]],
  [[]],
  ["a"],
  { length: 2 },
  { length: 1e12 },
  { length: -1 },
  new Float64Array(0),
  new Float64Array([NaN, 1]),
  new Float64Array(3),
  new Float32Array(2),
  new BigInt64Array(1),
  new DataView(new ArrayBuffer(8)),
  Object.create(null),
  Symbol("x"),
  1n,
  () => 0,
  new Normal(0, 1),
  new DiagNormal([0], [1]),
  createRng(3),
];

/** fc.anything() with the exotic values on, plus the near misses. */
const hostile = (count: boolean): fc.Arbitrary<unknown> => {
  const any = fc.oneof(
    fc.anything({
      withBoxedValues: true,
      withNullPrototype: true,
      withTypedArray: true,
      withSparseArray: true,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      maxDepth: 2,
    }),
    fc.double(),
    fc.array(fc.double(), { maxLength: 5 }),
    fc.constantFrom(...NEAR_MISS),
  );
  // A huge but valid count would make a valid call slow, not wrong.
  return count ? any.filter((v) => !(Number.isSafeInteger(v) && (v as number) > 64)) : any;
};

const ENGINE =
  /Cannot read properties|is not a function|is not iterable|Invalid typed array length|Array buffer allocation|Maximum call stack|Cannot convert|Cannot mix BigInt|Invalid array length|is not a constructor|Cannot destructure|undefined \(reading/;

/** Scans a result for NaN (numbers, arrays, typed arrays, plain fields, two levels deep). */
function findNaN(v: unknown, depth = 0): boolean {
  if (typeof v === "number") return v !== v;
  if (depth > 2 || v === null || typeof v !== "object") return false;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return Array.prototype.some.call(v, (x: unknown) => typeof x === "number" && x !== x);
  }
  return Object.values(v).some((x) => findNaN(x, depth + 1));
}

function withSlot(args: unknown[], slot: Slot, value: unknown): unknown[] {
  const out = args.slice();
  if (slot.field === undefined) out[slot.at] = value;
  else out[slot.at] = { ...(out[slot.at] as object), [slot.field]: value };
  return out;
}

/** Calls one case with `value` in `slot` and checks the outcome. */
function check(c: Case, slot: Slot | undefined, value: unknown): void {
  const args = slot ? withSlot(c.args(), slot, value) : c.args();
  const where = `${c.label}${slot ? ` with ${slot.name} = ${describe(value)}` : ""}`;
  const t0 = performance.now();
  let result: unknown;
  try {
    result = c.call(...args);
  } catch (e) {
    if (!(e instanceof TypeError || e instanceof RangeError)) {
      assert.fail(`${where} threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    }
    assert.ok(!ENGINE.test(e.message), `${where} leaked an engine error: ${e.message}`);
    if (slot) {
      // A whole options object may be refused by naming the field it lacks.
      const names = slot.name === "options"
        ? ["options", ...Object.keys(c.args()[slot.at] as object)]
        : [slot.name];
      assert.ok(
        names.some((n) => e.message.includes(n)),
        `${where} threw a ${e.constructor.name} that does not name ${
          names.join(" or ")
        }: ${e.message}`,
      );
    }
    return;
  } finally {
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `${where} took ${ms.toFixed(0)} ms`);
  }
  assert.ok(!findNaN(result), `${where} returned NaN: ${describe(result)}`);
  if (c.shape) {
    assert.ok(c.shape(result, args), `${where} returned the wrong shape: ${describe(result)}`);
  }
}

function describe(v: unknown): string {
  try {
    if (typeof v === "symbol" || typeof v === "bigint" || typeof v === "function") return String(v);
    return JSON.stringify(v, (_k, x) => typeof x === "bigint" ? `${x}n` : x)?.slice(0, 120) ??
      String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

Deno.test("mod.ts exports, fed hostile arguments", async (t) => {
  await t.step("every runtime export of mod.ts has a row in the table", () => {
    const exported = Object.keys(core).sort();
    const covered = Object.keys(TABLE).sort();
    assert.deepEqual(
      exported.filter((k) => !covered.includes(k)),
      [],
      "exports of mod.ts missing from TABLE in tests/reliability/core_test.ts: add how to call them",
    );
    assert.deepEqual(
      covered.filter((k) => !exported.includes(k)),
      [],
      "TABLE rows that mod.ts no longer exports",
    );
  });

  await t.step("every valid call in the table succeeds", () => {
    for (const cases of Object.values(TABLE)) for (const c of cases) check(c, undefined, undefined);
  });

  for (const [name, cases] of Object.entries(TABLE)) {
    await t.step(`${name}(): every argument, near misses and fc.anything()`, () => {
      for (const c of cases) {
        for (const slot of c.slots) {
          for (const v of NEAR_MISS) {
            if (slot.count && Number.isSafeInteger(v) && (v as number) > 64) continue;
            check(c, slot, v);
          }
          fc.assert(
            fc.property(hostile(slot.count ?? false), (v) => check(c, slot, v)),
            { numRuns: 30 },
          );
        }
      }
    });
  }
});

Deno.test("the core never returns NaN from finite input", async (t) => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const positive = fc.double({
    min: 2.2250738585072014e-308,
    noNaN: true,
    noDefaultInfinity: true,
  });
  const noNaN = (v: unknown, what: string) => assert.ok(!findNaN(v), `${what}: ${describe(v)}`);

  await t.step("scalar functions and reductions", () => {
    fc.assert(
      fc.property(finite, finite, fc.array(finite, { minLength: 1, maxLength: 6 }), (a, b, xs) => {
        for (const f of [core.softplus, core.sigmoid, core.logSigmoid]) {
          noNaN(f(a), `${f.name}(${a})`);
        }
        noNaN(core.logAddExp(a, b), `logAddExp(${a}, ${b})`);
        noNaN(core.logSumExp(xs), `logSumExp(${xs})`);
        noNaN(core.meanAndStandardError(xs), `meanAndStandardError(${xs})`);
      }),
      { numRuns: 300 },
    );
  });

  await t.step("univariate distributions and their divergences", () => {
    fc.assert(
      fc.property(finite, positive, finite, positive, finite, (m0, s0, m1, s1, x) => {
        const p = new Normal(m0, s0), q = new Normal(m1, s1);
        const e0 = new Exponential(s0), e1 = new Exponential(s1);
        for (const d of [p, q, e0, e1]) {
          noNaN(
            [d.logProb(x), d.entropy(), d.mean(), d.variance()],
            `${d.constructor.name} at ${x}`,
          );
          noNaN(d.sampleN(createRng(1), 4), "sampleN");
        }
        noNaN([p.gradLogProb(x), p.reparameterize(x)], "Normal gradient/reparameterize");
        noNaN([core.klNormal(p, q), core.klExponential(e0, e1)], `KL ${m0} ${s0} ${m1} ${s1}`);
        const b0 = new Bernoulli({ logits: [m0] }), b1 = new Bernoulli({ logits: [m1] });
        noNaN([core.klBernoulli(b0, b1), b0.entropy(), b0.variance()], `Bernoulli ${m0} ${m1}`);
      }),
      { numRuns: 300 },
    );
  });

  await t.step("multivariate Gaussians and their divergences", () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 2, maxLength: 2 }),
        fc.array(finite, { minLength: 2, maxLength: 2 }),
        positive,
        positive,
        finite,
        fc.array(finite, { minLength: 2, maxLength: 2 }),
        (mu, nu, a, b, c, x) => {
          const p = new MultivariateNormal(mu, [[a, 0], [c, b]]);
          const q = new MultivariateNormal(nu, [[b, 0], [-c, a]]);
          const dp = new DiagNormal(mu, [a, b]);
          noNaN([p.logProb(x), dp.logProb(x), p.entropy(), p.covariance(), p.variance()], "MVN");
          noNaN([core.klMultivariateNormal(p, q), core.klMultivariateNormal(dp, q)], "MVN KL");
          noNaN(
            [core.klDiagNormal(dp, new DiagNormal(nu, [b, a])), core.klStandardNormal(dp)],
            "diag KL",
          );
          noNaN(p.logProbBatch([...x, ...mu]), "logProbBatch");
        },
      ),
      { numRuns: 300 },
    );
  });
});
