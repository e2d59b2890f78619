// The conformance suite's families: for each tensor class, fast-check cases
// of a batch of members (parameters as flat numbers) and points, over
// ordinary ranges and the tails — degrees of freedom to 10⁷, concentrations
// 10⁻³ … 10³, logits ±30, scales from 10⁻³ to 10³, points 10⁻¹⁰ from the
// edges of a support and far out in a tail — with the float64 twin of one
// member built from the same numbers.
import * as core from "../../mod.ts";
import * as T from "../../tensor.ts";
import { fc } from "../_fc.ts";

/** A family's case: members' parameters and points, and how to build both twins. */
export interface FamilyCase {
  /** Flat parameters of each batch member (float32 values). */
  members: number[][];
  /** points[j][b]: point j of member b, its event flattened. */
  points: number[][][];
  /** The batched tensor distribution of all members. */
  tensor(members: number[][]): T.TensorDistribution;
  /** The float64 twin of one member. */
  core(params: number[]): core.Distribution;
  /** The tensor's event shape (`[]` for scalars). */
  eventShape: number[];
  /** Whether the points are exact (counts, categories, binary values): not perturbed. */
  exactPoints?: boolean;
}

/** A float32 value uniform in [min, max]. */
export const num = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map(Math.fround);
/** A float32 value log-uniform in [min, max] (0 < min). */
export const logU = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((v) =>
    Math.fround(Math.exp(v))
  );
/**
 * A point as float32, with a subnormal flushed to 0: GPUs (webgl) flush
 * float32 subnormals, so the answer at one depends on the backend.
 */
const point32 = (v: number): number => {
  const f = Math.fround(v);
  return Math.abs(f) < 2 ** -126 ? 0 : f;
};
/** n values of `arb`. */
export const vec = (n: number, arb: fc.Arbitrary<number>): fc.Arbitrary<number[]> =>
  fc.array(arb, { minLength: n, maxLength: n });
/** A float32 value with either sign, |v| log-uniform in [min, max]. */
const signed = (min: number, max: number) =>
  fc.tuple(logU(min, max), fc.boolean()).map(([v, neg]) => (neg ? -v : v));

/** Ordinary values most of the time, tail values some of the time. */
const mostly = (ordinary: fc.Arbitrary<number>, tail: fc.Arbitrary<number>) =>
  fc.oneof({ arbitrary: ordinary, weight: 3 }, { arbitrary: tail, weight: 2 });

const sizes = fc.record({
  b: fc.integer({ min: 1, max: 3 }),
  m: fc.integer({ min: 1, max: 3 }),
  d: fc.integer({ min: 1, max: 4 }),
});

/** Points of a scalar family: each μ + s·z for a standard offset z, or a raw value. */
const offsets = mostly(num(-6, 6), signed(1e-10, 1e3));

/** m × b scalar points from each member's location and spread. */
function scalarPoints(
  members: number[][],
  m: number,
  at: (p: number[], z: number) => number,
): fc.Arbitrary<number[][][]> {
  return vec(m * members.length, offsets).map((z) =>
    Array.from(
      { length: m },
      (_, j) => members.map((p, b) => [point32(at(p, z[j * members.length + b]!))]),
    )
  );
}

/**
 * Float32 values proportional to `raw` (> 0) that sum to exactly 1, even in
 * float64 (the core checks a point of the simplex, and a mixture's weights,
 * to 10⁻¹⁰): multiples of 2⁻²⁴. With `tiny`, the first coordinate is
 * `tiny` (a multiple of 2⁻³⁴, below 2⁻¹⁰) and the second 2⁻¹⁰ − `tiny`.
 */
export function exactSimplex(raw: number[], tiny?: number): number[] {
  const unit = 2 ** 24, sum = raw.reduce((a, v) => a + v, 0);
  const n = raw.map((v) => Math.max(1, Math.round((v / sum) * unit)));
  const fixed = tiny !== undefined && raw.length > 2 ? 2 : 0;
  if (fixed) n[0] = n[1] = 2 ** 13; // the pair holds 2⁻¹⁰
  let rest = unit - n.reduce((a, v) => a + v, 0), i = fixed;
  while (rest !== 0) {
    // Spread the remainder over the free coordinates, keeping each ≥ 1.
    const j = fixed + (i++ % (n.length - fixed));
    const step = rest > 0 ? rest : -Math.min(-rest, n[j]! - 1);
    n[j] = n[j]! + step;
    rest -= step;
  }
  const x = n.map((v) => v / unit);
  if (fixed) {
    const t = Math.max(1, Math.round(tiny! * 2 ** 34)) / 2 ** 34;
    x[0] = t;
    x[1] = 2 ** -10 - t;
  }
  return x;
}

