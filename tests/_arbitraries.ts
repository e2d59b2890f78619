// The suite's arbitraries of the float64 distributions are the public ones of
// @elbo/elbo/testing; `mvn` is the short name the tests use, `dim` a size.
import { fc } from "./_fc.ts";

export {
  bernoulli,
  diagNormal,
  exponential,
  multivariateNormal as mvn,
  normal,
  scaleTril,
} from "../testing.ts";

/** A dimension from 1 to 4. */
export const dim = (): fc.Arbitrary<number> => fc.integer({ min: 1, max: 4 });
