// What docs/models.md reports from runs: the constrained β-VAE's KL and β
// (ELBO_DOCS_FULL=1: reruns its 8 epochs, about 15 s on two cores), and that
// it names only what the package exports.
import assert from "node:assert/strict";
import * as models from "../../models.ts";
import * as tensor from "../../tensor.ts";
import { assertMentions, docText, fullChecks, runDenoTask } from "./_docs.ts";

const PAGE = "docs/models.md";
const CONSTRAINED = [
  "--model",
  "beta-vae",
  "--kl-budget",
  "10",
  "--dual-step",
  "0.005",
  "--latent",
  "10",
  "--epochs",
  "8",
];

Deno.test("docs/models.md: the constrained run is the command it names", async () => {
  assertMentions(await docText(PAGE), `\`deno task train ${CONSTRAINED.join(" ")}\``, PAGE);
});

Deno.test({
  name: "docs/models.md: the constrained run's KL and β (ELBO_DOCS_FULL=1: trains it)",
  ignore: !fullChecks(),
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await runDenoTask(["train", ...CONSTRAINED, "--blas", "off", "--out", `${dir}/run`], 600_000);
      const rows = (await Deno.readTextFile(`${dir}/run/metrics.jsonl`)).trim().split("\n")
        .map((l) => JSON.parse(l));
      const last = rows.filter((r) => r.kind !== "final").at(-1);
      const final = rows.at(-1);
      const text = await docText(PAGE);
      assertMentions(text, `train KL ${last.trainKl.toFixed(2)} nats in the last epoch`, PAGE);
      assertMentions(text, `test KL ${final.kl.toFixed(2)}`, PAGE);
      assertMentions(text, `β climbs from 1 to ${last.beta.toFixed(2)}`, PAGE);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("docs/models.md: the data functions it lists are exported, deriveSeed only if it is", async () => {
  const page = await Deno.readTextFile(new URL("../../docs/models.md", import.meta.url));
  const table = page.slice(
    page.indexOf("## Your own data"),
    page.indexOf("```ts", page.indexOf("## Your own data")),
  );
  const listed = [...table.matchAll(/^\| `([a-zA-Z]+)\(/gm)].map((m) => m[1]!);
  assert.ok(listed.length >= 4, `the data table lists ${listed.join(", ")}`);
  for (const name of listed) {
    assert.ok(name in models, `${name} is not exported by @elbo/elbo/models`);
  }
  for (const name of ["useBackend", "wasmThreads", "MAX_WASM_THREADS"]) {
    assert.ok(page.includes(`\`${name}`) && name in tensor, `${name}: named and exported`);
  }
  if (page.includes("deriveSeed")) {
    assert.ok("deriveSeed" in models || "deriveSeed" in tensor, "deriveSeed is internal");
  }
});
