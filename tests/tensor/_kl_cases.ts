// The conformance suite's KL pairs: for every registered pair, p and q
// drawn independently or as near-identical twins (q's parameters p's times
// 1 + δ, |δ| from 10⁻⁷ to 10⁻²), over ordinary ranges and the tails, with
// the float64 twins built from the same numbers.
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { fc } from "../_fc.ts";
import { exactSimplex, logU, num, vec } from "./_family_cases.ts";

/** One side of a pair: how to draw its parameters and build both twins from them. */
interface Side {
  params: fc.Arbitrary<number[]>;
  tensor(p: number[]): T.TensorDistribution;
  core(p: number[]): core.Distribution;
  /** Indices that must not be moved to make a near twin (a lower triangle's zeros). */
  fixed?: (p: number[]) => boolean[];
}

/** A KL case: both sides' parameters and builders. */
export interface KLCase {
  p: number[];
  q: number[];
  P: Side;
  Q: Side;
}

const mostly = (ordinary: fc.Arbitrary<number>, tail: fc.Arbitrary<number>) =>
  fc.oneof({ arbitrary: ordinary, weight: 3 }, { arbitrary: tail, weight: 2 });
const pos = mostly(num(0.2, 5), logU(1e-3, 1e3));
const real = mostly(num(-4, 4), num(-1e3, 1e3));

const rows = (flat: number[], d: number) =>
  Array.from({ length: flat.length / d }, (_, i) => flat.slice(i * d, (i + 1) * d));

/** Lower-triangular factors with positive diagonal, flat (d × d), for MultivariateNormal. */
function tril(d: number): fc.Arbitrary<number[]> {
  return fc.tuple(vec(d * d, num(-1, 1)), vec(d, mostly(num(0.3, 3), logU(1e-2, 1e2)))).map((
    [off, diag],
  ) =>
    Array.from({ length: d * d }, (_, k) => {
      const i = Math.floor(k / d), j = k % d;
      return j < i ? Math.fround(off[k]! * diag[j]!) : j === i ? diag[i]! : 0;
    })
  );
}

const scalar = (
  arbs: fc.Arbitrary<number>[],
  tensor: (p: number[]) => T.TensorDistribution,
  twin: (p: number[]) => core.Distribution,
): Side => ({ params: fc.tuple(...arbs), tensor, core: twin });

const SIDES = {
  Normal: scalar(
    [real, pos],
    ([m, s]) => new T.Normal(m!, s!),
    ([m, s]) => new core.Normal(m!, s!),
  ),
  LogNormal: scalar(
    [real, pos],
    ([m, s]) => new T.LogNormal(m!, s!),
    ([m, s]) => new core.LogNormal(m!, s!),
  ),
  Laplace: scalar(
    [real, pos],
    ([m, s]) => new T.Laplace(m!, s!),
    ([m, s]) => new core.Laplace(m!, s!),
  ),
  Exponential: scalar([pos], ([r]) => new T.Exponential(r!), ([r]) => new core.Exponential(r!)),
  Gamma: scalar([pos, pos], ([a, b]) => new T.Gamma(a!, b!), ([a, b]) => new core.Gamma(a!, b!)),
  Beta: scalar([pos, pos], ([a, b]) => new T.Beta(a!, b!), ([a, b]) => new core.Beta(a!, b!)),
  Poisson: scalar(
    [mostly(num(0.05, 200), logU(1e-3, 1e5))],
    ([r]) => new T.Poisson(r!),
    ([r]) => new core.Poisson(r!),
  ),
  Uniform: scalar(
    [num(-4, 4), mostly(num(0.1, 4), logU(1e-3, 1e3))],
    ([a, w]) => new T.Uniform(a!, Math.fround(a! + w!)),
    ([a, w]) => new core.Uniform(a!, Math.fround(a! + w!)),
  ),
};

/** Sides whose parameters are vectors of length d (or d + 1, or d × d). */
const vectorSides = (d: number): Record<string, Side> => ({
  DiagNormal: {
    params: fc.tuple(vec(d, real), vec(d, pos)).map(([m, s]) => [...m, ...s]),
    tensor: (p) => new T.DiagNormal(p.slice(0, d), p.slice(d)),
    core: (p) => new core.DiagNormal(p.slice(0, d), p.slice(d)),
  },
  MultivariateNormal: {
    params: fc.tuple(vec(d, num(-4, 4)), tril(d)).map(([m, L]) => [...m, ...L]),
    tensor: (p) => new T.MultivariateNormal(p.slice(0, d), rows(p.slice(d), d)),
    core: (p) => new core.MultivariateNormal(p.slice(0, d), rows(p.slice(d), d)),
    fixed: (p) => p.map((v, i) => i >= d && v === 0),
  },
  Bernoulli: {
    params: vec(d, mostly(num(-8, 8), num(-30, 30))),
    tensor: (p) => new T.Bernoulli({ logits: p }),
    core: (p) => new core.Bernoulli({ logits: p }),
  },
  ContinuousBernoulli: {
    params: vec(d, mostly(num(-8, 8), fc.constantFrom(0, 1e-7, -3e-5, 30, -30))),
    tensor: (p) => new T.ContinuousBernoulli({ logits: p }),
    core: (p) => new core.ContinuousBernoulli({ logits: p }),
  },
  Categorical: {
    params: vec(d + 1, mostly(num(-5, 5), num(-30, 30))),
    tensor: (p) => new T.Categorical({ logits: p }),
    core: (p) => new core.Categorical({ logits: p }),
  },
  OneHotCategorical: {
    params: vec(d + 1, mostly(num(-5, 5), num(-30, 30))),
    tensor: (p) => new T.OneHotCategorical({ logits: p }),
    core: (p) => new core.OneHotCategorical({ logits: p }),
  },
  CategoricalProbs: {
    params: vec(d + 1, num(-6, 6)).map((l) => exactSimplex(l.map(Math.exp))),
    tensor: (p) => new T.Categorical({ probs: p }),
    core: (p) => new core.Categorical({ probs: p }),
    fixed: (p) => p.map(() => true),
  },
  Dirichlet: {
    params: vec(d + 1, mostly(num(0.3, 20), logU(1e-3, 1e3))),
    tensor: (p) => new T.Dirichlet(p),
    core: (p) => new core.Dirichlet(p),
  },
});

