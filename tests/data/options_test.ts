// The data loaders refuse an option they do not take, naming it:
// `new Batches(d, { batchSize, seed, binarise: true })` used to train on grey
// levels without a word.
import { Batches, FactorBatches, loadEmbeddedMnist } from "../../models.ts";
import { dsprites } from "../../disentanglement.ts";
import { assertRefusesUnknownOption, type OptionsCase } from "../_options.ts";

const grey = {
  name: "grey",
  images: new Float32Array(4 * 4).fill(0.5),
  labels: new Uint8Array(4),
  count: 4,
  width: 2,
  height: 2,
};

const CASES: OptionsCase[] = [
  {
    label: "Batches",
    what: "Cannot construct Batches",
    keys: ["batchSize", "seed", "binarize"],
    valid: { batchSize: 2, seed: 1 },
    call: (o) => new Batches(grey, o as never),
  },
  {
    label: "loadEmbeddedMnist",
    what: "Cannot load MNIST",
    keys: ["testCount"],
    call: (o) => loadEmbeddedMnist(o as never),
  },
  {
    label: "dsprites",
    what: "Cannot create dsprites",
    keys: ["imageSize"],
    call: (o) => dsprites(o as never),
  },
];

Deno.test("the data loaders refuse an unknown option, naming it", async (t) => {
  for (const c of CASES) {
    await t.step(
      `${c.label}() refuses options.binarise`,
      () => assertRefusesUnknownOption(c, "binarise"),
    );
  }
});

Deno.test("new FactorBatches() refuses an unknown option, naming it", () =>
  assertRefusesUnknownOption({
    label: "FactorBatches",
    what: "Cannot construct FactorBatches",
    keys: ["imagesPerEpoch", "batchSize", "seed"],
    valid: { imagesPerEpoch: 4, batchSize: 2, seed: 1 },
    call: (o) => new FactorBatches(dsprites({ imageSize: 16 }), o as never),
  }, "imagesPerEpochs"));
