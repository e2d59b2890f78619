// The laws and tolerance helpers of @elbo/elbo/testing refuse an option they
// do not take with a TypeError naming it — not an AssertionError, and not
// silently: `assertClose(a, b, { rell: 1e-3 })` used to compare to 1e-12.
import fc from "fast-check";
import * as core from "../../mod.ts";
import { Normal as TensorNormal, useBackend } from "../../tensor.ts";
import {
  assertAllClose,
  assertBijectorLaws,
  assertClose,
  assertDistributionLaws,
  assertEntropy,
  assertFloat32Close,
  assertIntegratesToOne,
  assertKLLaws,
  assertLogProbBatch,
  assertSampleMoments,
  assertTensorAgreement,
  float32Sensitivity,
  normal,
} from "../../testing.ts";
import { assertRefusesUnknownOption, type OptionsCase } from "../_options.ts";
import { assertThrowsNaming } from "../_tolerance.ts";

await useBackend("cpu");

const LAW = ["numRuns", "seed", "path"];
const d = new core.Normal(0, 1);
const id = ([x]: number[]) => x!;

const CASES: OptionsCase[] = [
  {
    label: "assertClose",
    what: "Cannot run assertClose",
    name: "tol",
    keys: ["abs", "rel"],
    call: (o) => assertClose(1, 1, o as never),
  },
  {
    label: "assertAllClose",
    what: "Cannot run assertClose",
    name: "tol",
    keys: ["abs", "rel"],
    call: (o) => assertAllClose([1], [1], o as never),
  },
  {
    label: "float32Sensitivity",
    what: "Cannot run float32Sensitivity",
    keys: ["exact"],
    call: (o) => float32Sensitivity(id, [1], o as never),
  },
  {
    label: "assertFloat32Close",
    what: "Cannot run assertFloat32Close",
    keys: ["k", "exact", "msg"],
    call: (o) => assertFloat32Close(1, id, [1], o as never),
  },
  {
    label: "assertLogProbBatch",
    what: "Cannot run assertLogProbBatch",
    keys: ["points", "tolerance", ...LAW],
    call: (o) => assertLogProbBatch(d, o as never),
  },
  {
    label: "assertSampleMoments",
    what: "Cannot run assertSampleMoments",
    keys: ["samples", "k", ...LAW],
    call: (o) => assertSampleMoments(d, o as never),
  },
  {
    label: "assertEntropy",
    what: "Cannot run assertEntropy",
    keys: ["samples", "k", ...LAW],
    call: (o) => assertEntropy(d, o as never),
  },
  {
    label: "assertDistributionLaws",
    what: "Cannot run assertDistributionLaws",
    keys: ["batch", "moments", "entropy", "integrate", ...LAW],
    call: (o) => assertDistributionLaws(d, o as never),
  },
  {
    label: "assertDistributionLaws (moments)",
    what: "Cannot run assertDistributionLaws",
    name: "options.moments",
    keys: ["samples", "k"],
    call: (o) => assertDistributionLaws(d, { moments: o as never }),
  },
  {
    label: "assertIntegratesToOne",
    what: "Cannot run assertIntegratesToOne",
    keys: ["support", "transform", "discrete", "tolerance", ...LAW],
    call: (o) => assertIntegratesToOne(d, o as never),
  },
  {
    label: "assertKLLaws",
    what: "Cannot run assertKLLaws",
    keys: ["kl", "tolerance", "samples", "k", ...LAW],
    call: (o) => assertKLLaws(normal(), undefined, o as never),
  },
  {
    label: "assertBijectorLaws",
    what: "Cannot run assertBijectorLaws",
    keys: ["tolerance", "logDetTolerance", "project", "density", ...LAW],
    call: (o) => assertBijectorLaws(new core.Exp(), fc.double({ min: -1, max: 1 }), o as never),
  },
  {
    label: "assertTensorAgreement",
    what: "Cannot compare Normal with its twins",
    name: "tol",
    keys: ["abs", "rel"],
    call: (o) => {
      const t = new TensorNormal(0, 1);
      try {
        assertTensorAgreement(t, [d], [0.5], o as never);
      } finally {
        t.dispose();
      }
    },
  },
];

Deno.test("the testing helpers refuse an unknown option, naming it and the options", async (t) => {
  for (const c of CASES) {
    await t.step(
      `${c.label}() refuses ${c.name ?? "options"}.sampels`,
      () => assertRefusesUnknownOption(c),
    );
  }
});

Deno.test("the testing helpers refuse a bad option value with a TypeError or RangeError", () => {
  assertThrowsNaming(() => assertClose(1, 1, { rel: -1 }), RangeError, "tol.rel must be ≥ 0");
  assertThrowsNaming(
    () => assertSampleMoments(d, { samples: 1 }),
    RangeError,
    "options.samples must be an integer ≥ 2",
  );
  assertThrowsNaming(
    () => assertEntropy(d, { numRuns: 0 }),
    RangeError,
    "options.numRuns must be an integer ≥ 1",
  );
  assertThrowsNaming(
    () => assertIntegratesToOne(d, { tolerance: { abs: "x" } as never }),
    TypeError,
    'options.tolerance.abs must be a number ≥ 0: current value is "x"',
  );
  assertThrowsNaming(
    () => float32Sensitivity(id, [1], { exact: [0.5] }),
    RangeError,
    "options.exact[0] must be an integer ≥ 0",
  );
});
