// The distribution cases of tensor_test.ts: each family's constructor with
// a slot per parameter, the instance it builds put through all of its
// methods; and logProb and sample (and a mixture's entropyMonteCarlo) of a
// valid instance with hostile points, counts and seeds.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as T from "../../tensor.ts";
import {
  type Case,
  disposeAll,
  FIELDS,
  MakeValue,
  optionsOf,
  type Slot,
  tensorResult,
} from "./_hostile.ts";
import {
  all,
  hostileN,
  moments,
  NOT_BIJECTORS,
  NOT_DISTRIBUTIONS,
  P,
  positive,
} from "./_tensor_values.ts";

const probability = all((x) => x >= 0 && x <= 1);

/**
 * Puts a distribution just built through its methods: logProb at a point
 * of its support, two draws, entropy, mean and variance (those with a closed
 * form), covariance where it has one. A method that throws is a failure of
 * the constructor that accepted the parameters.
 */
function exercise(d: T.TensorDistribution, x: (d: T.TensorDistribution) => T.TensorInput) {
  const out: Record<string, unknown> = { d };
  try {
    const point = out.x = x(d);
    out.logProb = d.logProb(point);
    out.sample = d.sample(2, 1);
    Object.assign(out, moments(d));
    if (d instanceof T.Mixture) out.entropyMonteCarlo = d.entropyMonteCarlo(4, 1);
  } catch (e) {
    disposeAll(out);
    throw new assert.AssertionError({
      message: `constructed, then a method threw ${(e as Error)?.name}: ${(e as Error)?.message}`,
    });
  }
  return out;
}

/** Checks the shapes of what {@linkcode exercise} returned, and its values. */
function exercised(r: unknown, finite: boolean): void {
  const { d, logProb, sample, entropy, mean } = r as {
    d: T.TensorDistribution;
    logProb: tf.Tensor;
    sample: tf.Tensor;
    entropy?: tf.Tensor;
    mean?: tf.Tensor;
  };
  const full = [...d.batchShape, ...d.eventShape];
  assert.deepEqual(sample.shape, [2, ...full], "sample(2) shape");
  if (entropy) assert.deepEqual(entropy.shape, d.batchShape, "entropy() shape");
  if (mean) assert.deepEqual(mean.shape, full, "mean() shape");
  assert.ok(logProb.rank >= d.batchShape.length, `logProb shape [${logProb.shape}]`);
  tensorResult()(r, finite);
}

interface Family {
  covers: string;
  label?: string;
  slots: Slot[];
  make: (v: Record<string, unknown>) => T.TensorDistribution;
  /** A point in the support of every instance. */
  x: (d: T.TensorDistribution) => T.TensorInput;
}

const at = (v: number) => () => v;
/** log σ: a shape that does not broadcast is reported as the scale's. */
const logScale = (): Slot => ({ ...P("logScale", 0.2), names: ["logScale", "scale"] });
const filled = (v: number) => (d: T.TensorDistribution) => tf.fill(d.eventShape, v);
const a = (v: Record<string, unknown>, k: string) => v[k] as T.TensorInput;
const normals = () => [new T.Normal(0, 1), new T.Normal(2, 0.5)];
/** `{ [k]: … }` of a family whose constructor takes a temperature beside its params. */
const paramsOf = (v: Record<string, unknown>, k: string): unknown =>
  v.params === FIELDS ? { [k]: v[k] } : v.params;

