// The models read their options the one way: an unknown key, at the top or
// inside the objective, is a TypeError naming it and every option.
import { Autoencoder, VAE } from "../../models.ts";
import { useBackend } from "../../tensor.ts";
import { assertRefusesUnknownOption, type OptionsCase } from "../_options.ts";

await useBackend("cpu");

const tiny = { inputSize: 4, hiddenSizes: [3], latentSize: 2 };
const NETWORK = ["inputSize", "hiddenSizes", "latentSize", "learningRate", "seed", "denseGradient"];

Deno.test("the models refuse an unknown option, naming it and the options", async (t) => {
  const vae = new VAE(tiny);
  const CASES: OptionsCase[] = [
    {
      label: "VAE",
      what: "Cannot construct VAE",
      keys: [
        "inputSize",
        "network",
        "hiddenSizes",
        "latentSize",
        "likelihood",
        "observationScale",
        "objective",
        "posterior",
        "klEstimator",
        "learningRate",
        "seed",
        "denseGradient",
      ],
      valid: tiny,
      call: (o) => new VAE(o as never),
    },
    {
      label: "VAE objective",
      what: "Cannot construct VAE",
      name: "options.objective",
      keys: ["kind", "beta"],
      valid: { kind: "beta", beta: 2 },
      call: (o) => new VAE({ ...tiny, objective: o as never }),
    },
    {
      label: "VAE posterior",
      what: "Cannot construct VAE",
      name: "options.posterior",
      keys: ["flow", "layers", "hiddenSizes", "contextSize"],
      valid: { flow: "iaf", layers: 1 },
      call: (o) => new VAE({ ...tiny, posterior: o as never }),
    },
    {
      label: "Autoencoder",
      what: "Cannot construct Autoencoder",
      keys: NETWORK,
      valid: tiny,
      call: (o) => new Autoencoder(o as never),
    },
    {
      label: "VAE.evaluate",
      what: "VAE.evaluate",
      keys: ["importanceSamples", "batchSize", "seed", "chunkSize"],
      call: (o) => vae.evaluate(new Float32Array(4), o as never),
    },
  ];
  for (const c of CASES) {
    await t.step(`${c.label} refuses options.sampels`, () => assertRefusesUnknownOption(c));
  }
  vae.dispose();
});
