import assert from "node:assert/strict";
import { mig } from "../../disentanglement.ts";
import { toLabels } from "../../lib/metrics/_check.ts";
import { entropy, histogramBins } from "../../lib/metrics/_information.ts";
import { fc } from "../_fc.ts";
import { assertClose, assertThrowsNaming } from "../_tolerance.ts";
import { referenceData } from "./_data.ts";
import {
  entangledCodes,
  factorRows,
  independentCodes,
  perfectCodes,
  sameFirstSizes,
  type Setup,
  setup,
} from "./_laws.ts";
import { SKLEARN } from "./_sklearn_reference.ts";

/**
 * The MIG that binning allows codes equal to the factors: the best code of
 * factor k knows H(bin(zₖ)) of its H(vₖ) (bins merge values when a factor has
 * more values than bins, or a map crowds them), and the second-best knows ≥ 0.
 * Returns the limit and a tolerance below it: twice the sampling bias of the
 * information between independent variables of r and c values, (r − 1)(c − 1)/(2n)
 * (Miller 1955), which the second-best code shows.
 */
function binningLimit(
  codes: number[][],
  factors: number[][],
  s: Setup,
  bins: number,
): { limit: number; slack: number } {
  let limit = 0, slack = 0;
  const n = factors.length;
  s.order.forEach((k, j) => {
    const z = histogramBins(Float64Array.from(codes, (r) => r[j]!), bins);
    const v = toLabels(Float64Array.from(factors, (r) => r[k]!));
    const h = entropy(v.labels, v.classes);
    limit += entropy(z, bins) / h;
    const r = Math.max(...s.sizes.filter((_, i) => i !== k).map((m) => Math.min(m, bins)));
    slack += (2 * (r - 1) * (v.classes - 1)) / (2 * n) / h;
  });
  return { limit: limit / s.sizes.length, slack: slack / s.sizes.length + 0.005 };
}

Deno.test("mig()", async (t) => {
  await t.step(
    "equals disentanglement_lib's _compute_mig (numpy, scikit-learn) on the reference data",
    () => {
      const { codes, factors } = referenceData();
      assertClose(mig(codes, factors), SKLEARN.mig, { abs: 1e-14 });
    },
  );

  await t.step("law: codes equal to the factors reach the limit their binning allows", () => {
    fc.assert(
      fc.property(setup(40), fc.constantFrom(10, 20), (s, bins) => {
        const factors = factorRows(s, 1500);
        const codes = perfectCodes(s, factors);
        const { limit, slack } = binningLimit(codes, factors, s, bins);
        const score = mig(codes, factors, { bins });
        // Below the limit by the second-best code's (sampling-bias) information only.
        assert.ok(
          score <= limit + 1e-12 && score > limit - slack,
          `MIG ${score}, limit ${limit} − ${slack}`,
        );
      }),
      { numRuns: 40 },
    );
  });

  await t.step("with as many bins as values, codes equal to the factors score ≈ 1", () => {
    fc.assert(
      // Affine maps only (the first three): equal spacing survives.
      fc.property(setup(20).map((s) => ({ ...s, maps: s.maps.map((m) => m % 3) })), (s) => {
        const factors = factorRows(s, 1500);
        assert.ok(mig(perfectCodes(s, factors), factors) > 0.96);
      }),
      { numRuns: 20 },
    );
  });

  await t.step("law: codes independent of the factors score ≈ 0", () => {
    fc.assert(
      fc.property(setup(10), (s) => {
        const factors = factorRows(s, 2000);
        assert.ok(mig(independentCodes(s, 2000), factors) < 0.05);
      }),
      { numRuns: 20 },
    );
  });

  await t.step("law: one code carrying two factors scores lower than one code per factor", () => {
    fc.assert(
      fc.property(setup(10, 3).map(sameFirstSizes), (s) => {
        const factors = factorRows(s, 1500);
        const one = mig(perfectCodes(s, factors), factors);
        const two = mig(entangledCodes(s, factors), factors);
        assert.ok(two < one - 0.1, `entangled ${two}, one code per factor ${one}`);
      }),
      { numRuns: 20 },
    );
  });

  await t.step("rejects bad input, naming it", () => {
    const f = [[0, 1], [1, 0], [1, 1]], z = [[0.1, 2], [0.2, 1], [0.3, 3]];
    assertThrowsNaming(() => mig([[1, 2], [3]], [[0], [1]]), TypeError, "codes[1]", "2 numbers");
    assertThrowsNaming(() => mig(z, f.slice(0, 2)), TypeError, "same number of rows", "3", "2");
    assertThrowsNaming(() => mig([[1, 2]], [[0]]), RangeError, "at least 2 rows");
    assertThrowsNaming(() => mig([[1], [2]], [[0], [1]]), RangeError, "codes", "at least 2");
    assertThrowsNaming(() => mig([[1, NaN], [2, 3]], [[0], [1]]), RangeError, "codes[0][1]", "NaN");
    assertThrowsNaming(
      () => mig(z, [[0, 1], [1, Infinity], [0, 0]]),
      RangeError,
      "factors[1][1]",
      "Infinity",
    );
    assertThrowsNaming(
      () => mig(z, f, { bins: 1 }),
      RangeError,
      "options.bins",
      "[2, 1000000]",
      "1",
    );
    assertThrowsNaming(() => mig(z, f, { bins: 2.5 }), RangeError, "bins", "2.5");
    assertThrowsNaming(() => mig(z, f, { bins: "20" } as never), TypeError, "bins");
    assertThrowsNaming(() => mig(z, f, { bin: 20 } as never), TypeError, "options.bin", "bins");
    assertThrowsNaming(() => mig(z, [[0, 1], [0, 0], [0, 1]]), RangeError, "factor 0", "constant");
    assertThrowsNaming(() => mig(null as never, f), TypeError, "codes");
    assertThrowsNaming(() => mig([[], []], [[0], [1]]), TypeError, "codes[0]", "empty");
  });
});