const FAMILIES: Family[] = [
  {
    covers: "Normal",
    slots: [P("loc", 0.3), P("scale", 1.5, positive)],
    make: (v) => new T.Normal(a(v, "loc"), a(v, "scale")),
    x: at(0.5),
  },
  {
    covers: "Normal",
    label: "Normal.fromLogScale",
    slots: [P("loc", 0.3), logScale()],
    make: (v) => T.Normal.fromLogScale(a(v, "loc"), a(v, "logScale")),
    x: at(0.5),
  },
  {
    covers: "DiagNormal",
    slots: [P("loc", [0, 0.5]), P("scale", 1, positive)],
    make: (v) => new T.DiagNormal(a(v, "loc"), a(v, "scale")),
    x: filled(0.5),
  },
  {
    covers: "DiagNormal",
    label: "DiagNormal.fromLogScale",
    slots: [P("loc", [0, 0.5]), logScale()],
    make: (v) => T.DiagNormal.fromLogScale(a(v, "loc"), a(v, "logScale")),
    x: filled(0.5),
  },
  {
    covers: "MultivariateNormal",
    slots: [P("loc", [0, 0.5]), P("scaleTril", [[1, 0], [0.5, 2]])],
    make: (v) => new T.MultivariateNormal(a(v, "loc"), a(v, "scaleTril")),
    x: filled(0),
  },
  ...(["logits", "probs"] as const).map((k): Family => ({
    covers: "Bernoulli",
    label: `new Bernoulli({ ${k} })`,
    slots: [
      { name: "params", valid: () => FIELDS, names: ["params", "logits", "probs"] },
      P(k, k === "logits" ? [0.3, -1] : [0.2, 1], k === "probs" ? probability : undefined),
    ],
    make: (v) => new T.Bernoulli(optionsOf(v, "", "params") as T.BernoulliParams),
    x: filled(1),
  })),
  ...(["logits", "probs"] as const).map((k): Family => ({
    covers: "ContinuousBernoulli",
    label: `new ContinuousBernoulli({ ${k} })`,
    slots: [
      { name: "params", valid: () => FIELDS, names: ["params", "logits", "probs"] },
      P(
        k,
        k === "logits" ? [0.3, 0] : [0.2, 0.5],
        k === "probs" ? all((p) => p > 0 && p < 1) : undefined,
      ),
    ],
    make: (v) =>
      new T.ContinuousBernoulli(optionsOf(v, "", "params") as T.ContinuousBernoulliParams),
    x: filled(0.25),
  })),
  {
    covers: "Exponential",
    slots: [P("rate", 2, positive)],
    make: (v) => new T.Exponential(a(v, "rate")),
    x: at(0.5),
  },
  {
    covers: "Gamma",
    slots: [P("concentration", 2, positive), P("rate", 1.5, positive)],
    make: (v) => new T.Gamma(a(v, "concentration"), a(v, "rate")),
    x: at(0.5),
  },
  {
    covers: "Beta",
    slots: [P("alpha", 2, positive), P("beta", 3, positive)],
    make: (v) => new T.Beta(a(v, "alpha"), a(v, "beta")),
    x: at(0.5),
  },
  {
    covers: "Laplace",
    slots: [P("loc", 0.3), P("scale", 1.5, positive)],
    make: (v) => new T.Laplace(a(v, "loc"), a(v, "scale")),
    x: at(0.5),
  },
  {
    covers: "StudentT",
    // (A tensor ν ≤ 1 has no mean: NaN, as documented.)
    slots: [P("df", 3, all((x) => x > 1)), P("loc", 0.3), P("scale", 1.5, positive)],
    make: (v) => new T.StudentT(a(v, "df"), a(v, "loc"), a(v, "scale")),
    x: at(0.5),
  },
  {
    covers: "Uniform",
    slots: [P("low", 0, all((x) => x < 1)), P("high", 1, all((x) => x > 0))],
    make: (v) => new T.Uniform(a(v, "low"), a(v, "high")),
    x: at(0.5),
  },
  ...(["logits", "probs"] as const).map((k): Family => ({
    covers: "Categorical",
    label: `new Categorical({ ${k} })`,
    slots: [
      { name: "params", valid: () => FIELDS, names: ["params", "logits", "probs"] },
      P(
        k,
        k === "logits" ? [0.1, 0.2, 0.3] : [0.2, 0.3, 0.5],
        k === "probs" ? (xs) => xs.every((x) => x >= 0) && xs.some((x) => x > 0) : undefined,
      ),
    ],
    make: (v) => new T.Categorical(optionsOf(v, "", "params") as T.CategoricalParams),
    x: at(0),
  })),
  ...(["logits", "probs"] as const).map((k): Family => ({
    covers: "OneHotCategorical",
    label: `new OneHotCategorical({ ${k} })`,
    slots: [
      { name: "params", valid: () => FIELDS, names: ["params", "logits", "probs"] },
      P(
        k,
        k === "logits" ? [0.1, 0.2, 0.3] : [0.2, 0.3, 0.5],
        k === "probs" ? (xs) => xs.every((x) => x >= 0) && xs.some((x) => x > 0) : undefined,
      ),
    ],
    make: (v) => new T.OneHotCategorical(optionsOf(v, "", "params") as T.CategoricalParams),
    x: (d) => tf.tensor([1, ...new Array(d.eventShape[0]! - 1).fill(0)]),
  })),
  ...(["logits", "probs"] as const).map((k): Family => ({
    covers: "RelaxedOneHotCategorical",
    label: `new RelaxedOneHotCategorical(temperature, { ${k} })`,
    slots: [
      P("temperature", 0.5, positive),
      { name: "params", valid: () => FIELDS, names: ["params", "logits", "probs"] },
      P(
        k,
        k === "logits" ? [0.1, 0.2, 0.3] : [0.2, 0.3, 0.5],
        k === "probs" ? all((x) => x > 0) : undefined,
      ),
    ],
    make: (v) =>
      new T.RelaxedOneHotCategorical(a(v, "temperature"), paramsOf(v, k) as T.CategoricalParams),
    x: (d) => tf.fill(d.eventShape, 1 / d.eventShape[0]!),
  })),
  ...(["logits", "probs"] as const).map((k): Family => ({
    covers: "RelaxedBernoulli",
    label: `new RelaxedBernoulli(temperature, { ${k} })`,
    slots: [
      P("temperature", 0.5, positive),
      { name: "params", valid: () => FIELDS, names: ["params", "logits", "probs"] },
      P(
        k,
        k === "logits" ? [0.3, 0] : [0.2, 0.5],
        k === "probs" ? all((p) => p > 0 && p < 1) : undefined,
      ),
    ],
    make: (v) =>
      new T.RelaxedBernoulli(a(v, "temperature"), paramsOf(v, k) as T.RelaxedBernoulliParams),
    x: filled(0.25),
  })),
  {
    covers: "Dirichlet",
    slots: [P("concentration", [1.5, 2, 3], positive)],
    make: (v) => new T.Dirichlet(a(v, "concentration")),
    x: (d) => tf.fill(d.eventShape, 1 / d.eventShape[0]!),
  },
  {
    covers: "Poisson",
    slots: [P("rate", 3, positive)],
    make: (v) => new T.Poisson(a(v, "rate")),
    x: at(1),
  },
  {
    covers: "LogNormal",
    slots: [P("loc", 0.3), P("scale", 1.5, positive)],
    make: (v) => new T.LogNormal(a(v, "loc"), a(v, "scale")),
    x: at(0.5),
  },
  {
    covers: "Mixture",
    slots: [
      P("weights", [0.3, 0.7], all((x) => x >= 0)),
      {
        name: "components",
        valid: normals,
        extra: [
          ...NOT_DISTRIBUTIONS.map((m) =>
            new MakeValue(`[a Normal, ${m.label}]`, () => [new T.Normal(0, 1), m.make()])
          ),
        ],
      },
    ],
    make: (v) => new T.Mixture(a(v, "weights"), v.components as T.TensorDistribution[]),
    x: at(0.5),
  },
  {
    covers: "TransformedDistribution",
    slots: [
      { name: "base", valid: () => new T.DiagNormal([0, 0], [1, 1]), extra: NOT_DISTRIBUTIONS },
      { name: "bijector", valid: () => new T.Exp(), extra: NOT_BIJECTORS },
    ],
    make: (v) =>
      new T.TransformedDistribution(v.base as T.TensorDistribution, v.bijector as T.TensorBijector),
    x: filled(0.5),
  },
];

