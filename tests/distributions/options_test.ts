// Distributions that take an object refuse a key they do not take, naming
// it: `new Bernoulli({ probs, logit })` used to ignore the misspelt logit.
import { Bernoulli, Categorical, createRng, Mixture, Normal } from "../../mod.ts";
import { assertRefusesUnknownOption } from "../_options.ts";

Deno.test("distributions refuse an unknown key, naming it", async (t) => {
  await t.step("new Bernoulli() refuses params.logit", () =>
    assertRefusesUnknownOption({
      label: "Bernoulli",
      what: "Cannot construct Bernoulli",
      name: "params",
      keys: ["logits", "probs"],
      valid: { probs: [0.5] },
      call: (o) => new Bernoulli(o as never),
    }, "logit"));
  await t.step("new Categorical() refuses params.logit", () =>
    assertRefusesUnknownOption({
      label: "Categorical",
      what: "Cannot construct Categorical",
      name: "params",
      keys: ["logits", "probs"],
      valid: { probs: [0.5, 0.5] },
      call: (o) => new Categorical(o as never),
    }, "logit"));
  await t.step("Mixture.entropyMonteCarlo() refuses options.sampels", () => {
    const m = new Mixture([0.3, 0.7], [new Normal(-1, 1), new Normal(2, 0.5)]);
    return assertRefusesUnknownOption({
      label: "Mixture.entropyMonteCarlo",
      what: "Cannot estimate Mixture entropy",
      keys: ["samples", "rng"],
      valid: { samples: 10, rng: createRng(1) },
      call: (o) => m.entropyMonteCarlo(o as never),
    });
  });
});
