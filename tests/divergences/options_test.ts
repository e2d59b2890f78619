// The Monte Carlo divergences refuse an option they do not take, naming it.
import { createRng, jensenShannon, klMonteCarlo, Normal } from "../../mod.ts";
import { assertRefusesUnknownOption } from "../_options.ts";

Deno.test("the Monte Carlo divergences refuse an unknown option, naming it", async (t) => {
  const p = new Normal(0, 1), q = new Normal(1, 2);
  for (
    const [label, f] of [["klMonteCarlo", klMonteCarlo], ["jensenShannon", jensenShannon]] as const
  ) {
    await t.step(`${label}() refuses options.sampels`, () =>
      assertRefusesUnknownOption({
        label,
        what: `Cannot compute ${label}`,
        keys: ["samples", "rng"],
        valid: { samples: 10, rng: createRng(1) },
        call: (o) => f(p, q, o as never),
      }));
  }
});
