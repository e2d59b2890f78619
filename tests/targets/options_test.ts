// The example models refuse an option they do not take, naming it:
// `linearGaussianModel({ …, noisescale: 1 })` used to fail only later, on
// the missing noiseScale, without naming the typo.
import {
  createRng,
  linearGaussianModel,
  logisticRegressionData,
  logisticRegressionModel,
} from "../../mod.ts";
import { assertRefusesUnknownOption, type OptionsCase } from "../_options.ts";

const CASES: OptionsCase[] = [
  {
    label: "linearGaussianModel",
    what: "Cannot construct linearGaussianModel",
    keys: ["weight", "bias", "noiseScale", "latentSize"],
    valid: { weight: [[1]], bias: [0], noiseScale: 1 },
    call: (o) => linearGaussianModel(o as never),
  },
  {
    label: "logisticRegressionModel",
    what: "Cannot construct logisticRegressionModel",
    keys: ["features", "dimension", "priorScale"],
    valid: { features: [1, 0], dimension: 2 },
    call: (o) => logisticRegressionModel(o as never),
  },
  {
    label: "logisticRegressionData",
    what: "Cannot generate logisticRegressionData",
    keys: ["examples", "dimension"],
    valid: { examples: 3, dimension: 2 },
    call: (o) => logisticRegressionData(createRng(1), o as never),
  },
];

Deno.test("the example models refuse an unknown option, naming it", async (t) => {
  for (const c of CASES) {
    await t.step(
      `${c.label}() refuses options.priorscale`,
      () => assertRefusesUnknownOption(c, "priorscale"),
    );
  }
});
