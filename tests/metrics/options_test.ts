// Every disentanglement metric reads its options the one way: an unknown
// key is a TypeError naming it, the function and every option, in one style.
import {
  betaVaeScore,
  dci,
  factorVaeScore,
  mig,
  sampleCodes,
  sapScore,
} from "../../disentanglement.ts";
import { assertRefusesUnknownOption, type OptionsCase } from "../_options.ts";
import { toyDataset } from "./_data.ts";

const codes = [[0.1, 2], [0.2, 1], [0.3, 3], [0.4, 0]], factors = [[0, 1], [1, 0], [1, 1], [0, 0]];
const data = toyDataset([2, 3]);
const encode = (x: Float32Array, n: number) =>
  Array.from({ length: n }, (_, i) => [x[i * 4]!, x[i * 4 + 1]!]);

const CASES: OptionsCase[] = [
  {
    label: "mig",
    what: "Cannot compute MIG",
    keys: ["bins"],
    call: (o) => mig(codes, factors, o as never),
  },
  {
    label: "dci",
    what: "Cannot compute DCI",
    keys: ["trainFraction", "trees", "maxDepth", "learningRate"],
    call: (o) => dci(codes, factors, o as never),
  },
  {
    label: "sapScore",
    what: "Cannot compute the SAP score",
    keys: ["trainFraction", "svmC"],
    call: (o) => sapScore(codes, factors, o as never),
  },
  {
    label: "betaVaeScore",
    what: "Cannot compute the BetaVAE score",
    keys: ["seed", "batchSize", "numTrain", "numEval", "encodeBatchSize"],
    valid: { seed: 1 },
    call: (o) => betaVaeScore(data, encode, o as never),
  },
  {
    label: "factorVaeScore",
    what: "Cannot compute the FactorVAE score",
    keys: [
      "seed",
      "batchSize",
      "numTrain",
      "numEval",
      "numVarianceEstimate",
      "pruneThreshold",
      "encodeBatchSize",
    ],
    valid: { seed: 1 },
    call: (o) => factorVaeScore(data, encode, o as never),
  },
  {
    label: "sampleCodes",
    what: "Cannot sample codes",
    keys: ["n", "seed", "encodeBatchSize"],
    valid: { n: 4, seed: 1 },
    call: (o) => sampleCodes(data, encode, o as never),
  },
];

Deno.test("the metrics refuse an unknown option, naming it and the options", async (t) => {
  for (const c of CASES) {
    await t.step(`${c.label}() refuses options.sampels`, () => assertRefusesUnknownOption(c));
  }
});
