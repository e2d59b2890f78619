// fast-check arbitraries for the float64 distributions. Ranges are the
// "ordinary parameters" of the tests; extremes have their own tests.
import { Bernoulli, DiagNormal, Exponential, MultivariateNormal, Normal } from "../mod.ts";
import { fc } from "./_fc.ts";

export const loc = (): fc.Arbitrary<number> => fc.double({ min: -5, max: 5, noNaN: true });
export const scale = (): fc.Arbitrary<number> => fc.double({ min: 0.2, max: 4, noNaN: true });

export const normal = (): fc.Arbitrary<Normal> =>
  fc.tuple(loc(), scale()).map(([m, s]) => new Normal(m, s));

export const exponential = (): fc.Arbitrary<Exponential> =>
  fc.double({ min: 0.1, max: 10, noNaN: true }).map((r) => new Exponential(r));

export const diagNormal = (d: number): fc.Arbitrary<DiagNormal> =>
  fc.tuple(
    fc.array(loc(), { minLength: d, maxLength: d }),
    fc.array(scale(), { minLength: d, maxLength: d }),
  )
    .map(([m, s]) => new DiagNormal(m, s));

/** A lower-triangular factor with diagonal in [0.3, 2] and off-diagonal in [−1, 1]. */
export const scaleTril = (d: number): fc.Arbitrary<Float64Array> =>
  fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d * d, maxLength: d * d })
    .chain((off) =>
      fc.array(fc.double({ min: 0.3, max: 2, noNaN: true }), { minLength: d, maxLength: d }).map(
        (diag) => {
          const L = new Float64Array(d * d);
          for (let i = 0; i < d; i++) {
            for (let j = 0; j < i; j++) L[i * d + j] = off[i * d + j]!;
            L[i * d + i] = diag[i]!;
          }
          return L;
        },
      )
    );

export const mvn = (d: number): fc.Arbitrary<MultivariateNormal> =>
  fc.tuple(fc.array(loc(), { minLength: d, maxLength: d }), scaleTril(d))
    .map(([m, L]) => new MultivariateNormal(m, L));

export const bernoulli = (d: number): fc.Arbitrary<Bernoulli> =>
  fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: d, maxLength: d })
    .map((logits) => new Bernoulli({ logits }));

export const dim = (): fc.Arbitrary<number> => fc.integer({ min: 1, max: 4 });