/** A valid instance of each family and a point, for its methods; freed by {@linkcode disposeDistributions}. */
const INSTANCES: Array<[T.TensorDistribution, T.TensorInput]> = [];

/** The cases of the distributions: constructors and methods. */
export function distributionCases(): Case[] {
  const cases: Case[] = [];
  for (const f of FAMILIES) {
    cases.push({
      covers: f.covers,
      label: f.label ?? `new ${f.covers}`,
      slots: f.slots,
      call: (v) => exercise(f.make(v), f.x),
      check: exercised,
    });
    // (A factory, fromLogScale, builds the same class: its constructor's instance serves.)
    if (f.label?.includes(".")) continue;
    const v: Record<string, unknown> = {};
    for (const s of f.slots) v[s.name] = s.valid();
    const d = f.make(v);
    const x = f.x(d);
    INSTANCES.push([d, x]);
    const label = f.label?.replace(/^new /, "") ?? f.covers;
    cases.push(
      {
        covers: f.covers,
        label: `${label}#logProb`,
        slots: [{ name: "x", valid: () => x instanceof tf.Tensor ? x.clone() : x }],
        call: (v) => d.logProb(v.x as T.TensorInput),
        check: tensorResult(),
      },
      {
        covers: f.covers,
        label: `${label}#sample`,
        slots: [{ name: "n", valid: () => 2, hostile: hostileN }, P("seed", 1)],
        call: (v) => d.sample(v.n as number, v.seed as number),
        check: (r, finite) => {
          tensorResult()(r, finite);
          assert.deepEqual((r as tf.Tensor).shape.slice(1), [...d.batchShape, ...d.eventShape]);
        },
      },
    );
    if (d instanceof T.Mixture) {
      cases.push({
        covers: f.covers,
        label: `${label}#entropyMonteCarlo`,
        slots: [{ name: "samples", valid: () => 4, hostile: hostileN }, P("seed", 1)],
        call: (v) => d.entropyMonteCarlo(v.samples as number, v.seed as number),
        check: tensorResult(),
      });
    }
  }
  return cases;
}

/** Frees the instances the method cases used (and their components). */
export function disposeDistributions(): void {
  for (const [d, x] of INSTANCES) {
    disposeAll([d, x]);
    if (d instanceof T.Mixture) disposeAll(d.components);
    if (d instanceof T.TransformedDistribution) disposeAll([d.base, d.bijector]);
  }
}