/** Rows of `d` values as a nested array per member. */
const rows = (flat: number[], d: number) =>
  Array.from({ length: flat.length / d }, (_, i) => flat.slice(i * d, (i + 1) * d));

/** A scalar family of one batch axis: parameters → [b] tensors, points from `at`. */
function scalarFamily(
  params: fc.Arbitrary<number[]>,
  at: (p: number[], z: number) => number,
  tensor: (cols: number[][]) => T.TensorDistribution,
  twin: (p: number[]) => core.Distribution,
): fc.Arbitrary<FamilyCase> {
  return sizes.chain(({ b, m }) =>
    fc.array(params, { minLength: b, maxLength: b }).chain((members) =>
      scalarPoints(members, m, at).map((points) => ({
        members,
        points,
        tensor: (ms: number[][]) => tensor(ms[0]!.map((_, k) => ms.map((p) => p[k]!))),
        core: twin,
        eventShape: [],
      }))
    )
  );
}

const loc = mostly(num(-5, 5), signed(1e-3, 1e4));
const scale = mostly(num(0.2, 4), logU(1e-3, 1e3));
const conc = mostly(num(0.3, 20), logU(1e-3, 1e3));
const rate = mostly(num(0.1, 10), logU(1e-3, 1e3));

/** One case per tensor class (TransformedDistribution: an affine bijector, whose moments exist). */
export const FAMILIES: Record<string, fc.Arbitrary<FamilyCase>> = {
  Normal: scalarFamily(
    fc.tuple(loc, scale),
    ([mu, s], z) => mu! + s! * z,
    ([mu, s]) => new T.Normal(mu!, s!),
    ([mu, s]) => new core.Normal(mu!, s!),
  ),
  Laplace: scalarFamily(
    fc.tuple(loc, scale),
    ([mu, s], z) => mu! + s! * z,
    ([mu, s]) => new T.Laplace(mu!, s!),
    ([mu, s]) => new core.Laplace(mu!, s!),
  ),
  // df > 2 where the variance exists; to 10⁷, where it is nearly the normal.
  StudentT: scalarFamily(
    fc.tuple(mostly(num(2.1, 60), logU(2.1, 1e7)), loc, scale),
    ([, mu, s], z) => mu! + s! * z,
    ([df, mu, s]) => new T.StudentT(df!, mu!, s!),
    ([df, mu, s]) => new core.StudentT(df!, mu!, s!),
  ),
  LogNormal: scalarFamily(
    fc.tuple(num(-5, 5), mostly(num(0.2, 2), logU(1e-3, 3))),
    ([mu, s], z) => Math.exp(mu! + s! * Math.max(-30, Math.min(30, z))) * (z > 30 ? -1 : 1),
    ([mu, s]) => new T.LogNormal(mu!, s!),
    ([mu, s]) => new core.LogNormal(mu!, s!),
  ),
  Exponential: scalarFamily(
    fc.tuple(rate),
    ([r], z) => z / r!,
    ([r]) => new T.Exponential(r!),
    ([r]) => new core.Exponential(r!),
  ),
  Gamma: scalarFamily(
    fc.tuple(conc, rate),
    ([a, r], z) => Math.abs(z) * (a! + 1) / r! * (z < -5 ? -1 : 1),
    ([a, r]) => new T.Gamma(a!, r!),
    ([a, r]) => new core.Gamma(a!, r!),
  ),
  // Points inside (also 10⁻¹⁰ from 0 and one rounding below 1) and outside.
  Beta: scalarFamily(
    fc.tuple(conc, conc),
    (_, z) => {
      const u = 1 / (1 + Math.exp(-z));
      return z > 900
        ? 1 + 1e-3
        : z < -900
        ? -1e-3
        : Math.abs(z) > 20
        ? (z > 0 ? 1 - 2 ** -24 : 1e-10)
        : u;
    },
    ([a, b]) => new T.Beta(a!, b!),
    ([a, b]) => new core.Beta(a!, b!),
  ),
  Uniform: scalarFamily(
    fc.tuple(num(-5, 0), mostly(num(0.1, 8), logU(1e-3, 1e3))),
    ([lo, w], z) => lo! + w! / (1 + Math.exp(-z / 2)) * (Math.abs(z) > 5 ? 1.5 : 1),
    ([lo, w]) => new T.Uniform(lo!, lo!.map((l, i) => Math.fround(l + w![i]!))),
    ([lo, w]) => new core.Uniform(lo!, Math.fround(lo! + w!)),
  ),
  Poisson: sizes.chain(({ b, m }) =>
    fc.tuple(
      vec(b, mostly(num(0.05, 200), logU(1e-3, 1e5))),
      vec(
        m * b,
        fc.oneof(fc.integer({ min: 0, max: 250 }), fc.constantFrom(-1, 2.5, 1e5, 3e5)),
      ),
    ).map(([r, x]) => ({
      members: r.map((v) => [v]),
      points: rows(x, b).map((row) => row.map((v) => [v])),
      tensor: (ms: number[][]) => new T.Poisson(ms.map((p) => p[0]!)),
      core: ([v]) => new core.Poisson(v!),
      eventShape: [],
      exactPoints: true,
    }))
  ),
  DiagNormal: sizes.chain(({ b, m, d }) =>
    fc.tuple(vec(b * d, loc), vec(b * d, scale), vec(m * b * d, offsets)).map((
      [mu, s, z],
    ) => ({
      members: rows(mu, d).map((l, i) => [...l, ...s.slice(i * d, (i + 1) * d)]),
      points: Array.from(
        { length: m },
        (_, j) =>
          Array.from({ length: b }, (_, i) =>
            Array.from({ length: d }, (_, k) => {
              const at = i * d + k;
              return point32(mu[at]! + s[at]! * z[(j * b + i) * d + k]!);
            })),
      ),
      tensor: (ms: number[][]) =>
        new T.DiagNormal(ms.map((p) => p.slice(0, d)), ms.map((p) => p.slice(d))),
      core: (p: number[]) => new core.DiagNormal(p.slice(0, d), p.slice(d)),
      eventShape: [d],
    }))
  ),
  MultivariateNormal: sizes.chain(({ m, d }) =>
    fc.tuple(
      vec(d, num(-5, 5)),
      vec(d * d, num(-1, 1)),
      vec(d, mostly(num(0.3, 2), logU(1e-2, 1e2))),
      vec(m * d, num(-4, 4)),
    ).map(([mu, off, diag, z]) => {
      const L = Array.from({ length: d }, (_, i) =>
        Array.from({ length: d }, (_, j) =>
          j < i ? Math.fround(off[i * d + j]! * diag[j]!) : j === i ? diag[i]! : 0));
      const points = rows(z, d).map((zr) => [
        zr.map((_, i) =>
          Math.fround(
            mu[i]! + zr.reduce((a, zj, j) =>
              a + (L[i]![j] ?? 0) * zj, 0),
          )
        ),
      ]);
      return {
        members: [[...mu, ...L.flat()]],
        points,
        tensor: (ms: number[][]) =>
          new T.MultivariateNormal(ms[0]!.slice(0, d), rows(ms[0]!.slice(d), d)),
        core: (p: number[]) =>
          new core.MultivariateNormal(p.slice(0, d), rows(p.slice(d), d)),
        eventShape: [d],
      };
    })
  ),
  Bernoulli: sizes.chain(({ b, m, d }) =>
    fc.tuple(
      vec(b * d, mostly(num(-8, 8), num(-30, 30))),
      vec(m * b * d, fc.constantFrom(0, 1, 0.25, 1e-10, 2, -1)),
      fc.boolean(),
    ).map(([logits, x, byProbs]) => {
      const probs = logits.map((l) => Math.fround(1 / (1 + Math.exp(-l))));
      const params = byProbs ? probs : logits;
      const make =
        <B>(ctor: (p: { logits: number[] } | { probs: number[] }) => B) => (p: number[]) =>
          ctor(byProbs ? { probs: p } : { logits: p });
      return {
        members: rows(params, d),
        points: rows(x, b * d).map((pt) => rows(pt, d)),
        tensor: (ms: number[][]) => new T.Bernoulli(byProbs ? { probs: ms } : { logits: ms }),
        core: make((p) => new core.Bernoulli(p)),
        eventShape: [d],
        exactPoints: true,
      };
    })
  ),
  ContinuousBernoulli: sizes.chain(({ b, m, d }) =>
    fc.tuple(
      // Near η = 0 (λ = ½) the normalizing constant's textbook form is 0/0.
      vec(b * d, mostly(num(-8, 8), fc.constantFrom(0, 1e-7, -3e-5, 0.05, -0.2, 30, -30))),
      vec(m * b * d, fc.constantFrom(0, 1, 0.25, 0.5, 0.75, 2, -1)),
    ).map(([logits, x]) => ({
      members: rows(logits, d),
      points: rows(x, b * d).map((pt) => rows(pt, d)),
      tensor: (ms: number[][]) => new T.ContinuousBernoulli({ logits: ms }),
      core: (p: number[]) => new core.ContinuousBernoulli({ logits: p }),
      eventShape: [d],
      exactPoints: true,
    }))
  ),
  Categorical: sizes.chain(({ b, m, d }) =>
    fc.tuple(
      vec(b * (d + 1), mostly(num(-5, 5), num(-30, 30))),
      vec(m * b, fc.constantFrom(-1, 0, 1, 2, 3, 4, 5, 1.5)),
      fc.boolean(),
    ).map(([logits, x, byProbs]) => {
      const k = d + 1;
      const params = rows(logits, k).map((l) => {
        if (!byProbs) return l;
        const top = Math.max(...l);
        return exactSimplex(l.map((v) => Math.exp(v - top)));
      });
      const arg = (p: number[]) => (byProbs ? { probs: p } : { logits: p });
      return {
        members: params,
        points: rows(x, b).map((row) => row.map((v) => [v])),
        tensor: (ms: number[][]) => new T.Categorical(byProbs ? { probs: ms } : { logits: ms }),
        core: (p: number[]) => new core.Categorical(arg(p)),
        eventShape: [],
        exactPoints: true,
      };
    })
  ),
  // One-hot points and others (a half, all zeros, a 2): the others have log-mass −∞.
  OneHotCategorical: sizes.chain(({ b, m, d }) =>
    fc.tuple(
      vec(b * (d + 1), mostly(num(-5, 5), num(-30, 30))),
      vec(m * b, fc.integer({ min: -3, max: d })),
    ).map(([logits, hot]) => {
      const k = d + 1;
      const pointOf = (h: number) =>
        Array.from({ length: k }, (_, i) =>
          h >= 0 ? (i === h ? 1 : 0) : h === -1 ? 0 : h === -2 ? (i === 0 ? 2 : 0) : 1 / k);
      return {
        members: rows(logits, k),
        points: rows(hot, b).map((row) =>
          row.map(pointOf)
        ),
        tensor: (ms: number[][]) => new T.OneHotCategorical({ logits: ms }),
        core: (p: number[]) => new core.OneHotCategorical({ logits: p }),
        eventShape: [k],
        exactPoints: true,
      };
    })
  ),
  // [λ, ...logits] per member; points on the simplex (exactly), some near a face.
  RelaxedOneHotCategorical: sizes.chain(({ b, m, d }) =>
    fc.tuple(
      vec(b, mostly(num(0.2, 3), fc.constantFrom(1, 0.05, 10).map(Math.fround))),
      vec(b * (d + 1), mostly(num(-5, 5), num(-30, 30))),
      vec(m * b * (d + 1), num(0.01, 1)),
      vec(m * b, fc.option(logU(1e-10, 1e-4), { freq: 3 })),
    ).map(([lam, logits, raw, tiny]) => {
      const k = d + 1;
      const x = rows(raw, k).map((r, i) => exactSimplex(r, tiny[i] ?? undefined));
      return {
        members: rows(logits, k).map((l, i) => [lam[i]!, ...l]),
        points: Array.from({ length: m }, (_, j) => x.slice(j * b, (j + 1) * b)),
        tensor: (ms: number[][]) =>
          new T.RelaxedOneHotCategorical(ms.map((p) => p[0]!), {
            logits: ms.map((p) => p.slice(1)),
          }),
        core: (p: number[]) => new core.RelaxedOneHotCategorical(p[0]!, { logits: p.slice(1) }),
        eventShape: [k],
        exactPoints: true,
      };
    })
  ),
  // [λ, ...logits] per member; points across [0, 1], its ends (the limits) and outside.
  RelaxedBernoulli: sizes.chain(({ b, m, d }) =>
    fc.tuple(
      vec(b, mostly(num(0.2, 3), fc.constantFrom(1, 0.05, 10).map(Math.fround))),
      vec(b * d, mostly(num(-8, 8), num(-30, 30))),
      vec(
        m * b * d,
        mostly(num(0.001, 0.999), fc.constantFrom(0, 1, 1e-10, 1 - 2 ** -24, 0.5, 2, -1)),
      ),
    ).map(([lam, logits, x]) => ({
      members: rows(logits, d).map((l, i) => [lam[i]!, ...l]),
      points: rows(x.map(Math.fround), b * d).map((pt) => rows(pt, d)),
      tensor: (ms: number[][]) =>
        new T.RelaxedBernoulli(ms.map((p) => p[0]!), { logits: ms.map((p) => p.slice(1)) }),
      core: (p: number[]) => new core.RelaxedBernoulli(p[0]!, { logits: p.slice(1) }),
      eventShape: [d],
    }))
  ),
  // Points of the simplex (exactly, in float32), some with a coordinate near 10⁻¹⁰.
  Dirichlet: sizes.chain(({ b, m, d }) =>
    fc.tuple(
      vec(b * (d + 1), conc),
      vec(m * b * (d + 1), num(0.01, 1)),
      vec(m * b, fc.option(logU(1e-10, 1e-4), { freq: 3 })),
    ).map(([a, raw, tiny]) => {
      const k = d + 1;
      const x = rows(raw, k).map((r, i) => exactSimplex(r, tiny[i] ?? undefined));
      return {
        members: rows(a, k),
        points: Array.from({ length: m }, (_, j) => x.slice(j * b, (j + 1) * b)),
        tensor: (ms: number[][]) => new T.Dirichlet(ms),
        core: (p: number[]) => new core.Dirichlet(p),
        eventShape: [k],
        // The points must stay on the simplex: not perturbed one by one.
        exactPoints: true,
      };
    })
  ),
  // Normals (some far out), or Gammas and Uniforms, where every component
  // may be −∞ or underflow at a point. Parameters: the components' (the
  // weights, which must sum to 1, are exact).
  Mixture: fc.record({ k: fc.integer({ min: 1, max: 3 }), m: fc.integer({ min: 1, max: 3 }) })
    .chain(({ k, m }) =>
      fc.tuple(
        vec(k, num(0.05, 1)),
        vec(k, mostly(num(-4, 4), signed(1, 1e30))),
        vec(k, num(0.3, 3)),
        fc.constantFrom("Normal", "Gamma", "Uniform", "Poisson"),
        vec(m, mostly(num(-6, 6), fc.constantFrom(-1, 0, 2.5, 1e30, -1e30, 1e10).map(Math.fround))),
      ).map(([w, a, s, kind, x]) => {
        const weights = exactSimplex(w);
        type Build<D> = (p: number[], i: number) => D;
        const comps: Record<string, [Build<T.TensorDistribution>, Build<core.Distribution>]> = {
          Normal: [(p, i) => new T.Normal(p[i]!, p[k + i]!), (p, i) =>
            new core.Normal(p[i]!, p[k + i]!)],
          Gamma: [(p, i) =>
            new T.Gamma(p[k + i]!, p[i]!), (p, i) =>
            new core.Gamma(p[k + i]!, p[i]!)],
          Uniform: [(p, i) =>
            new T.Uniform(p[i]!, p[i]! + p[k + i]!), (p, i) =>
            new core.Uniform(p[i]!, Math.fround(p[i]! + p[k + i]!))],
          Poisson: [(p, i) =>
            new T.Poisson(p[k + i]!), (p, i) =>
            new core.Poisson(p[k + i]!)],
        };
        const [tc, cc] = comps[kind]!;
        const params = kind === "Normal" ? [...a, ...s] : [
          ...s.map((v) =>
            v / 2
          ),
          ...s,
        ];
        const idx = weights.map((_, i) => i);
        return {
          members: [params],
          points: x.map((v) => [[v]]),
          tensor: (ms: number[][]) => new T.Mixture(weights, idx.map((i) => tc(ms[0]!, i))),
          core: (p: number[]) =>
            new core.Mixture(weights, idx.map((i) => cc(p, i)) as core.UnivariateDistribution[]),
          eventShape: [],
        };
      })
    ),
  TransformedDistribution: scalarFamily(
    fc.tuple(num(-3, 3), num(0.2, 3), num(-2, 2), signed(0.3, 3)),
    ([mu, s, sh, a], z) => a! * (mu! + s! * z) + sh!,
    ([mu, s, sh, a]) =>
      new T.TransformedDistribution(
        new T.Normal(mu!, s!),
        new T.Chain([new T.Shift(sh!), new T.Scale(a!)]),
      ),
    ([mu, s, sh, a]) =>
      new core.TransformedDistribution(
        new core.Normal(mu!, s!),
        new core.Chain([new core.Shift(sh!), new core.Scale(a!)]),
      ),
  ),
};