/** q = p with each movable parameter times 1 + δᵢ, |δᵢ| log-uniform in [10⁻⁷, 10⁻²]. */
function nearTwin(side: Side, p: number[]): fc.Arbitrary<number[]> {
  const fixed = side.fixed?.(p) ?? p.map(() => false);
  const delta = fc.tuple(logU(1e-7, 1e-2), fc.boolean()).map(([d, neg]) => (neg ? -d : d));
  return fc.array(delta, { minLength: p.length, maxLength: p.length }).map((ds) =>
    p.map((v, i) => (fixed[i] ? v : Math.fround(v * (1 + ds[i]!))))
  );
}

/** A pair of sides: independent draws or near twins (half the time each, for same-family pairs). */
function pair(P: Side, Q: Side, same: boolean): fc.Arbitrary<KLCase> {
  const independent = fc.tuple(P.params, Q.params).map(([p, q]) => ({ p, q, P, Q }));
  if (!same) return independent;
  const near = P.params.chain((p) => nearTwin(P, p).map((q) => ({ p, q, P, Q })));
  return fc.oneof(independent, near);
}

const dims = fc.integer({ min: 1, max: 4 });
const vectorPair = (a: string, b: string) =>
  dims.chain((d) => {
    const s = vectorSides(d);
    return pair(s[a]!, s[b]!, a === b);
  });

/** One arbitrary per registered pair, keyed "P‖Q". */
export const KL_CASES: Record<string, fc.Arbitrary<KLCase>> = {
  "Normal‖Normal": pair(SIDES.Normal, SIDES.Normal, true),
  "LogNormal‖LogNormal": pair(SIDES.LogNormal, SIDES.LogNormal, true),
  "Laplace‖Laplace": pair(SIDES.Laplace, SIDES.Laplace, true),
  "Exponential‖Exponential": pair(SIDES.Exponential, SIDES.Exponential, true),
  "Gamma‖Gamma": pair(SIDES.Gamma, SIDES.Gamma, true),
  "Exponential‖Gamma": pair(SIDES.Exponential, SIDES.Gamma, false),
  "Beta‖Beta": pair(SIDES.Beta, SIDES.Beta, true),
  "Poisson‖Poisson": pair(SIDES.Poisson, SIDES.Poisson, true),
  // Nested intervals (a finite KL) or not (+∞), or near twins.
  "Uniform‖Uniform": pair(SIDES.Uniform, SIDES.Uniform, true),
  "DiagNormal‖DiagNormal": vectorPair("DiagNormal", "DiagNormal"),
  "MultivariateNormal‖MultivariateNormal": vectorPair("MultivariateNormal", "MultivariateNormal"),
  "DiagNormal‖MultivariateNormal": vectorPair("DiagNormal", "MultivariateNormal"),
  "MultivariateNormal‖DiagNormal": vectorPair("MultivariateNormal", "DiagNormal"),
  "Bernoulli‖Bernoulli": vectorPair("Bernoulli", "Bernoulli"),
  "ContinuousBernoulli‖ContinuousBernoulli": vectorPair(
    "ContinuousBernoulli",
    "ContinuousBernoulli",
  ),
  "Categorical‖Categorical": fc.oneof(
    vectorPair("Categorical", "Categorical"),
    vectorPair("CategoricalProbs", "CategoricalProbs"),
  ),
  "OneHotCategorical‖OneHotCategorical": vectorPair("OneHotCategorical", "OneHotCategorical"),
  "Dirichlet‖Dirichlet": vectorPair("Dirichlet", "Dirichlet"),
};

/** The cases, pinned: each KL that lost its digits (or its sign) in float32. */
export const PINNED: Array<[string, KLCase]> = [
  ["Bernoulli‖Bernoulli", {
    p: [-20],
    q: [Math.fround(-19.9)],
    P: vectorSides(1).Bernoulli!,
    Q: vectorSides(1).Bernoulli!,
  }],
  ["ContinuousBernoulli‖ContinuousBernoulli", {
    p: [Math.fround(0.7)],
    q: [Math.fround(0.7000001)],
    P: vectorSides(1).ContinuousBernoulli!,
    Q: vectorSides(1).ContinuousBernoulli!,
  }],
  ["Gamma‖Gamma", {
    p: [Math.fround(0.01), 5],
    q: [Math.fround(0.01 * (1 + 1e-7)), 5],
    P: SIDES.Gamma,
    Q: SIDES.Gamma,
  }],
  ["Beta‖Beta", {
    p: [1000, 1000],
    q: [Math.fround(1000 * (1 + 1e-5)), 1000],
    P: SIDES.Beta,
    Q: SIDES.Beta,
  }],
];
